package store

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/zeebo/blake3"

	"github.com/meshvault/meshvault/store/bufpool"
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

// Chunk sizes: content-defined chunks of about half a MiB keep a small
// edit inside a large file to about one chunk sent, while the per-chunk
// overhead (a Pebble key, a hash, a round of the replication protocol)
// stays small next to the data. ChunkAvg is FastCDC's normal size, where
// its cut condition eases; the measured average is ~586 KiB
// (TestChunkSizesAverageNearTheTargetWithinTheirBounds).
const (
	ChunkMin  = 128 << 10
	ChunkAvg  = 512 << 10
	ChunkMax  = 2 << 20
	chunkBits = 19 // log2(ChunkAvg)
)

// Split cuts r into content-defined chunks (FastCDC, see fastcdc.go) and
// calls fn with each chunk's bytes and hash. The bytes are valid only
// during the call. It is safe to run in many goroutines at once.
func Split(r io.Reader, fn func(data []byte, h Hash) error) error {
	buf := splitBufs.Get()
	defer splitBufs.Put(buf)
	c := newCDC(gear, buf)
	c.reset(r)
	for {
		data, err := c.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("chunker: %w", err)
		}
		if err := fn(data, HashOf(data)); err != nil {
			return err
		}
	}
}

// splitBufs reuses the chunkers' 4 MiB buffers across files (a new
// buffer for every small file costs more than chunking it), outside the
// Go heap and let go of once idle (store/bufpool). The gear table is
// shared and read-only.
var gear = newGearTable()

var splitBufs = bufpool.New(2*ChunkMax, 2*runtime.GOMAXPROCS(0))
