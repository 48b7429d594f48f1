package store_test

import (
	"bytes"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store"
)

// Chunks put and read through one reused buffer, inline and in segments,
// staged and written: each read returns that chunk's stored form, and a
// replica that receives them the same way stores exactly those chunks.
func TestChunksThroughOneReusedBufferKeepTheirOwnBytes(t *testing.T) {
	src, dst := openMem(t, vfs.NewMem()), openMem(t, vfs.NewMem())
	defer src.Close()
	defer dst.Close()
	b := src.NewBatch()
	data := putChunks(t, src, b, "reuse", 30) // PutChunk encodes into one pooled buffer after another
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	var bufs store.Buffers
	buf := bufs.Get()
	defer bufs.Put(buf)
	rb := dst.NewBatch()
	for i, d := range data {
		h := store.HashOf(d)
		stored, err := src.StoredChunkTo(buf, h)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := src.StoredChunk(h); !bytes.Equal(stored, want) {
			t.Fatalf("chunk %d: StoredChunkTo returned other bytes than StoredChunk", i)
		}
		if _, err := dst.PutStoredChunk(rb, h, stored); err != nil { // decodes into a pooled buffer to check
			t.Fatal(err)
		}
	}
	if err := rb.Commit(); err != nil {
		t.Fatal(err)
	}
	for i, d := range data {
		if got, err := dst.Chunk(store.HashOf(d)); err != nil || !bytes.Equal(got, d) {
			t.Fatalf("replica's chunk %d: %v", i, err)
		}
	}
}
