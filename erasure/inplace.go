package erasure

import (
	"fmt"
	"slices"
)

// A pack is coded in place: it is written at the start of one buffer,
// split there into its K data payloads (the last zero-padded), and its M
// parity payloads are computed into the bytes after them. A shard is
// then its header and its payload apart, so no byte of the pack is
// copied to code it and the pack needs no buffer of its own.

// Shard is one shard as a header and a payload, apart: sent or written,
// it is the header's bytes then the payload's, as Verify reads them.
type Shard struct {
	Header  [HeaderSize]byte
	Payload []byte
}

// Checksum is the checksum the shard's header carries.
func (sh *Shard) Checksum() []byte { return sh.Header[sumAt:HeaderSize:HeaderSize] }

// Bytes is the shard in one slice, as it is stored.
func (sh *Shard) Bytes() []byte { return append(sh.Header[:], sh.Payload...) }

// InPlaceSize is the capacity of a buffer that packs of up to maxPack
// bytes are coded in.
func InPlaceSize(s Scheme, maxPack int) int { return s.Shards() * payloadSize(maxPack, s.K) }

// EncodeInPlace codes the pack buf[:n] into s.K+s.M shards in buf's
// memory, which must hold InPlaceSize(s, n) bytes: the data payloads are
// the pack's own bytes. The shards share buf: reuse it only once every
// shard is stored.
func EncodeInPlace(buf []byte, n int, s Scheme) ([]Shard, error) {
	enc, err := newCoder(s)
	if err != nil {
		return nil, err
	}
	size := payloadSize(n, s.K)
	if cap(buf) < s.Shards()*size || n > len(buf) {
		return nil, fmt.Errorf("erasure: a pack of %d bytes needs a buffer of %d, got %d", n, s.Shards()*size, cap(buf))
	}
	buf = buf[:s.Shards()*size]
	clear(buf[n : s.K*size]) // padding: a reused buffer holds old bytes
	shards, payloads := make([]Shard, s.Shards()), make([][]byte, s.Shards())
	for i := range shards {
		payloads[i] = buf[i*size : (i+1)*size : (i+1)*size]
	}
	if err := enc.Encode(payloads); err != nil {
		return nil, err
	}
	for i := range shards {
		shards[i].Payload = payloads[i]
		writeHeader(shards[i].Header[:], payloads[i], s, i, n)
	}
	return shards, nil
}

// encodeCopy codes a pack from a copy of it: for callers with a pack in
// memory of their own.
func encodeCopy(s Scheme, pack []byte) ([]Shard, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	buf := slices.Grow([]byte(nil), InPlaceSize(s, len(pack)))
	return EncodeInPlace(append(buf, pack...), len(pack), s)
}
