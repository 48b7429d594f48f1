package store

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/restic/chunker"
	"github.com/zeebo/blake3"
)

// Hash is a chunk's BLAKE3-256 digest: its address.
type Hash [32]byte

func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes the hash as hex (JSON-friendly).
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes a hex hash.
func (h *Hash) UnmarshalText(b []byte) error {
	if hex.DecodedLen(len(b)) != len(h) {
		return fmt.Errorf("chunk hash %q: want %d hex digits", b, 2*len(h))
	}
	_, err := hex.Decode(h[:], b)
	return err
}

// HashOf returns the address of data.
func HashOf(data []byte) Hash { return blake3.Sum256(data) }

// Chunk sizes: content-defined chunks of 512 KiB on average keep a small
// edit inside a large file to about one chunk sent, while the per-chunk
// overhead (a Pebble key, a hash, a round of the replication protocol)
// stays small next to the data.
const (
	ChunkMin  = 128 << 10
	ChunkAvg  = 512 << 10
	ChunkMax  = 2 << 20
	chunkBits = 19 // log2(ChunkAvg)
)

// chunkPol is the Rabin polynomial of the chunker: fixed, so that every
// site cuts the same content at the same places and deduplicates it.
const chunkPol = chunker.Pol(0x3DA3358B4DC173)

// Split cuts r into content-defined chunks (restic's Rabin chunker, which
// is safe to run in many goroutines at once) and calls fn with each
// chunk's bytes and hash. The bytes are valid only during the call.
func Split(r io.Reader, fn func(data []byte, h Hash) error) error {
	s := splitters.Get().(*splitter)
	defer splitters.Put(s)
	s.c.ResetWithBoundaries(r, chunkPol, ChunkMin, ChunkMax)
	s.c.SetAverageBits(chunkBits)
	defer s.c.Reset(nil, chunkPol) // drop r before the pool keeps s
	for {
		ch, err := s.c.Next(s.buf)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("chunker: %w", err)
		}
		if err := fn(ch.Data, HashOf(ch.Data)); err != nil {
			return err
		}
	}
}

// splitter is a chunker and its chunk buffer, reused across files: a new
// one costs 2.5 MiB of zeroed memory, which for a tree of small files
// was more work than chunking them.
type splitter struct {
	c   *chunker.Chunker
	buf []byte
}

var splitters = sync.Pool{New: func() any {
	return &splitter{c: chunker.NewWithBoundaries(nil, chunkPol, ChunkMin, ChunkMax), buf: make([]byte, ChunkMax)}
}}
