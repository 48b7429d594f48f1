package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// rsyncResult is one `rsync -a --stats` of the change.
type rsyncResult struct {
	Args  string `json:"args"`
	Sent  int64  `json:"total_bytes_sent"`
	Took  dur    `json:"took_ms"`
	Stats string `json:"-"`
}

// rsync runs rsync with args plus --stats src/ dst/ and reads "Total
// bytes sent" from its report.
func rsync(src, dst string, args ...string) (rsyncResult, error) {
	all := append(append([]string{}, args...), "--stats", src+"/", dst+"/")
	start := time.Now()
	out, err := exec.Command("rsync", all...).CombinedOutput()
	r := rsyncResult{Args: strings.Join(args, " "), Took: dur(time.Since(start)), Stats: string(out)}
	if err != nil {
		return r, fmt.Errorf("rsync %s: %w: %s", strings.Join(all, " "), err, out)
	}
	r.Sent, err = statBytes(string(out), "Total bytes sent")
	return r, err
}

func statBytes(stats, name string) (int64, error) {
	m := regexp.MustCompile(name + `: ([0-9,.]+)`).FindStringSubmatch(stats)
	if m == nil {
		return 0, fmt.Errorf("no %q in rsync's report:\n%s", name, stats)
	}
	return strconv.ParseInt(strings.NewReplacer(",", "", ".", "").Replace(m[1]), 10, 64)
}
