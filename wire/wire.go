// Package wire frames messages on a stream between sites: a one-byte
// type, a four-byte length and a payload, JSON or raw bytes. It owns no
// protocol; hot and snapshot define theirs on top of it.
package wire

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

// FrameError is the type every protocol uses to refuse, with a reason.
const FrameError byte = 'X'

// MaxFrame bounds a frame so a corrupt length cannot exhaust memory.
const MaxFrame = 64 << 20

// Conn frames messages on one stream.
type Conn struct {
	r *bufio.Reader
	w *bufio.Writer
}

// bufSize is each direction's buffer: many small frames per syscall.
// A large frame (a shard, a chunk) bypasses it, read or written whole.
const bufSize = 64 << 10

// Buffers are reused across Conns: a snapshot opens a stream per shard,
// a thousand per GiB, and fresh buffers for each were most of what the
// shard protocol allocated.
var (
	readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bufSize) }}
	writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, bufSize) }}
)

// NewConn wraps a stream.
func NewConn(rw io.ReadWriter) *Conn {
	r, w := readers.Get().(*bufio.Reader), writers.Get().(*bufio.Writer)
	r.Reset(rw)
	w.Reset(rw)
	return &Conn{r: r, w: w}
}

// Release gives the Conn's buffers back for reuse, dropping anything
// unsent: the Conn must not be used after. A Conn never released is only
// garbage.
func (c *Conn) Release() {
	c.r.Reset(nil)
	c.w.Reset(nil)
	readers.Put(c.r)
	writers.Put(c.w)
	c.r, c.w = nil, nil
}

// SendRaw queues a frame of raw bytes, the parts one after the other
// (a shard's header and payload, say); Flush sends it.
func (c *Conn) SendRaw(typ byte, payload ...[]byte) error {
	n := 0
	for _, p := range payload {
		n += len(p)
	}
	var hdr [5]byte
	hdr[0] = typ
	binary.BigEndian.PutUint32(hdr[1:], uint32(n))
	if _, err := c.w.Write(hdr[:]); err != nil {
		return err
	}
	for _, p := range payload {
		if _, err := c.w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// Send queues a frame holding v as JSON.
func (c *Conn) Send(typ byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.SendRaw(typ, b)
}

// Flush sends what is queued.
func (c *Conn) Flush() error { return c.w.Flush() }

// Recv reads the next frame. An error frame becomes an error.
func (c *Conn) Recv() (byte, []byte, error) { return c.RecvInto(nil) }

// RecvInto is Recv reading the payload into buf's memory when it has
// room, so that a receiver of many large frames reuses one buffer
// instead of making garbage of each.
func (c *Conn) RecvInto(buf []byte) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > MaxFrame {
		return 0, nil, fmt.Errorf("frame of %d bytes exceeds %d", n, MaxFrame)
	}
	payload := buf[:0]
	if cap(buf) < int(n) {
		payload = make([]byte, n)
	}
	payload = payload[:n]
	if _, err := io.ReadFull(c.r, payload); err != nil {
		return 0, nil, err
	}
	if hdr[0] == FrameError {
		return 0, nil, fmt.Errorf("peer refused: %s", payload)
	}
	return hdr[0], payload, nil
}

// Expect reads a frame of type want and decodes it into v.
func (c *Conn) Expect(want byte, v any) error {
	typ, payload, err := c.Recv()
	if err != nil {
		return err
	}
	if typ != want {
		return fmt.Errorf("protocol: got frame %q, want %q", typ, want)
	}
	return json.Unmarshal(payload, v)
}

// Refuse sends an error frame with reason.
func (c *Conn) Refuse(reason string) {
	c.SendRaw(FrameError, []byte(reason))
	c.Flush()
}
