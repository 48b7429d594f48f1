package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// Direct reads return the bytes buffered reads do, whether a chunk is
// still staged, in a padded block (on disk as zeros), written, or in a reopened segment,
// into one reused buffer; on the real disk they go past the page cache
// (the segment has a direct handle), on the in-memory one through it.
func TestDirectReadsReturnTheBytesBufferedReadsDoWhereverTheChunkLies(t *testing.T) {
	for name, fs := range map[string]vfs.FS{"disk": vfs.Default, "mem": vfs.NewMem()} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "chunks")
			s, err := openSegments(fs, dir)
			if err != nil {
				t.Fatal(err)
			}
			var locs []loc
			var data [][]byte
			for i := range 30 {
				d := incompressible(uint64(i), 1+(i*131_071)%(ChunkMax+4<<10))
				l, err := s.append(d)
				if err != nil {
					t.Fatal(err)
				}
				locs, data = append(locs, l), append(data, d)
				readAllDirect(t, s, locs, data)
				if i%4 == 0 { // a sync pads the last block; a small chunk then lands in the padding on disk
					if err := s.sync(l); err != nil {
						t.Fatal(err)
					}
					small := incompressible(uint64(1000+i), 100)
					if l, err = s.append(small); err != nil {
						t.Fatal(err)
					}
					locs, data = append(locs, l), append(data, small)
					readAllDirect(t, s, locs, data)
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
			readAllDirect(t, s, locs, data)
			if got := s.directFile(locs[0].seg) != nil; got != (name == "disk") {
				t.Fatalf("segment %d has a direct handle: %v, want %v (direct reads on the disk only)", locs[0].seg, got, name == "disk")
			}
		})
	}
}

func readAllDirect(t *testing.T, s *segments, locs []loc, data [][]byte) {
	t.Helper()
	var pool Buffers
	buf := pool.Get()
	defer pool.Put(buf)
	for i, l := range locs {
		got, err := s.readDirectTo(buf, l)
		if err != nil || !bytes.Equal(got, data[i]) {
			t.Fatalf("chunk %d of %d read direct (segment %d at %d, %d bytes): %v", i, len(locs), l.seg, l.off, l.n, err)
		}
	}
}

// A byte flipped on disk under a chunk of a closed segment is caught by
// the checksum on the direct path too, not returned as the chunk.
func TestADirectReadOfACorruptedChunkFailsItsChecksum(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "chunks")
	s, err := openSegments(vfs.Default, dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.append(incompressible(7, 300<<10))
	if err == nil {
		err = s.rotate() // closes (and syncs) the segment: nothing of it stays staged
	}
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	path := filepath.Join(dir, segmentName(l.seg))
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[l.off+5000] ^= 0x40
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = s.readDirectTo(nil, l)
	if err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("direct read of a corrupted chunk: %v, want a checksum error", err)
	}
}
