package store_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/meshvault/meshvault/store"
)

func TestChunkSizesAverageNearTheTargetWithinTheirBounds(t *testing.T) {
	data := randomChunk(9, 256<<20)
	n, short := 0, 0
	err := store.Split(bytes.NewReader(data), func(c []byte, _ store.Hash) error {
		if len(c) > store.ChunkMax {
			t.Fatalf("chunk of %d bytes, over ChunkMax", len(c))
		}
		if len(c) < store.ChunkMin {
			short++
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	avg := len(data) / n
	if avg < store.ChunkAvg*3/4 || avg > store.ChunkAvg*3/2 || short > 1 {
		t.Fatalf("%d chunks, average %d KiB (target %d KiB), %d under ChunkMin", n, avg>>10, store.ChunkAvg>>10, short)
	}
	t.Logf("%d chunks, average %d KiB", n, avg>>10)
}

func TestChunkingDoesNotDependOnHowTheReaderSplitsItsReads(t *testing.T) {
	data := randomChunk(4, 20<<20)
	whole := chunkSet(t, data)
	var got []store.Hash
	store.Split(&trickle{data: data}, func(_ []byte, h store.Hash) error { got = append(got, h); return nil })
	for _, h := range got {
		if !whole[h] {
			t.Fatal("a reader returning a few bytes at a time produced different chunks")
		}
	}
	if len(got) != len(whole) {
		t.Fatalf("%d chunks from a trickling reader, %d from a whole one", len(got), len(whole))
	}
}

// trickle returns at most 1000 bytes per Read.
type trickle struct{ data []byte }

func (r *trickle) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 1000)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func BenchmarkSplit(b *testing.B) {
	data := randomChunk(5, 64<<20)
	b.SetBytes(int64(len(data)))
	for range b.N {
		store.Split(bytes.NewReader(data), func([]byte, store.Hash) error { return nil })
	}
}
