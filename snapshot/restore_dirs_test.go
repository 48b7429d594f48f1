package snapshot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/snapshot"
)

func TestRestoringADirectoryEntryKeepsAnExistingDirectoryButReplacesAFileOnlyWhenTold(t *testing.T) {
	c := startCluster(t, 3)
	mtime := time.Date(2025, 5, 5, 5, 5, 5, 0, time.UTC)
	load(t, c, "s1", "docs", map[string]file{"keep": {nil, os.ModeDir | 0o751, mtime, ""}}, "s2")
	if _, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil); err != nil {
		t.Fatal(err)
	}
	restore := func(dir string, overwrite bool) error {
		_, err := c.Node("s1").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Dataset: "docs", Dir: dir, Overwrite: overwrite})
		return err
	}
	withDir := t.TempDir()
	os.Mkdir(filepath.Join(withDir, "keep"), 0o755)
	os.WriteFile(filepath.Join(withDir, "keep", "mine.txt"), []byte("mine"), 0o644)
	if err := restore(withDir, false); err != nil {
		t.Fatalf("restore onto an existing directory: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(withDir, "keep", "mine.txt")); string(b) != "mine" {
		t.Fatal("a file inside the existing directory was lost")
	}
	checkRestored(t, withDir, map[string]file{"keep": {nil, os.ModeDir | 0o751, mtime, ""}})

	withFile := t.TempDir()
	os.WriteFile(filepath.Join(withFile, "keep"), []byte("precious"), 0o644)
	if err := restore(withFile, false); err == nil || !strings.Contains(err.Error(), "--overwrite") {
		t.Fatalf("restore of a directory over a file: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(withFile, "keep")); string(b) != "precious" {
		t.Fatal("the file in the directory's way was touched without --overwrite")
	}
	if err := restore(withFile, true); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, withFile, map[string]file{"keep": {nil, os.ModeDir | 0o751, mtime, ""}})
}
