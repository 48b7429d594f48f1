package hot

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
)

// Frame types of the replication protocol.
const (
	frameHello    byte = 'H' // primary → replica: who I am, epoch, log bounds
	frameHelloAck byte = 'h' // replica → primary: my position
	frameOp       byte = 'O' // primary → replica: one log op
	frameEntry    byte = 'E' // primary → replica: one tree entry (state transfer)
	frameStateEnd byte = 'S' // primary → replica: end of state transfer
	frameNeed     byte = 'N' // replica → primary: chunk hashes it lacks
	frameChunk    byte = 'C' // primary → replica: one chunk's bytes
	frameAck      byte = 'A' // replica → primary: applied up to a position
	frameError    byte = 'X' // either way: refusal with a reason
)

// maxFrame bounds a frame so a corrupt length cannot exhaust memory.
const maxFrame = 64 << 20

// conn frames messages on one libp2p stream.
type conn struct {
	r *bufio.Reader
	w *bufio.Writer
}

func newConn(rw io.ReadWriter) *conn {
	return &conn{r: bufio.NewReaderSize(rw, 256<<10), w: bufio.NewWriterSize(rw, 256<<10)}
}

func (c *conn) sendRaw(typ byte, payload []byte) error {
	var hdr [5]byte
	hdr[0] = typ
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	if _, err := c.w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := c.w.Write(payload)
	return err
}

func (c *conn) send(typ byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.sendRaw(typ, b)
}

func (c *conn) flush() error { return c.w.Flush() }

// recv reads the next frame. An error frame becomes an error.
func (c *conn) recv() (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("frame of %d bytes exceeds %d", n, maxFrame)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(c.r, payload); err != nil {
		return 0, nil, err
	}
	if hdr[0] == frameError {
		return 0, nil, fmt.Errorf("peer refused: %s", payload)
	}
	return hdr[0], payload, nil
}

// expect reads a frame of type want and decodes it into v.
func (c *conn) expect(want byte, v any) error {
	typ, payload, err := c.recv()
	if err != nil {
		return err
	}
	if typ != want {
		return fmt.Errorf("protocol: got frame %q, want %q", typ, want)
	}
	return json.Unmarshal(payload, v)
}

func (c *conn) refuse(reason string) {
	c.sendRaw(frameError, []byte(reason))
	c.flush()
}
