package mesh

import (
	"fmt"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
)

// newHost builds the libp2p host: QUIC and TCP, TLS 1.3, only members
// admitted, and resource limits raised so that bulk transfers between
// members are not throttled by libp2p's defaults (16 MiB per protocol per
// peer).
func (m *Mesh) newHost() (host.Host, error) {
	rm, err := newResourceManager()
	if err != nil {
		return nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(m.cfg.Identity.Key),
		libp2p.ListenAddrStrings(m.cfg.P2PAddrs...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.Security(libp2ptls.ID, libp2ptls.New),
		libp2p.ConnectionGater(memberGater{m}),
		libp2p.ResourceManager(rm),
		libp2p.DialRanker(tcpFirst),
		libp2p.DisableRelay(),
		libp2p.DisableMetrics(),
		libp2p.UserAgent("meshvault/" + m.cfg.Version),
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("start libp2p on %v (--p2p): %w", m.cfg.P2PAddrs, err)
	}
	return h, nil
}

// newResourceManager raises the per-peer, per-protocol, per-connection and
// per-stream limits. Only members get through the gater, so generous
// limits cannot be used by strangers.
func newResourceManager() (network.ResourceManager, error) {
	big := rcmgr.ResourceLimits{
		Streams: rcmgr.Unlimited, StreamsInbound: rcmgr.Unlimited, StreamsOutbound: rcmgr.Unlimited,
		Memory: rcmgr.LimitVal64(1 << 30),
	}
	partial := rcmgr.PartialLimitConfig{
		System: big, Transient: big, PeerDefault: big, ProtocolDefault: big,
		ProtocolPeerDefault: big, ServiceDefault: big, ServicePeerDefault: big,
		Conn:   rcmgr.ResourceLimits{Memory: rcmgr.LimitVal64(512 << 20)},
		Stream: rcmgr.ResourceLimits{Memory: rcmgr.LimitVal64(256 << 20)},
	}
	limits := partial.Build(rcmgr.DefaultLimits.AutoScale())
	return rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits))
}

// tcpFirst dials TCP addresses at once and QUIC ones only after a delay.
// Measured on loopback (BENCHMARKS.md), one TCP+TLS+yamux stream moves
// bulk data about 2.6 times faster than QUIC; on this machine class with
// 40 ms RTT and 0.5% loss, TCP kept 19 MiB/s where QUIC fell to 0.8
// (shared/field-notes.md). So TCP carries the bulk streams, and QUIC is
// the fallback where TCP is blocked.
func tcpFirst(addrs []ma.Multiaddr) []network.AddrDelay {
	ranked := swarm.NoDelayDialRanker(addrs)
	for i := range ranked {
		if isQUIC(ranked[i].Addr) {
			ranked[i].Delay = quicFallbackDelay
		}
	}
	slices.SortStableFunc(ranked, func(a, b network.AddrDelay) int { return int(a.Delay - b.Delay) })
	return ranked
}

const quicFallbackDelay = 300 * time.Millisecond

func isQUIC(a ma.Multiaddr) bool {
	_, err := a.ValueForProtocol(ma.P_QUIC_V1)
	return err == nil
}
