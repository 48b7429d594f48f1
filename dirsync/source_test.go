package dirsync_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/dirsync"
	"github.com/meshvault/meshvault/hot"
)

var fast = dirsync.SourceOptions{Rescan: 300 * time.Millisecond, Stable: 100 * time.Millisecond}

func write(t *testing.T, dir, p, body string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func startSource(t *testing.T, e *hot.Engine, dir string, opts dirsync.SourceOptions) {
	t.Helper()
	s, err := dirsync.StartSource(context.Background(), e, "db", dir, logger(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
}

// waitDataset waits until the dataset at e equals the directory.
func waitDataset(t *testing.T, e *hot.Engine, dir string) {
	t.Helper()
	waitFor(t, "dataset equal to source dir", func() (bool, string) {
		want, err := tree(dir)
		if err != nil {
			return false, err.Error()
		}
		got, err := datasetTree(e, "db")
		if err != nil {
			return false, err.Error()
		}
		return same(got, want)
	})
}

func TestSourcePicksUpNewChangedRenamedAndDeletedFiles(t *testing.T) {
	c := startCluster(t, 2)
	s0, s1 := c.Names()[0], c.Names()[1]
	create(t, c, "db", s0, s1)
	dir := t.TempDir()
	write(t, dir, "a.txt", "alpha")
	write(t, dir, "sub/b.txt", "beta")
	if err := os.Symlink("a.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if _, err := dirsync.StartSource(context.Background(), engine(c, s1), "db", dir, logger(t), fast); err == nil || !strings.Contains(err.Error(), "not its primary") {
		t.Fatalf("source at a replica: err = %v", err)
	}
	e := engine(c, s0)
	startSource(t, e, dir, fast)
	waitDataset(t, e, dir)

	write(t, dir, "new/deep/c.txt", "gamma")
	write(t, dir, "a.txt", "alpha, longer now")
	must(t, os.Rename(filepath.Join(dir, "sub/b.txt"), filepath.Join(dir, "sub/b2.txt")))
	must(t, os.Remove(filepath.Join(dir, "link")))
	waitDataset(t, e, dir)

	must(t, os.Rename(filepath.Join(dir, "new"), filepath.Join(dir, "moved")))
	must(t, os.RemoveAll(filepath.Join(dir, "sub")))
	waitDataset(t, e, dir)
}

func TestSourceTakesAGrowingFileOnlyOnceStable(t *testing.T) {
	c := startCluster(t, 2)
	s0, s1 := c.Names()[0], c.Names()[1]
	create(t, c, "db", s0, s1)
	dir := t.TempDir()
	e := engine(c, s0)
	startSource(t, e, dir, dirsync.SourceOptions{Rescan: 200 * time.Millisecond, Stable: time.Second})
	f, err := os.Create(filepath.Join(dir, "grow.log"))
	must(t, err)
	defer f.Close()
	for i := 0; i < 20; i++ {
		_, err := f.WriteString("line\n")
		must(t, err)
		time.Sleep(100 * time.Millisecond)
		if _, err := e.Stat("db", "grow.log"); err == nil {
			t.Fatalf("grow.log taken after %d appends, while still growing", i+1)
		}
	}
	waitDataset(t, e, dir)
	got, _ := datasetTree(e, "db")
	if !strings.Contains(got["grow.log"], strings.Repeat(`line\n`, 20)) {
		t.Fatalf("grow.log = %s", got["grow.log"])
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSourceTakesAFileAsSoonAsItsWriterClosesIt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("closed files are noticed through inotify; elsewhere they wait out the stability period")
	}
	c := startCluster(t, 2)
	s0, s1 := c.Names()[0], c.Names()[1]
	create(t, c, "db", s0, s1)
	dir := t.TempDir()
	e := engine(c, s0)
	// An hour of stability and of rescans: only the close can make them due.
	startSource(t, e, dir, dirsync.SourceOptions{Rescan: time.Hour, Stable: time.Hour})
	write(t, dir, "report.txt", "done")
	waitDataset(t, e, dir)
}
