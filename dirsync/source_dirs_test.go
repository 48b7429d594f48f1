package dirsync_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/meshvault/meshvault/dirsync"
)

// Without rescans, only the directory's events can bring its entries
// up to date.
func TestSourceKeepsEmptyDirectoriesAndDirectoryModesAndMtimesFromEventsAlone(t *testing.T) {
	c := startCluster(t, 2)
	s0, s1 := c.Names()[0], c.Names()[1]
	create(t, c, "db", s0, s1)
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "empty"), 0o710))
	must(t, os.Chmod(filepath.Join(dir, "empty"), 0o710))
	write(t, dir, "full/a.txt", "alpha")
	e := engine(c, s0)
	startSource(t, e, dir, dirsync.SourceOptions{Rescan: time.Hour, Stable: 100 * time.Millisecond})
	waitDataset(t, e, dir)

	time.Sleep(20 * time.Millisecond)   // a new mtime for full/
	write(t, dir, "full/b.txt", "beta") // changes full/'s mtime
	must(t, os.Chmod(filepath.Join(dir, "empty"), 0o700))
	must(t, os.Mkdir(filepath.Join(dir, "later"), 0o755))
	waitDataset(t, e, dir)

	must(t, os.Remove(filepath.Join(dir, "empty")))
	must(t, os.RemoveAll(filepath.Join(dir, "full")))
	waitDataset(t, e, dir)
	if _, err := e.Stat("db", "empty"); err == nil {
		t.Fatal("the removed empty directory is still in the dataset")
	}
}
