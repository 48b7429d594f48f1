package main

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// dropCaches syncs and drops the page cache, and says whether the
// kernel took it ("" on success).
func dropCaches() string {
	syscall.Sync()
	before := cachedKiB()
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0o200); err != nil {
		return fmt.Sprintf("cannot drop the page cache: %v", err)
	}
	if after := cachedKiB(); before > 0 && after > before/2 && after > 256<<10 {
		return fmt.Sprintf("drop_caches accepted but Cached went only from %d to %d KiB", before, after)
	}
	return ""
}

// settle reads every file under dir through the page cache, then drops
// the cache. On a VM that reports freed memory to its host (this one:
// virtio_balloon), a page freed a few seconds ago is still backed and
// cheap to fill again, one freed long ago costs a host fault: a buffered
// read of a GiB took 0.5 s of system time right after a drop that freed
// a GiB, 2.1 s 15 s after. Which case a tool met depended on what ran
// before it (restic's first backup ran 0.3-0.4 s slower after an ingest
// that read past the page cache than after one that filled it), so each
// timed run that reads or writes the tree starts from the same state:
// the tree's worth of pages just freed, as on a machine without a
// balloon.
func settle(dir string) string {
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if f, err := os.Open(path); err == nil {
				_, _ = io.Copy(io.Discard, f)
				f.Close()
			}
		}
		return nil
	})
	return dropCaches()
}

// cachedKiB is Cached from /proc/meminfo, or 0.
func cachedKiB() int64 {
	v, _ := procField("/proc/meminfo", "Cached:")
	return v
}

// vmHWM is the peak resident set of pid, in bytes.
func vmHWM(pid int) (int64, error) {
	kib, err := procField(fmt.Sprintf("/proc/%d/status", pid), "VmHWM:")
	return kib << 10, err
}

// procField reads the number after key in a /proc file (kB units).
func procField(path, key string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			fields := strings.Fields(rest)
			if len(fields) == 0 {
				break
			}
			return strconv.ParseInt(fields[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("%s: no %s", path, key)
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// cpuSeconds is the user+system CPU time pid has used so far, 0 for a
// process that is gone (a killed site adds nothing after its death).
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	_, rest, ok := strings.Cut(string(b), ") ") // comm may hold spaces
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / clockTicks
}
