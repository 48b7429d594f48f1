package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// restic runs restic against one local repository.
type restic struct {
	bin, repo, cache string
}

// resticRun is one restic command: wall time, CPU time and peak RSS
// (the process's own, from wait4), and for a backup its summary.
type resticRun struct {
	Seconds   float64 `json:"seconds"`
	MaxRSS    int64   `json:"max_rss_bytes"`
	CPU       float64 `json:"cpu_s"` // user + system
	DataAdded int64   `json:"data_added"`
	Processed int64   `json:"total_bytes_processed"`
	FilesNew  int     `json:"files_new"`
	FilesChg  int     `json:"files_changed"`
	// SyncSeconds is, for a restore, how long a sync(2) right after it
	// took: restic 0.14 fsyncs no restored file, so its files are on
	// disk only then; ours are when our restore returns.
	SyncSeconds float64 `json:"sync_s,omitempty"`
}

func newRestic(bin, work string) *restic {
	return &restic{bin: bin, repo: filepath.Join(work, "restic-repo"), cache: filepath.Join(work, "restic-cache")}
}

// run runs restic with args and returns its stdout and the run's time
// and peak RSS.
func (r *restic) run(args ...string) ([]byte, resticRun, error) {
	cmd := exec.Command(r.bin, append([]string{"--repo", r.repo, "--cache-dir", r.cache}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD=x")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	rr := resticRun{Seconds: time.Since(t0).Seconds()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rr.MaxRSS = ru.Maxrss << 10
		rr.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	if err != nil {
		return nil, rr, fmt.Errorf("restic %v: %w: %s", args, err, errb.String())
	}
	return out.Bytes(), rr, nil
}

func (r *restic) init() error {
	_, _, err := r.run("init")
	return err
}

// backup backs up dir and reads the --json summary.
func (r *restic) backup(dir string) (resticRun, error) {
	out, rr, err := r.run("backup", "--json", dir)
	if err != nil {
		return rr, err
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var s struct {
			Type      string `json:"message_type"`
			DataAdded int64  `json:"data_added"`
			Processed int64  `json:"total_bytes_processed"`
			FilesNew  int    `json:"files_new"`
			FilesChg  int    `json:"files_changed"`
		}
		if json.Unmarshal(sc.Bytes(), &s) == nil && s.Type == "summary" {
			rr.DataAdded, rr.Processed, rr.FilesNew, rr.FilesChg = s.DataAdded, s.Processed, s.FilesNew, s.FilesChg
			return rr, nil
		}
	}
	return rr, fmt.Errorf("restic backup: no summary in its --json output")
}

// restore restores the latest snapshot under target. restic restores
// the absolute path of the backed-up dir under target.
func (r *restic) restore(target string) (resticRun, error) {
	_, rr, err := r.run("restore", "latest", "--target", target)
	return rr, err
}

// repoBytes is the repository's size on disk, like du -sb.
func (r *restic) repoBytes() (int64, error) {
	return dirBytes(r.repo)
}
