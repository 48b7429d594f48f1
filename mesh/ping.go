package mesh

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
)

// PingProtocol echoes 32 bytes; it proves that a member's streams work.
const PingProtocol = "/meshvault/ping/1.0.0"

const pingSize = 32

func (m *Mesh) handlePing(s network.Stream) {
	defer s.Close()
	s.SetDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, pingSize)
	if _, err := io.ReadFull(s, buf); err != nil {
		s.Reset()
		return
	}
	s.Write(buf)
}

// Ping opens a stream to site, echoes 32 random bytes and returns the
// round-trip time.
func (m *Mesh) Ping(ctx context.Context, site string) (time.Duration, error) {
	start := time.Now()
	s, err := m.OpenStream(ctx, site, PingProtocol)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	if d, ok := ctx.Deadline(); ok {
		s.SetDeadline(d)
	}
	out := make([]byte, pingSize)
	rand.Read(out)
	if _, err := s.Write(out); err != nil {
		return 0, fmt.Errorf("ping %s: %w", site, err)
	}
	in := make([]byte, pingSize)
	if _, err := io.ReadFull(s, in); err != nil {
		return 0, fmt.Errorf("ping %s: %w", site, err)
	}
	if !bytes.Equal(in, out) {
		return 0, fmt.Errorf("ping %s: echo differs from what was sent", site)
	}
	return time.Since(start), nil
}
