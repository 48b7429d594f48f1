package store_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store"
)

// flipSegmentByte corrupts one byte at off in the first chunk segment.
func flipSegmentByte(t *testing.T, fs vfs.FS, off int64) {
	t.Helper()
	names, _ := fs.List("db/chunks")
	for _, n := range names {
		if !strings.HasSuffix(n, ".seg") {
			continue
		}
		f, err := fs.OpenReadWrite(filepath.Join("db/chunks", n), vfs.WriteCategoryUnspecified)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b := make([]byte, 1)
		if _, err := f.ReadAt(b, off); err != nil {
			continue // an empty segment
		}
		b[0] ^= 0xff
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("no segment holds bytes")
}

func randomChunk(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	return data
}

// putChunks stores n chunks, small ones (kept inline) and large random
// ones (kept in segments), compressible and not.
func putChunks(t *testing.T, db *store.DB, b *store.Batch, prefix string, n int) [][]byte {
	t.Helper()
	var out [][]byte
	for i := range n {
		data := fmt.Appendf(nil, "%s chunk %d %s", prefix, i, strings.Repeat("x", i*1000))
		if i%2 == 1 {
			data = append(data, randomChunk(uint64(len(prefix)*100+i), i*20000)...)
		}
		if _, err := db.PutChunk(b, store.HashOf(data), data); err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func TestCommittedChunksSurviveAPowerCutAndUncommittedOnesAreNotIndexed(t *testing.T) {
	fs := vfs.NewCrashableMem()
	db := openMem(t, fs)
	b := db.NewBatch()
	kept := putChunks(t, db, b, "kept", 20)
	if err := b.CommitNoSync(); err != nil { // even unsynced batches sync their chunk bytes
		t.Fatal(err)
	}
	if err := db.Set([]byte("barrier"), nil); err != nil { // a synced write makes the batch durable
		t.Fatal(err)
	}
	pending := db.NewBatch()
	lost := putChunks(t, db, pending, "lost", 5)
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	pending.Discard()
	db.Close()

	after := openMem(t, crashed)
	defer after.Close()
	for _, data := range kept {
		if got, err := after.Chunk(store.HashOf(data)); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("committed chunk after the power cut: %v", err)
		}
	}
	for _, data := range lost {
		if ok, _ := after.HasChunk(store.HashOf(data)); ok {
			t.Fatal("a chunk of an uncommitted batch is indexed after the power cut")
		}
	}
}

func TestChunksFromEarlierSegmentsStayReadableAfterReopenAndNewOnesAppend(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs)
	b := db.NewBatch()
	first := putChunks(t, db, b, "first", 10)
	b.Commit()
	db.Close()

	db = openMem(t, fs)
	defer db.Close()
	b = db.NewBatch()
	second := putChunks(t, db, b, "second", 10)
	b.Commit()
	for _, data := range append(first, second...) {
		if got, err := db.Chunk(store.HashOf(data)); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("chunk %q...: %v", data[:12], err)
		}
	}
}

func TestDatabaseWithChunksInsidePebbleIsRefusedWithAnExplanation(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs)
	db.Set([]byte("chunk/0123"), []byte("old bytes"))
	db.Close()
	_, err := store.Open(store.Options{Dir: "db", FS: fs})
	if err == nil || !strings.Contains(err.Error(), "fresh data directory") {
		t.Fatalf("open of a pre-segment database: %v", err)
	}
}
