package erasure

import "fmt"

// Parts is a decoded pack held as its K data payloads rather than copied
// into one buffer: a restore copies each chunk out of its pack straight
// into the buffer it is opened in.
type Parts struct {
	payloads [][]byte // K payloads of size bytes; the last is padded
	size     int
	length   int // the pack's own length
}

// Len is the pack's length.
func (p Parts) Len() int { return p.length }

// CopyAt copies the pack's bytes [off, off+len(dst)) into dst.
func (p Parts) CopyAt(dst []byte, off int) error {
	n := len(dst)
	if off < 0 || off+n > p.length {
		return fmt.Errorf("erasure: bytes %d..%d lie outside a pack of %d", off, off+n, p.length)
	}
	for done := 0; done < n; {
		i, at := (off+done)/p.size, (off+done)%p.size
		if p.payloads[i] == nil {
			return fmt.Errorf("erasure: bytes %d..%d of the pack lie in part %d, already let go", off, off+n, i)
		}
		done += copy(dst[done:], p.payloads[i][at:])
	}
	return nil
}

// Span is the first and last of the parts that bytes [off, off+n) of
// the pack lie in (n > 0).
func (p Parts) Span(off, n int) (first, last int) {
	return off / p.size, (off + n - 1) / p.size
}

// Count is how many parts the pack is held as.
func (p Parts) Count() int { return len(p.payloads) }

// Drop forgets part i, whose bytes nothing will read again: its memory
// can then go back to where it came from. CopyAt refuses bytes in it.
func (p Parts) Drop(i int) { p.payloads[i] = nil }

// Bytes returns the whole pack in one new buffer.
func (p Parts) Bytes() []byte {
	pack := make([]byte, 0, p.size*len(p.payloads))
	for _, pl := range p.payloads {
		pack = append(pack, pl...)
	}
	return pack[:p.length]
}

// DecodePartsVerified is Decode for shards that each passed Verify
// already (a restore checks every shard as it arrives, so that it can
// ask another site in place of a bad one): it checks their headers, not
// their checksums a second time, and returns the pack as its data
// payloads, without concatenating them.
func DecodePartsVerified(s Scheme, shards [][]byte) (Parts, error) {
	return decodeParts(s, shards, false)
}

func decodeParts(s Scheme, shards [][]byte, verify bool) (Parts, error) {
	enc, err := newCoder(s)
	if err != nil {
		return Parts{}, err
	}
	payloads, packLen, good := collect(s, shards, verify)
	if good < s.K {
		return Parts{}, fmt.Errorf("erasure: cannot rebuild %s pack: %d valid shards of %d given, need %d",
			s, good, len(shards), s.K)
	}
	if err := enc.ReconstructData(payloads); err != nil {
		return Parts{}, err
	}
	clear(payloads[s.K:]) // parity shards: not kept alive with the pack
	return Parts{payloads: payloads[:s.K:s.K], size: len(payloads[0]), length: packLen}, nil
}
