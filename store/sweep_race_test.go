package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// slowPutRef is putRef with a pause between finding or storing the chunk
// and committing the reference, where a sweep may run.
func slowPutRef(t testing.TB, db *DB, name string, data []byte) {
	defer db.Hold()()
	h := HashOf(data)
	b := db.NewBatch()
	if _, err := db.PutChunk(b, h, data); err != nil {
		t.Error(err)
		return
	}
	runtime.Gosched()
	b.Set([]byte("ref/"+name), h[:])
	if err := b.Commit(); err != nil {
		t.Error(err)
	}
}

// Writers keep storing chunks from a small set of contents (so most of
// their writes find the chunk already stored), referencing them and
// dropping older references, while sweeps run one after another. At the
// end every chunk still referenced reads back, byte for byte.
func TestSweepsBesideConcurrentWritesNeverLoseAReferencedChunk(t *testing.T) {
	db := memDB(t)
	contents := make([][]byte, 12)
	for i := range contents {
		contents[i] = incompressible(uint64(500+i), 70<<10+i*1000) // in segments, not inline
	}
	stop := make(chan struct{})
	var sweeps sync.WaitGroup
	sweeps.Add(1)
	go func() {
		defer sweeps.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.Sweep(context.Background(), refsUnder); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var writers sync.WaitGroup
	for w := range 4 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range 300 {
				slowPutRef(t, db, fmt.Sprintf("w%d/%d", w, i%2), contents[r.IntN(len(contents))])
				if i%3 == 0 {
					db.deleteKey(t, fmt.Sprintf("ref/w%d/%d", w, r.IntN(2)))
				}
			}
		}()
	}
	writers.Wait()
	close(stop)
	sweeps.Wait()
	sweep(t, db)
	byHash := map[Hash][]byte{}
	for _, c := range contents {
		byHash[HashOf(c)] = c
	}
	refs := 0
	db.Scan([]byte("ref/"), func(k, v []byte) error {
		var h Hash
		copy(h[:], v)
		wantChunk(t, db, h, byHash[h], string(k))
		refs++
		return nil
	})
	if refs == 0 {
		t.Fatal("no references left to check")
	}
}
