package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// refsUnder marks the hash stored as the value of each key under "ref/":
// the tests' stand-in for the hot datasets' trees.
func refsUnder(ctx context.Context, r Scanner, mark func(Hash)) error {
	return r.Scan([]byte("ref/"), func(_, v []byte) error {
		var h Hash
		copy(h[:], v)
		mark(h)
		return nil
	})
}

// putRef stores data as a chunk and a reference to it under ref/name,
// in one batch, holding the store as a write does.
func putRef(t testing.TB, db *DB, name string, data []byte) Hash {
	t.Helper()
	defer db.Hold()()
	h := HashOf(data)
	b := db.NewBatch()
	if _, err := db.PutChunk(b, h, data); err != nil {
		t.Fatal(err)
	}
	b.Set([]byte("ref/"+name), h[:])
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return h
}

// memDB opens a database on an in-memory file system, closed at the
// test's end.
func memDB(t testing.TB) *DB {
	t.Helper()
	db, err := Open(Options{Dir: "db", FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func sweep(t testing.TB, db *DB) SweepStats {
	t.Helper()
	st, err := db.Sweep(context.Background(), refsUnder)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func wantChunk(t testing.TB, db *DB, h Hash, data []byte, what string) {
	t.Helper()
	got, err := db.Chunk(h)
	if err != nil || string(got) != string(data) {
		t.Fatalf("%s: chunk %s: %v (bytes equal: %v)", what, h, err, string(got) == string(data))
	}
}

func wantGone(t testing.TB, db *DB, h Hash, what string) {
	t.Helper()
	if _, err := db.Chunk(h); !errors.Is(err, ErrChunkMissing) {
		t.Fatalf("%s: chunk %s: err %v, want ErrChunkMissing", what, h, err)
	}
}

func TestASweepFreesTheChunksNothingReferencesAndKeepsTheRest(t *testing.T) {
	db := memDB(t)
	big, other, small := incompressible(1, 300<<10), incompressible(2, 300<<10), []byte("a small chunk, inline in Pebble")
	hb := putRef(t, db, "big", big)
	ho := putRef(t, db, "other", other)
	hs := putRef(t, db, "small", small)
	db.deleteKey(t, "ref/other")
	db.deleteKey(t, "ref/small")
	st := sweep(t, db)
	if st.Live != 1 || st.Freed != 2 || st.FreedBytes < 300<<10 {
		t.Fatalf("sweep = %+v, want 1 live, 2 freed of over 300 KiB", st)
	}
	wantChunk(t, db, hb, big, "referenced")
	wantGone(t, db, ho, "unreferenced, in a segment")
	wantGone(t, db, hs, "unreferenced, inline")
	if h := putRef(t, db, "other", other); h != ho {
		t.Fatal("hash changed")
	}
	wantChunk(t, db, ho, other, "stored again after its sweep")
}

// A write that finds a chunk already stored references it instead of
// storing it: here it does so while the sweep is marking (inside refs),
// after the image the sweep marks was taken without that reference.
func TestAChunkAWriteFindsDuringASweepIsSparedByIt(t *testing.T) {
	db := memDB(t)
	data := incompressible(3, 200<<10)
	h := putRef(t, db, "old", data)
	db.deleteKey(t, "ref/old") // unreferenced: the sweep's image will not mark it
	wrote := false
	st, err := db.Sweep(context.Background(), func(ctx context.Context, r Scanner, mark func(Hash)) error {
		if !wrote {
			wrote = true
			putRef(t, db, "new", data) // dedups against the chunk, references it
		}
		return refsUnder(ctx, r, mark)
	})
	if err != nil || st.Freed != 0 {
		t.Fatalf("sweep = %+v, %v: it freed a chunk a write found meanwhile", st, err)
	}
	wantChunk(t, db, h, data, "found by a write during the sweep")
	if st := sweep(t, db); st.Live != 1 || st.Freed != 0 {
		t.Fatalf("next sweep = %+v, want the chunk live by its new reference", st)
	}
}

// A write holding the store from before a sweep began may have found
// chunks it has not referenced yet; the sweep waits for it.
func TestASweepWaitsForTheWritesThatHeldTheStoreBeforeItBegan(t *testing.T) {
	db := memDB(t)
	data := incompressible(4, 200<<10)
	h := putRef(t, db, "old", data)
	db.deleteKey(t, "ref/old")
	release := db.Hold()
	if has, _ := db.HasChunk(h); !has { // the write finds it and will reference it
		t.Fatal("chunk missing")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	marked := false
	_, err := db.Sweep(ctx, func(context.Context, Scanner, func(Hash)) error { marked = true; return nil })
	if marked || !errors.Is(err, context.Canceled) {
		t.Fatalf("a sweep with a hold outstanding marked (%v) and returned %v; want it to wait, and give up with its context", marked, err)
	}
	done := make(chan SweepStats)
	go func() { done <- sweep(t, db) }()
	db.Set([]byte("ref/new"), h[:]) // the write's entry commits,
	release()                       // then it releases the store
	if st := <-done; st.Freed != 0 || st.Live != 1 {
		t.Fatalf("sweep = %+v, want the chunk live", st)
	}
	wantChunk(t, db, h, data, "referenced by a write that held the store")
}

func TestAnOpenViewKeepsTheChunksItReferencesUntilItCloses(t *testing.T) {
	db := memDB(t)
	data := incompressible(5, 200<<10)
	h := putRef(t, db, "f", data)
	v := db.View()
	db.deleteKey(t, "ref/f") // overwritten or deleted since the view
	if st := sweep(t, db); st.Freed != 0 {
		t.Fatalf("sweep = %+v: it freed a chunk an open view references", st)
	}
	wantChunk(t, db, h, data, "referenced by an open view")
	v.Close()
	if st := sweep(t, db); st.Freed != 1 {
		t.Fatalf("sweep after the view closed = %+v, want 1 freed", st)
	}
	wantGone(t, db, h, "after the view closed")
}

func TestOnlyOneSweepRunsAtATime(t *testing.T) {
	db := memDB(t)
	var inner error
	db.Sweep(context.Background(), func(ctx context.Context, r Scanner, mark func(Hash)) error {
		_, inner = db.Sweep(ctx, refsUnder)
		return nil
	})
	if !errors.Is(inner, ErrSweepRunning) {
		t.Fatalf("a second sweep during one returned %v, want ErrSweepRunning", inner)
	}
}

func (db *DB) deleteKey(t testing.TB, key string) {
	b := db.NewBatch()
	b.Delete([]byte(key))
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
}

// More dead chunks than one batch deletes are freed over several, and
// the referenced ones among them stay.
func TestASweepFreesMoreDeadChunksThanOneBatchHolds(t *testing.T) {
	db := memDB(t)
	b := db.NewBatch()
	var keep Hash
	for i := range sweepBatch + 500 {
		data := fmt.Appendf(nil, "small chunk %d", i)
		h := HashOf(data)
		if _, err := db.PutChunk(b, h, data); err != nil {
			t.Fatal(err)
		}
		if i == sweepBatch+7 {
			keep = h
			b.Set([]byte("ref/kept"), h[:])
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if st := sweep(t, db); st.Freed != sweepBatch+499 || st.Live != 1 {
		t.Fatalf("sweep = %+v, want %d freed and 1 live", st, sweepBatch+499)
	}
	wantChunk(t, db, keep, fmt.Appendf(nil, "small chunk %d", sweepBatch+7), "referenced, in the second batch")
}

// indexCount counts the chunk index's entries, as a first sweep does.
func indexCount(t testing.TB, db *DB) int {
	t.Helper()
	v := db.View()
	defer v.Close()
	n, err := countChunks(v)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAfterItsFirstSweepTheStoreKnowsItsChunkCountWithoutCountingTheIndex(t *testing.T) {
	db := memDB(t)
	for i := range 5 {
		putRef(t, db, fmt.Sprint(i), incompressible(uint64(i), 200<<10))
	}
	if _, known := db.count.forSweep(); known {
		t.Fatal("the count is known before any sweep has counted the index")
	}
	db.deleteKey(t, "ref/0")
	db.deleteKey(t, "ref/1")
	sweep(t, db)
	steps := []func(){
		func() {},
		func() { putRef(t, db, "5", incompressible(5, 200<<10)); putRef(t, db, "6", []byte("inline")) },
		func() { db.deleteKey(t, "ref/2"); sweep(t, db) },
	}
	for i, step := range steps {
		step()
		n, known := db.count.forSweep()
		if want := indexCount(t, db); !known || n != want {
			t.Fatalf("step %d: count %d (known %v), the index holds %d", i, n, known, want)
		}
	}
}
