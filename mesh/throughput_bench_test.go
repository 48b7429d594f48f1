package mesh

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
)

// BenchmarkStreamThroughput measures one stream's bulk throughput on
// loopback: libp2p over TCP (TLS + yamux), libp2p over QUIC, and a plain
// TCP connection as the ceiling. Each sends b.N chunks of 1 MiB and
// waits for the receiver's ack, so every byte counted has arrived.
// bench/mesh.sh runs it; BENCHMARKS.md records the figures.
func BenchmarkStreamThroughput(b *testing.B) {
	b.Run("tcp", func(b *testing.B) { benchMeshStream(b, "/ip4/127.0.0.1/tcp/0", false) })
	b.Run("quic", func(b *testing.B) { benchMeshStream(b, "/ip4/127.0.0.1/udp/0/quic-v1", true) })
	b.Run("raw-tcp", benchRawTCP)
}

const (
	benchSinkProtocol = "/meshvault/bench-sink/1.0.0"
	benchChunkSize    = 1 << 20
	benchSetupTimeout = 20 * time.Second
)

// benchConn is what the sender needs of a libp2p stream or a TCP conn.
type benchConn interface {
	io.ReadWriter
	CloseWrite() error
}

// benchMeshStream streams to a second mesh that listens on p2p only.
func benchMeshStream(b *testing.B, p2p string, wantQUIC bool) {
	ctx, cancel := context.WithTimeout(context.Background(), benchSetupTimeout)
	defer cancel()
	key := benchMeshKey()
	recv := startBenchMesh(b, ctx, "receiver", key, p2p, nil)
	send := startBenchMesh(b, ctx, "sender", key, p2p, []string{recv.GossipAddr()})
	waitBenchAlive(b, ctx, send, "receiver")
	waitBenchAlive(b, ctx, recv, "sender")
	recv.Host().SetStreamHandler(benchSinkProtocol, benchStreamSink)
	s, err := send.OpenStream(ctx, "receiver", benchSinkProtocol)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if got := isQUIC(s.Conn().RemoteMultiaddr()); got != wantQUIC {
		b.Fatalf("stream runs over %s, not the transport under test", s.Conn().RemoteMultiaddr())
	}
	benchSend(b, s)
}

// benchRawTCP is the same transfer over a bare loopback TCP connection.
func benchRawTCP(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go acceptBenchSink(ln)
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	benchSend(b, c.(*net.TCPConn))
}

func acceptBenchSink(ln net.Listener) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	defer c.Close()
	benchSink(c)
}

func benchStreamSink(s network.Stream) {
	if err := benchSink(s); err != nil {
		s.Reset()
		return
	}
	s.Close()
}

// benchSink reads to EOF and answers with the byte count (8 bytes).
func benchSink(rw io.ReadWriter) error {
	n, err := io.Copy(io.Discard, rw)
	if err != nil {
		return fmt.Errorf("bench sink: read after %d bytes: %w", n, err)
	}
	var ack [8]byte
	binary.BigEndian.PutUint64(ack[:], uint64(n))
	_, err = rw.Write(ack[:])
	return err
}

// benchSend writes b.N chunks, half-closes and waits for the ack; only
// this is timed.
func benchSend(b *testing.B, c benchConn) {
	chunk := make([]byte, benchChunkSize)
	rand.Read(chunk)
	b.SetBytes(benchChunkSize)
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(chunk); err != nil {
			b.Fatalf("write: %v", err)
		}
	}
	got := benchCloseAndAck(b, c)
	b.StopTimer()
	if want := uint64(b.N) * benchChunkSize; got != want {
		b.Fatalf("receiver got %d bytes, sent %d", got, want)
	}
}

func benchCloseAndAck(b *testing.B, c benchConn) uint64 {
	if err := c.CloseWrite(); err != nil {
		b.Fatalf("close write: %v", err)
	}
	var ack [8]byte
	if _, err := io.ReadFull(c, ack[:]); err != nil {
		b.Fatalf("read ack: %v", err)
	}
	return binary.BigEndian.Uint64(ack[:])
}

func benchMeshKey() []byte {
	key := make([]byte, KeySize)
	rand.Read(key)
	return key
}

// startBenchMesh starts a fast-profile mesh in a temp dir, listening for
// libp2p on p2p only; the test's cleanup shuts it down.
func startBenchMesh(b testing.TB, ctx context.Context, site string, key []byte, p2p string, join []string) *Mesh {
	id, err := LoadIdentity(b.TempDir(), site)
	if err != nil {
		b.Fatal(err)
	}
	m, err := New(Config{
		Identity: id, MeshKey: key, GossipAddr: "127.0.0.1:0", P2PAddrs: []string{p2p},
		Join: join, Profile: FastProfile(), Version: "bench",
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := m.Start(ctx); err != nil {
		b.Fatalf("start %s: %v", site, err)
	}
	b.Cleanup(func() { m.Shutdown() })
	return m
}

// waitBenchAlive polls until m sees site alive with a peer ID.
func waitBenchAlive(b testing.TB, ctx context.Context, m *Mesh, site string) {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		mem, ok := m.Member(site)
		if ok && mem.State == StateAlive && mem.PeerID != "" {
			return
		}
		select {
		case <-ctx.Done():
			b.Fatalf("%s does not see %s alive (sees %+v): %v", m.cfg.Identity.Site, site, mem, ctx.Err())
		case <-t.C:
		}
	}
}
