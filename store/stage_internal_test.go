package store

import (
	"bytes"
	"path/filepath"
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
