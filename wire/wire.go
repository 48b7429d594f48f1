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

// NewConn wraps a stream.
func NewConn(rw io.ReadWriter) *Conn {
	return &Conn{r: bufio.NewReaderSize(rw, 256<<10), w: bufio.NewWriterSize(rw, 256<<10)}
}

// SendRaw queues a frame of raw bytes; Flush sends it.
func (c *Conn) SendRaw(typ byte, payload []byte) error {
	var hdr [5]byte
	hdr[0] = typ
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	if _, err := c.w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := c.w.Write(payload)
	return err
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
func (c *Conn) Recv() (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > MaxFrame {
		return 0, nil, fmt.Errorf("frame of %d bytes exceeds %d", n, MaxFrame)
	}
	payload := make([]byte, n)
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
