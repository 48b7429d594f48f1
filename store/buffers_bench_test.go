package store_test

import (
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store"
)

// A replica's work per chunk received: check it (decode into a reused
// buffer, hash) and stage it in a segment. Its allocations per chunk are
// what decides how often the replica collects garbage.
func BenchmarkReplicaChecksAndStagesAReceivedChunk(b *testing.B) {
	db, err := store.Open(store.Options{Dir: b.TempDir(), FS: vfs.Default})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	data := []byte(strings.Repeat("compressible chunk text ", 20_000)) // ~470 KiB
	h, stored := store.HashOf(data), db.Codec().Encode(data)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		batch := db.NewBatch()
		if _, err := db.PutStoredChunk(batch, h, stored); err != nil {
			b.Fatal(err)
		}
		batch.Discard() // never indexed: the next loop stores it again
	}
}

// A shipper's or a snapshot's read of a chunk into one reused buffer.
func BenchmarkStoredChunkIntoAReusedBuffer(b *testing.B) {
	db, err := store.Open(store.Options{Dir: b.TempDir(), FS: vfs.Default})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	data := randomChunk(9, 512<<10)
	h := store.HashOf(data)
	batch := db.NewBatch()
	if _, err := db.PutChunk(batch, h, data); err != nil {
		b.Fatal(err)
	}
	if err := batch.Commit(); err != nil {
		b.Fatal(err)
	}
	var bufs store.Buffers
	buf := bufs.Get()
	defer bufs.Put(buf)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := db.StoredChunkTo(buf, h); err != nil {
			b.Fatal(err)
		}
	}
}
