package mesh

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
)

// A stream's window is what the sender may put on the wire before the
// reader reads: with yamux's 256 KiB a bulk stream waited a round trip
// every 256 KiB on a busy site. Here the reader reads nothing until the
// sender has written 3.5 MiB, so the write only completes (within its
// deadline, which with the old window it never could) if the window
// covers it.
func TestAStreamTakesMoreThanThreeMiBBeforeItsReaderReads(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key := benchMeshKey()
	recv := startBenchMesh(t, ctx, "receiver", key, "/ip4/127.0.0.1/tcp/0", nil)
	send := startBenchMesh(t, ctx, "sender", key, "/ip4/127.0.0.1/tcp/0", []string{recv.GossipAddr()})
	waitBenchAlive(t, ctx, send, "receiver")
	waitBenchAlive(t, ctx, recv, "sender")
	written := make(chan struct{})
	recv.Host().SetStreamHandler(benchSinkProtocol, func(s network.Stream) {
		defer s.Close()
		select { // hold the stream unread until the sender is done
		case <-written:
		case <-ctx.Done():
		}
	})
	s, err := send.OpenStream(ctx, "receiver", benchSinkProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Reset()
	data := make([]byte, 3<<20+512<<10)
	rand.Read(data)
	s.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if n, err := s.Write(data); err != nil {
		t.Fatalf("wrote %d of %d bytes to a reader that has not read yet: %v", n, len(data), err)
	}
	close(written)
}
