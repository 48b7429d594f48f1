package store

import (
	"errors"
	"io"

	"github.com/zeebo/blake3"
)

// FastCDC (Xia et al., USENIX ATC 2016): a gear hash rolled over the
// bytes after ChunkMin, cut where its top bits are all zero, with a
// harder condition before ChunkAvg and an easier one after
// ("normalized chunking"), so chunk sizes cluster near the average.
// It runs several times faster than a Rabin fingerprint (BENCHMARKS.md).
//
// It is written here because the Go libraries at hand did not fit:
// jotfs/fastcdc-go writes its package-level table in every NewChunker
// (a data race when files are chunked concurrently), and
// PlakarKorp/go-cdc-chunkers cut at about ChunkMin + 32 KiB whatever the
// normal size for sizes this large (measured: a 161 KiB average for a
// 512 KiB target).

// gearSeed fixes the gear table: every site must cut the same content at
// the same places to deduplicate it.
const gearSeed = "meshvault fastcdc gear table v1"

// Masks over the gear hash's top bits, which depend on its last 64
// bytes: 2 bits harder than the average before ChunkAvg, 2 easier after.
const (
	maskHard = ^uint64(1<<(64-(chunkBits+2)) - 1)
	maskEasy = ^uint64(1<<(64-(chunkBits-2)) - 1)
)

type gearTable [256]uint64

func newGearTable() *gearTable {
	var raw [256 * 8]byte
	h := blake3.New()
	h.WriteString(gearSeed)
	if _, err := h.Digest().Read(raw[:]); err != nil {
		panic(err) // BLAKE3's output reader cannot fail
	}
	var g gearTable
	for i := range g {
		for j := range 8 {
			g[i] = g[i]<<8 | uint64(raw[i*8+j])
		}
	}
	return &g
}

// cut returns the length of the chunk at the start of data, which holds
// ChunkMax bytes unless the stream ends sooner.
func (g *gearTable) cut(data []byte) int {
	n := min(len(data), ChunkMax)
	if n <= ChunkMin {
		return n
	}
	var fp uint64
	i, normal := ChunkMin, min(ChunkAvg, n)
	for ; i < normal; i++ {
		if fp = fp<<1 + g[data[i]]; fp&maskHard == 0 {
			return i + 1
		}
	}
	for ; i < n; i++ {
		if fp = fp<<1 + g[data[i]]; fp&maskEasy == 0 {
			return i + 1
		}
	}
	return n
}

// cdc cuts a stream into chunks, reading it through a buffer of twice
// ChunkMax so a whole chunk is always in view.
type cdc struct {
	gear       *gearTable
	r          io.Reader
	buf        []byte
	start, end int
	eof        bool
}

// newCDC returns a chunker reading through buf, 2*ChunkMax bytes.
func newCDC(g *gearTable, buf []byte) *cdc { return &cdc{gear: g, buf: buf} }

func (c *cdc) reset(r io.Reader) { c.r, c.start, c.end, c.eof = r, 0, 0, false }

// next returns the next chunk, valid until the following call, or io.EOF.
func (c *cdc) next() ([]byte, error) {
	if c.end-c.start < ChunkMax && !c.eof {
		if err := c.fill(); err != nil {
			return nil, err
		}
	}
	if c.start == c.end {
		return nil, io.EOF
	}
	n := c.gear.cut(c.buf[c.start:c.end])
	chunk := c.buf[c.start : c.start+n]
	c.start += n
	return chunk, nil
}

// fill moves the unread bytes to the front and reads until the buffer is
// full or the stream ends.
func (c *cdc) fill() error {
	c.end = copy(c.buf, c.buf[c.start:c.end])
	c.start = 0
	for c.end < len(c.buf) {
		n, err := c.r.Read(c.buf[c.end:])
		c.end += n
		if errors.Is(err, io.EOF) {
			c.eof = true
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}
