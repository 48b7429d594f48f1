package directio

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// readThrough reads path through a Reader in pieces of the given size,
// into memory that is aligned (read straight into) or not (through the
// Reader's block).
func readThrough(t *testing.T, path string, piece int, aligned bool) ([]byte, *Reader) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r := NewReader(f)
	var got []byte
	buf := AlignedBlock(piece + 1)
	if buf = buf[:piece]; !aligned {
		buf = buf[1 : piece+1]
	}
	for {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			return got, r
		}
		if err != nil {
			t.Fatalf("read after %d bytes: %v", len(got), err)
		}
	}
}

func TestReaderReturnsExactlyTheFilesBytesAtEverySize(t *testing.T) {
	dir := t.TempDir()
	sizes := []int{0, 1, MinSize - 1, MinSize, MinSize + 1, blockSize, blockSize + 1, 3*blockSize + 12345}
	for _, size := range sizes {
		data := randomBytes(size, uint64(size)+3)
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, piece := range []int{1000, align, 3 * align, 2*blockSize + 7} {
			for _, aligned := range []bool{true, false} {
				got, r := readThrough(t, path, piece, aligned)
				if !bytes.Equal(got, data) {
					t.Fatalf("size %d, pieces of %d (aligned %v): read %d bytes, not the file's %d", size, piece, aligned, len(got), size)
				}
				r.Close()
			}
		}
	}
}

// A file system that takes O_DIRECT but refuses a read gets the rest of
// the file read buffered, from where the refused read was.
func TestReaderGoesOnBufferedWhenADirectReadIsRefusedMidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	data := randomBytes(4*blockSize+align+5, 13)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewReader(f)
	if !r.Direct() {
		t.Skip("this file system refuses O_DIRECT: nothing to refuse mid-file")
	}
	head := AlignedBlock(blockSize + 2*align)
	if _, err := io.ReadFull(r, head); err != nil { // read straight into head
		t.Fatal(err)
	}
	r.misalign()               // the next direct read is refused (EINVAL)
	rest, err := io.ReadAll(r) // into memory that is not aligned: through the block
	if r.Direct() {
		t.Fatal("the refused read did not turn the reader buffered")
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := append(head, rest...); !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, not the file's %d", len(got), len(data))
	}
}

func TestReaderAfterCloseReturnsErrClosed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, randomBytes(2*MinSize, 5), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewReader(f)
	r.Close()
	if _, err := r.Read(make([]byte, 10)); err != os.ErrClosed {
		t.Fatalf("read after Close: %v, want os.ErrClosed", err)
	}
}
