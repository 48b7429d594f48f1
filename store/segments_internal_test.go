package store

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

func TestChunksSpanningSeveralSegmentsSurviveAPowerCutAfterCommit(t *testing.T) {
	fs := vfs.NewCrashableMem()
	db, err := Open(Options{Dir: "db", FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	db.segs.limit = 1 << 20 // rotate every MiB
	b := db.NewBatch()
	var kept [][]byte
	for i := range 12 {
		data := incompressible(uint64(i), 300<<10)
		if _, err := db.PutChunk(b, HashOf(data), data); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, data)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.segs.list(); len(n) < 4 {
		t.Fatalf("%d segments for 3.6 MiB at 1 MiB each: no rotation happened", len(n))
	}
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	db.Close()
	after, err := Open(Options{Dir: "db", FS: crashed})
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	for i, data := range kept {
		if got, err := after.Chunk(HashOf(data)); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("chunk %d after the power cut: %v", i, err)
		}
	}
}

// incompressible returns n bytes that zstd cannot shrink (a BLAKE3 XOF).
func incompressible(seed uint64, n int) []byte {
	out := make([]byte, n)
	for i := 0; i < n; i += 32 {
		h := HashOf(fmt.Appendf(nil, "%d/%d", seed, i))
		copy(out[i:], h[:])
	}
	return out
}

func TestRestartsWithoutWritesLeaveNoTrailOfEmptySegments(t *testing.T) {
	fs := vfs.NewMem()
	for range 3 {
		db, err := Open(Options{Dir: "db", FS: fs})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	db, err := Open(Options{Dir: "db", FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ids, _ := db.segs.list(); len(ids) != 1 {
		t.Fatalf("%d segment files after four opens without a write, want 1", len(ids))
	}
}
