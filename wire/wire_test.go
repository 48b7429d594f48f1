package wire

import (
	"bytes"
	"strings"
	"testing"
)

// frames returns a Conn that reads the frames written by send.
func frames(t *testing.T, send func(c *Conn)) *Conn {
	t.Helper()
	var stream bytes.Buffer
	w := NewConn(&stream)
	send(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return NewConn(&stream)
}

func TestRecvIntoReusesTheBufferWhenTheFrameFitsAndAllocatesWhenNot(t *testing.T) {
	small, large := bytes.Repeat([]byte("s"), 100), bytes.Repeat([]byte("L"), 300)
	c := frames(t, func(c *Conn) {
		c.SendRaw('c', small)
		c.SendRaw('c', large)
	})
	buf := make([]byte, 0, 200)
	typ, got, err := c.RecvInto(buf)
	if err != nil || typ != 'c' || !bytes.Equal(got, small) || &got[0] != &buf[:1][0] {
		t.Fatalf("fitting frame: type %q, %d bytes, in buf: %v (err %v)", typ, len(got), &got[0] == &buf[:1][0], err)
	}
	typ, got, err = c.RecvInto(buf)
	if err != nil || typ != 'c' || !bytes.Equal(got, large) || cap(got) < 300 {
		t.Fatalf("larger frame: type %q, %d bytes (err %v)", typ, len(got), err)
	}
}

func TestRecvTurnsAnErrorFrameIntoAnErrorWithItsReason(t *testing.T) {
	c := frames(t, func(c *Conn) { c.SendRaw(FrameError, []byte("disk full")) })
	if _, _, err := c.RecvInto(make([]byte, 0, 64)); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error frame gave %v, want the peer's reason", err)
	}
}

func TestRecvRefusesAFrameLongerThanMaxFrame(t *testing.T) {
	stream := bytes.NewBuffer([]byte{'c', 0xff, 0xff, 0xff, 0xff})
	if _, _, err := NewConn(stream).Recv(); err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("oversized length gave %v, want a refusal", err)
	}
}
