package store_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store"
)

func openMem(t *testing.T, fs vfs.FS) *store.DB {
	t.Helper()
	db, err := store.Open(store.Options{Dir: "db", FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCommittedBatchSurvivesACrashAndAnUncommittedOneLeavesNothing(t *testing.T) {
	fs := vfs.NewCrashableMem()
	db := openMem(t, fs)
	b := db.NewBatch()
	b.Set([]byte("a"), []byte("1"))
	b.Set([]byte("b"), []byte("2"))
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	pending := db.NewBatch()
	pending.Set([]byte("c"), []byte("3"))
	crashed := fs.CrashClone(vfs.CrashCloneCfg{}) // power cut: only synced data survives
	pending.Discard()
	db.Close()

	after := openMem(t, crashed)
	defer after.Close()
	for k, want := range map[string]string{"a": "1", "b": "2"} {
		if v, ok, _ := after.Get([]byte(k)); !ok || string(v) != want {
			t.Errorf("%s = %q (found %v) after the crash, want %q", k, v, ok, want)
		}
	}
	if _, ok, _ := after.Get([]byte("c")); ok {
		t.Error("a write of an uncommitted batch survived")
	}
}

func TestScanVisitsExactlyTheKeysWithThePrefixInOrder(t *testing.T) {
	db := openMem(t, vfs.NewMem())
	defer db.Close()
	for _, k := range []string{"p/b", "p/a", "q/a", "p\xff", "o"} {
		db.Set([]byte(k), []byte(k))
	}
	var got []string
	db.Scan([]byte("p/"), func(k, _ []byte) error { got = append(got, string(k)); return nil })
	if len(got) != 2 || got[0] != "p/a" || got[1] != "p/b" {
		t.Fatalf("scan p/ = %q", got)
	}
}

func TestChunkIsStoredOnceAndCorruptionIsDetected(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs)
	defer db.Close()
	data := randomChunk(1, 100<<10) // incompressible and above the inline size: a segment holds it
	h := store.HashOf(data)
	b := db.NewBatch()
	if stored, _ := db.PutChunk(b, h, data); !stored {
		t.Fatal("a new chunk was not stored")
	}
	b.Commit()
	if stored, _ := db.PutChunk(db.NewBatch(), h, data); stored {
		t.Fatal("a chunk already stored was stored again")
	}
	if got, err := db.Chunk(h); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("chunk read back: %q %v", got, err)
	}
	flipSegmentByte(t, fs, 3)
	if _, err := db.Chunk(h); err == nil {
		t.Fatal("corrupted chunk bytes were returned without error")
	}
	if _, err := db.Chunk(store.HashOf([]byte("other"))); !errors.Is(err, store.ErrChunkMissing) {
		t.Fatalf("missing chunk: %v", err)
	}
}

func TestSplitIsDeterministicAndAnEditMovesFewChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 16<<20)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	before := chunkSet(t, data)
	edited := bytes.Clone(data)
	copy(edited[8<<20:], []byte("an edit in the middle of a large file"))
	after := chunkSet(t, edited)
	changed := 0
	for h := range after {
		if !before[h] {
			changed++
		}
	}
	if changed == 0 || changed > 2 {
		t.Fatalf("a 37-byte edit changed %d of %d chunks, want 1 or 2", changed, len(after))
	}
}

func chunkSet(t *testing.T, data []byte) map[store.Hash]bool {
	t.Helper()
	set := map[store.Hash]bool{}
	var total int
	err := store.Split(bytes.NewReader(data), func(c []byte, h store.Hash) error {
		if len(c) > store.ChunkMax {
			t.Fatalf("chunk of %d bytes, over ChunkMax", len(c))
		}
		set[h] = true
		total += len(c)
		return nil
	})
	if err != nil || total != len(data) {
		t.Fatalf("split: %v, %d of %d bytes", err, total, len(data))
	}
	return set
}

func TestWriteFileAtomicReplacesContentAndMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("old"), 0o644)
	if err := store.WriteFileAtomic(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	info, _ := os.Stat(path)
	if string(b) != "new" || info.Mode().Perm() != 0o600 {
		t.Fatalf("got %q mode %v", b, info.Mode().Perm())
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("temp files left behind: %v", entries)
	}
}
