package dirsync_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshvault/meshvault/dirsync"
)

func TestMirrorRefusesBadDirectoriesAndChangesNothing(t *testing.T) {
	c := startCluster(t, 3)
	s0, s1, s2 := c.Names()[0], c.Names()[1], c.Names()[2]
	create(t, c, "db", s0, s1)
	put(t, engine(c, s0), "db", "a.txt", "alpha", 0o640)
	digest, _, _ := engine(c, s0).Digest("db")

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := dirsync.StartMirror(context.Background(), engine(c, s1), "db", dir, logger(t))
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("non-empty dir: err = %v, want one naming %s and 'not empty'", err, dir)
	}
	got, _ := tree(dir)
	if len(got) != 1 || !strings.Contains(got["keep.txt"], `"mine"`) {
		t.Fatalf("mirror dir changed: %v", got)
	}
	if _, err := dirsync.StartMirror(context.Background(), engine(c, s2), "db", t.TempDir(), logger(t)); err == nil || !strings.Contains(err.Error(), "no copy") {
		t.Fatalf("site without a copy: err = %v", err)
	}
	if os.Geteuid() != 0 {
		ro := t.TempDir()
		os.Chmod(ro, 0o555)
		t.Cleanup(func() { os.Chmod(ro, 0o755) })
		if _, err := dirsync.StartMirror(context.Background(), engine(c, s1), "db", ro, logger(t)); err == nil || !strings.Contains(err.Error(), "not writable") {
			t.Fatalf("read-only dir: err = %v", err)
		}
	}
	if after, _, _ := engine(c, s0).Digest("db"); after != digest {
		t.Fatal("dataset changed")
	}
}

func TestMirrorReproducesTheDatasetAndFollowsPutsAndDeletes(t *testing.T) {
	c := startCluster(t, 2)
	s0, s1 := c.Names()[0], c.Names()[1]
	create(t, c, "db", s0, s1)
	e0, e1 := engine(c, s0), engine(c, s1)
	put(t, e0, "db", "a.txt", "alpha", 0o640)
	put(t, e0, "db", "bin/run.sh", "#!/bin/sh\n", 0o755)
	if _, err := e0.Put(context.Background(), "db", "current", hotLink("a.txt")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "mirror")
	m, err := dirsync.StartMirror(context.Background(), e1, "db", dir, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Stop)
	waitMirror(t, dir, func() (map[string]string, error) { return datasetTree(e1, "db") })

	put(t, e0, "db", "a.txt", "alpha, changed", 0o600)
	put(t, e0, "db", "deep/er/new.txt", "new", 0o644)
	if _, err := e0.Remove(context.Background(), "db", "bin/run.sh"); err != nil {
		t.Fatal(err)
	}
	waitMirror(t, dir, func() (map[string]string, error) { return datasetTree(e0, "db") })
	waitFor(t, "empty dir bin pruned", func() (bool, string) {
		_, err := os.Stat(filepath.Join(dir, "bin"))
		return os.IsNotExist(err), "bin still there"
	})
}

func waitMirror(t *testing.T, dir string, want func() (map[string]string, error)) {
	t.Helper()
	waitFor(t, "mirror equal to dataset", func() (bool, string) {
		w, err := want()
		if err != nil {
			return false, err.Error()
		}
		got, err := tree(dir)
		if err != nil {
			return false, err.Error()
		}
		return sameMirror(got, w)
	})
}
