package directio

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// writeAll writes data through a Writer in pieces of the given size.
func writeAll(t *testing.T, path string, data []byte, piece int) *Writer {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWriter(f)
	for p := data; len(p) > 0; {
		n := min(piece, len(p))
		if m, err := w.Write(p[:n]); err != nil || m != n {
			t.Fatalf("write %d: wrote %d, %v", n, m, err)
		}
		p = p[n:]
	}
	return w
}

func TestWriterFileHoldsExactlyTheBytesWrittenAtEverySize(t *testing.T) {
	dir := t.TempDir()
	sizes := []int{0, 1, align - 1, align, align + 1, blockSize - 1, blockSize, blockSize + 1, 3*blockSize + 12345}
	for _, size := range sizes {
		for _, piece := range []int{1000, align, blockSize + 7} {
			data := randomBytes(size, uint64(size))
			path := filepath.Join(dir, "f")
			closeAndCompare(t, writeAll(t, path, data, piece), path, data)
		}
	}
}

func TestWriterSyncFlushesTheTailAndKeepsWriting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	data := randomBytes(2*blockSize+99, 7)
	w := writeAll(t, path, data[:blockSize+10], 4096)
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data[:blockSize+10]) {
		t.Fatalf("after Sync the file holds %d bytes, want %d", len(got), blockSize+10)
	}
	if _, err := w.Write(data[blockSize+10:]); err != nil {
		t.Fatal(err)
	}
	closeAndCompare(t, w, path, data)
}

// closeAndCompare closes w and checks that path holds exactly data.
func closeAndCompare(t *testing.T, w *Writer, path string, data []byte) {
	t.Helper()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("%s holds %d bytes (%v), want the %d written", path, len(got), err, len(data))
	}
}

// Where O_DIRECT is refused at open (some FUSE and network file
// systems), every byte goes straight through the page cache.
func TestWriterWhereDirectIsRefusedWritesEveryByteBuffered(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := newWriter(f, false) // as NewWriter makes it when fcntl refuses
	data := randomBytes(blockSize+5, 3)
	for p := data; len(p) > 0; p = p[min(777, len(p)):] {
		if _, err := w.Write(p[:min(777, len(p))]); err != nil {
			t.Fatal(err)
		}
	}
	if w.Direct() || w.buf != nil {
		t.Fatal("a refused writer staged for direct writes")
	}
	closeAndCompare(t, w, path, data)
}

func TestReadFileReturnsWhatWasWrittenAtEverySize(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, MinSize - 1, MinSize, MinSize + 1, blockSize + align + 3} {
		data := randomBytes(size, uint64(size)+1)
		path := filepath.Join(dir, "f")
		if err := writeAll(t, path, data, 9999).Close(); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: read %d bytes (%v), differ", size, len(got), err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "absent")); !os.IsNotExist(err) {
		t.Fatalf("absent file: %v, want not-exist", err)
	}
}

// A file system that takes O_DIRECT at open but refuses a write gets the
// same bytes buffered, at the same offsets, even mid-file.
func TestWriterKeepsEveryByteWhenDirectWritesFailMidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWriter(f)
	if !w.Direct() {
		t.Skip("this file system refuses O_DIRECT: nothing to fail mid-file")
	}
	data := randomBytes(5*blockSize+align+5, 11)
	if _, err := w.Write(data[:blockSize+10]); err != nil {
		t.Fatal(err)
	}
	w.misalign() // the next direct write is refused (EINVAL)
	if _, err := w.Write(data[blockSize+10:]); err != nil {
		t.Fatal(err)
	}
	if w.Direct() {
		t.Fatal("the refused write did not turn the writer buffered")
	}
	closeAndCompare(t, w, path, data)
}

// One buffer read into again and again, and a misaligned one, give each
// file's bytes: a file that fits is read into the buffer's memory.
func TestReadFileToReusesAnAlignedBufferAndReadsEveryFileWhole(t *testing.T) {
	dir := t.TempDir()
	buf := AlignedBlock(2 * blockSize)[:0]
	for _, size := range []int{MinSize + 1, 10, blockSize + 3, 2*blockSize + 1, MinSize} {
		data := randomBytes(size, uint64(size)+7)
		path := filepath.Join(dir, "f")
		if err := writeAll(t, path, data, 4096).Close(); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFileTo(buf, path)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: read %d bytes (%v), differ", size, len(got), err)
		}
		if fits := size <= cap(buf); fits != (&got[:1][0] == &buf[:1][0]) {
			t.Fatalf("size %d: read into the buffer %v, want %v", size, !fits, fits)
		}
		if got, err := ReadFileTo(AlignedBlock(2 * blockSize)[1:1], path); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d into misaligned memory: %d bytes (%v), differ", size, len(got), err)
		}
	}
}
