package mesh

import (
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/hashicorp/memberlist"
)

// gossipTransport wraps memberlist's real NetTransport. It counts gossip
// traffic for /metrics and applies Faults on the sending side: a cut link
// drops datagrams and refuses dials, a lossy one drops datagrams, a slow
// one delays them. Because every site of a simulated mesh applies the
// same Faults to what it sends, a cut is cut both ways.
type gossipTransport struct {
	*memberlist.NetTransport
	mesh    *Mesh
	packets chan *memberlist.Packet
	stats   *gossipStats
	done    chan struct{}
}

type gossipStats struct {
	sentBytes, recvBytes, sentPackets, recvPackets, dropped atomic.Uint64
}

var errLinkCut = errors.New("link cut by fault injection")

func newGossipTransport(m *Mesh, inner *memberlist.NetTransport) *gossipTransport {
	t := &gossipTransport{NetTransport: inner, mesh: m, packets: make(chan *memberlist.Packet), stats: &m.gossip, done: make(chan struct{})}
	go t.countIncoming()
	return t
}

func (t *gossipTransport) countIncoming() {
	for {
		select {
		case p := <-t.NetTransport.PacketCh():
			t.stats.recvPackets.Add(1)
			t.stats.recvBytes.Add(uint64(len(p.Buf)))
			select {
			case t.packets <- p:
			case <-t.done:
				return
			}
		case <-t.done:
			return
		}
	}
}

func (t *gossipTransport) PacketCh() <-chan *memberlist.Packet { return t.packets }

func (t *gossipTransport) WriteTo(b []byte, addr string) (time.Time, error) {
	return t.WriteToAddress(b, memberlist.Address{Addr: addr})
}

func (t *gossipTransport) WriteToAddress(b []byte, a memberlist.Address) (time.Time, error) {
	link := t.mesh.link(t.site(a))
	if link.Cut || link.Drop {
		t.stats.dropped.Add(1)
		return time.Now(), nil // a lost datagram looks sent
	}
	t.stats.sentPackets.Add(1)
	t.stats.sentBytes.Add(uint64(len(b)))
	if link.Delay > 0 {
		buf := append([]byte(nil), b...)
		time.AfterFunc(link.Delay, func() { t.NetTransport.WriteToAddress(buf, a) })
		return time.Now(), nil
	}
	return t.NetTransport.WriteToAddress(b, a)
}

func (t *gossipTransport) DialTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	return t.DialAddressTimeout(memberlist.Address{Addr: addr}, timeout)
}

func (t *gossipTransport) DialAddressTimeout(a memberlist.Address, timeout time.Duration) (net.Conn, error) {
	link := t.mesh.link(t.site(a))
	if link.Cut {
		return nil, fmt.Errorf("dial %s: %w", a.Addr, errLinkCut)
	}
	time.Sleep(link.Delay)
	return t.NetTransport.DialAddressTimeout(a, timeout)
}

func (t *gossipTransport) site(a memberlist.Address) string {
	if a.Name != "" {
		return a.Name
	}
	return t.mesh.siteByGossipAddr(a.Addr)
}

// Shutdown stops counting and shuts the inner transport down, draining
// its packets meanwhile: its UDP reader may be blocked handing over a
// datagram that nobody reads any more, and its Shutdown waits for it.
func (t *gossipTransport) Shutdown() error {
	close(t.done)
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.NetTransport.PacketCh():
			case <-stop:
				return
			}
		}
	}()
	defer close(stop)
	return t.NetTransport.Shutdown()
}
