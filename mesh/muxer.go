package mesh

import (
	libp2pyamux "github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-yamux/v5"
)

// streamWindow is the receive window a yamux stream starts with: 4 MiB
// instead of yamux's 256 KiB. yamux doubles a stream's window only when
// the reader drains it within 4 round trips of the last update, and it
// measures the round trip on an idle connection. On a busy site (a
// loopback round trip of ~0.1 ms when measured, several ms under load)
// the window then never grows, and a stream moves 256 KiB per round
// trip: the hot replica received a large file at ~42 MB/s during an
// ingest, both ends waiting on the window (BENCHMARKS.md). 4 MiB covers
// a shard (~1.4 MiB) and a chunk (≤ 4 MiB) in one go, and 100 MB/s at a
// 40 ms WAN round trip before any growth; a stream's window still grows
// to yamux's 16 MiB where the round trip allows. The window bounds what
// a peer may send ahead of the reader, not what is allocated: buffers
// are taken as data arrives.
const streamWindow = 4 << 20

// newMuxer is libp2p's yamux transport with the larger starting window.
func newMuxer() *libp2pyamux.Transport {
	cfg := *(*yamux.Config)(libp2pyamux.DefaultTransport)
	cfg.InitialStreamWindowSize = streamWindow
	cfg.MaxStreamWindowSize = max(cfg.MaxStreamWindowSize, streamWindow)
	return (*libp2pyamux.Transport)(&cfg)
}
