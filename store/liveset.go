package store

import (
	"encoding/binary"
	"math/bits"
)

// liveSet is what a sweep marks: a Bloom filter over chunk hashes, so
// that a sweep's memory is about 2 bytes per chunk stored (20 MB for
// ten million chunks, some 6 TB) rather than a map's ~100. It has no
// false negatives, so a marked chunk is never freed; a false positive
// only keeps a dead chunk until a later sweep, which draws another seed
// and so errs on other chunks. At 16 bits per chunk and 11 probes, the
// false positive rate is ~0.05 %; small stores get at least 2^20 bits,
// which makes it negligible there.
type liveSet struct {
	words []uint64
	m     uint64 // bits
	seed  uint64
}

const (
	liveBitsPerChunk = 16
	liveProbes       = 11
	liveMinBits      = 1 << 20
)

// newLiveSet sizes a set for up to n chunks.
func newLiveSet(n int, seed uint64) *liveSet {
	m := max(uint64(n)*liveBitsPerChunk, liveMinBits)
	m = (m + 63) &^ 63
	return &liveSet{words: make([]uint64, m/64), m: m, seed: seed}
}

// probes derives the filter's positions from the hash itself: chunk
// hashes are BLAKE3, uniform already (double hashing, Kirsch and
// Mitzenmacher).
func (s *liveSet) probes(h Hash) (a, b uint64) {
	a = binary.LittleEndian.Uint64(h[0:8]) ^ s.seed
	b = binary.LittleEndian.Uint64(h[8:16]) ^ bits.RotateLeft64(s.seed, 29) | 1
	return a, b
}

func (s *liveSet) add(h Hash) {
	a, b := s.probes(h)
	for i := range uint64(liveProbes) {
		p := (a + i*b) % s.m
		s.words[p/64] |= 1 << (p % 64)
	}
}

func (s *liveSet) has(h Hash) bool {
	a, b := s.probes(h)
	for i := range uint64(liveProbes) {
		p := (a + i*b) % s.m
		if s.words[p/64]&(1<<(p%64)) == 0 {
			return false
		}
	}
	return true
}
