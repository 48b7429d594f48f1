package erasure

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/klauspost/reedsolomon"
	"github.com/zeebo/blake3"
	"github.com/zeebo/xxh3"
)

// Shard layout: magic "MVS1", version, K, M, index, pack length (uint64
// big-endian), then a 32-byte checksum over those 16 bytes and the
// payload, then the payload. Version 2 (written now) checksums with
// XXH3-128 followed by 16 zero bytes; version 1 (still read) with
// BLAKE3-256. The checksum finds rot, truncation and misplaced bytes
// before a shard is decoded; it need not resist forgery, because every
// chunk in a pack is authenticated by its AEAD tag and, once restored,
// by its BLAKE3 address. XXH3 runs at memory speed where BLAKE3 took
// ~0.5 CPU-s of the snapshotting site's first snapshot of 1 GiB.
const (
	shardMagic   = "MVS1"
	shardVersion = 2
	sumAt        = 16
	HeaderSize   = sumAt + 32 // bytes of header before each shard's payload
)

// Encode splits pack into s.K equal data payloads (the last zero-padded;
// at least 1 byte each) and computes s.M parity payloads, returning K+M
// shards, each carrying a header that lets Verify and Decode check it
// alone. EncodeInPlace does it without copying the pack.
func Encode(s Scheme, pack []byte) ([][]byte, error) {
	shards, err := encodeCopy(s, pack)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(shards))
	for i := range shards {
		out[i] = shards[i].Bytes()
	}
	return out, nil
}

// writeHeader fills the header of shard i in place, checksum last.
func writeHeader(hdr, payload []byte, s Scheme, i, packLen int) {
	copy(hdr, shardMagic)
	hdr[4], hdr[5], hdr[6], hdr[7] = shardVersion, byte(s.K), byte(s.M), byte(i)
	binary.BigEndian.PutUint64(hdr[8:sumAt], uint64(packLen))
	sum := checksumOf(hdr, payload)
	copy(hdr[sumAt:HeaderSize], sum[:])
}

// checksum is the checksum of a shard by its header's version.
func checksum(shard []byte) [32]byte { return checksumOf(shard[:HeaderSize], shard[HeaderSize:]) }

// checksumOf covers the header's first 16 bytes and the payload, by the
// version in hdr[4]: XXH3-128 (big-endian, then zeros) or BLAKE3-256.
func checksumOf(hdr, payload []byte) [32]byte {
	var sum [32]byte
	if hdr[4] == 1 {
		h := blake3.New()
		h.Write(hdr[:sumAt])
		h.Write(payload)
		h.Sum(sum[:0])
		return sum
	}
	h := xxh3.New()
	h.Write(hdr[:sumAt])
	h.Write(payload)
	b := h.Sum128().Bytes()
	copy(sum[:], b[:])
	return sum
}

// Verify checks a shard on its own: header shape, a valid scheme, an index
// within it, the payload length the pack length implies, and the checksum.
// It returns the shard's index, or an error saying what is wrong.
func Verify(shard []byte) (index int, err error) {
	h, err := readHeader(shard)
	if err != nil {
		return -1, err
	}
	if want := HeaderSize + payloadSize(h.packLen, h.s.K); len(shard) != want {
		return -1, fmt.Errorf("erasure: shard %d is %d bytes, want %d (truncated?)", h.index, len(shard), want)
	}
	if sum := checksum(shard); !bytes.Equal(sum[:], shard[sumAt:HeaderSize]) {
		return -1, fmt.Errorf("erasure: shard %d: checksum mismatch", h.index)
	}
	return h.index, nil
}

type header struct {
	s              Scheme
	index, packLen int
}

// readHeader parses and sanity-checks the fixed header fields.
func readHeader(shard []byte) (header, error) {
	if len(shard) < HeaderSize || string(shard[:4]) != shardMagic {
		return header{}, errors.New("erasure: not a shard (short or bad magic)")
	}
	if shard[4] != 1 && shard[4] != shardVersion {
		return header{}, fmt.Errorf("erasure: shard version %d, want 1 or %d (written by a newer meshvault?)", shard[4], shardVersion)
	}
	h := header{s: Scheme{K: int(shard[5]), M: int(shard[6])}, index: int(shard[7])}
	n := binary.BigEndian.Uint64(shard[8:sumAt])
	if err := h.s.Validate(); err != nil || h.index >= h.s.Shards() || n > 1<<40 {
		return header{}, fmt.Errorf("erasure: shard header out of range (scheme %s, index %d, length %d)", h.s, h.index, n)
	}
	h.packLen = int(n)
	return h, nil
}

// Decode rebuilds the pack from any of its shards in any order, nil for
// missing. Shards that fail Verify, belong to another scheme or pack
// length than the first good one, or repeat an index are dropped. With at
// least K good shards left it returns the pack; otherwise an error saying
// how many good shards it had and how many it needs.
func Decode(s Scheme, shards [][]byte) ([]byte, error) { return decode(s, shards, true) }

func decode(s Scheme, shards [][]byte, verify bool) ([]byte, error) {
	p, err := decodeParts(s, shards, verify)
	if err != nil {
		return nil, err
	}
	return p.Bytes(), nil
}

// collect places the payloads of the good shards at their indexes.
func collect(s Scheme, shards [][]byte, verify bool) (payloads [][]byte, packLen, good int) {
	payloads, packLen = make([][]byte, s.Shards()), -1
	for _, shard := range shards {
		if shard == nil || (verify && !verified(shard)) {
			continue
		}
		h, err := readHeader(shard)
		if err != nil || len(shard)-HeaderSize != payloadSize(h.packLen, h.s.K) {
			continue
		}
		if h.s != s || payloads[h.index] != nil || (packLen >= 0 && h.packLen != packLen) {
			continue
		}
		payloads[h.index], packLen, good = shard[HeaderSize:], h.packLen, good+1
	}
	return payloads, packLen, good
}

func verified(shard []byte) bool {
	_, err := Verify(shard)
	return err == nil
}

// payloadSize is the bytes per shard payload: ⌈packLen/K⌉, at least 1.
func payloadSize(packLen, k int) int { return max(1, (packLen+k-1)/k) }

// newCoder validates s and returns its Reed-Solomon coder.
func newCoder(s Scheme) (reedsolomon.Encoder, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return reedsolomon.New(s.K, s.M)
}

// ShardInfo is what a verified shard's header says of it.
type ShardInfo struct {
	Scheme  Scheme
	Index   int
	PackLen int
}

// Inspect checks a shard on its own, as Verify does, and returns what
// its header says, for a caller to hold against what the shard should be.
func Inspect(shard []byte) (ShardInfo, error) {
	if _, err := Verify(shard); err != nil {
		return ShardInfo{}, err
	}
	h, err := readHeader(shard)
	return ShardInfo{Scheme: h.s, Index: h.index, PackLen: h.packLen}, err
}
