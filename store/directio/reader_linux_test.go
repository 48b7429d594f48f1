package directio

import (
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// residentPages counts the pages of path that are in the page cache.
func residentPages(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	m, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	vec := make([]byte, (len(m)+os.Getpagesize()-1)/os.Getpagesize())
	_, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0])))
	if errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

// evict syncs path and asks the kernel to drop its cached pages.
func evict(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
}

func TestReaderLeavesALargeFileOutOfThePageCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, randomBytes(4*blockSize, 17), 0o600); err != nil {
		t.Fatal(err)
	}
	evict(t, path)
	if n := residentPages(t, path); n > 16 {
		t.Skipf("the kernel kept %d pages cached after FADV_DONTNEED: cannot tell", n)
	}
	for _, aligned := range []bool{true, false} {
		_, r := readThrough(t, path, 64<<10, aligned)
		if !r.Direct() {
			t.Skip("this file system refuses O_DIRECT")
		}
		if n := residentPages(t, path); n > 16 {
			t.Fatalf("%d of the file's %d pages are cached after a read past the page cache (aligned memory %v)", n, 4*blockSize/4096, aligned)
		}
	}
}
