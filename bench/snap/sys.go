package main

import (
	"bufio"
	"fmt"
	"os"
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
