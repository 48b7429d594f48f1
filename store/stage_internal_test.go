package store

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// Chunks are read back right after their append (from the stage), after
// a sync wrote a padded partial block, after later appends rewrote that
// block, and after a reopen: on the real file system (direct writes
// where it allows them) and on the in-memory one.
func TestChunksReadBackWhetherStagedPaddedOrWritten(t *testing.T) {
	for name, fs := range map[string]vfs.FS{"disk": vfs.Default, "mem": vfs.NewMem()} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "chunks")
			s, err := openSegments(fs, dir)
			if err != nil {
				t.Fatal(err)
			}
			var locs []loc
			var data [][]byte
			for i := range 40 {
				d := incompressible(uint64(i), 1+(i*97_001)%300_000)
				l, err := s.append(d)
				if err != nil {
					t.Fatal(err)
				}
				locs, data = append(locs, l), append(data, d)
				readAll(t, s, locs, data)
				if i%3 == 0 {
					if err := s.sync(l); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := s.sync(locs[len(locs)-1]); err != nil {
				t.Fatal(err)
			}
			s.close()
			if s, err = openSegments(fs, dir); err != nil {
				t.Fatal(err)
			}
			defer s.close()
			readAll(t, s, locs, data)
		})
	}
}

func readAll(t *testing.T, s *segments, locs []loc, data [][]byte) {
	t.Helper()
	for i, l := range locs {
		got, err := s.read(l)
		if err != nil || !bytes.Equal(got, data[i]) {
			t.Fatalf("chunk %d of %d (segment %d at %d, %d bytes): %v", i, len(locs), l.seg, l.off, l.n, err)
		}
	}
}

// Appends and syncs from many writers while segments rotate under them:
// a sync whose segment a rotation closed meanwhile (after syncing it)
// succeeds, and every chunk reads back.
func TestSyncsRacingRotationsAllSucceed(t *testing.T) {
	s, err := openSegments(vfs.Default, filepath.Join(t.TempDir(), "chunks"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	s.limit = 256 << 10 // a rotation every few appends
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			for i := range 60 {
				d := incompressible(uint64(w*1000+i), 20_000+i*1000)
				l, err := s.append(d)
				if err == nil {
					err = s.sync(l)
				}
				if err == nil {
					var got []byte
					if got, err = s.read(l); err == nil && !bytes.Equal(got, d) {
						err = fmt.Errorf("chunk %d/%d read back different bytes", w, i)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// failCreate is a file system whose Create fails while fail is set.
type failCreate struct {
	vfs.FS
	fail atomic.Bool
}

func (f *failCreate) Create(name string, c vfs.DiskWriteCategory) (vfs.File, error) {
	if f.fail.Load() {
		return nil, errors.New("injected: cannot create " + name)
	}
	return f.FS.Create(name, c)
}

// A rotation that cannot start the next segment fails that append; the
// closed segment's chunks stay synced and readable, and appends resume
// once a segment can be created again.
func TestFailedRotationFailsTheAppendAndLosesNothing(t *testing.T) {
	fs := &failCreate{FS: vfs.NewMem()}
	s, err := openSegments(fs, "chunks")
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	s.limit = 100 << 10
	a := incompressible(1, 80<<10)
	la, err := s.append(a)
	if err == nil {
		err = s.sync(la)
	}
	if err != nil {
		t.Fatal(err)
	}
	fs.fail.Store(true)
	if _, err := s.append(incompressible(2, 80<<10)); err == nil {
		t.Fatal("an append that needed a new segment succeeded without one")
	}
	if err := s.sync(la); err != nil {
		t.Fatalf("sync of a chunk in the closed segment: %v", err)
	}
	fs.fail.Store(false)
	c := incompressible(3, 1000)
	lc, err := s.append(c)
	if err == nil {
		err = s.sync(lc)
	}
	if err != nil {
		t.Fatalf("append once segments can be created again: %v", err)
	}
	readAll(t, s, []loc{la, lc}, [][]byte{a, c})
}
