package snapshot_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

// ruinShards overwrites every shard file of pack under root but keep.
func ruinShards(t *testing.T, root, pack string, keep int) {
	t.Helper()
	var paths []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), pack+".") {
			paths = append(paths, p)
		}
		return nil
	})
	if len(paths) <= keep {
		t.Fatalf("found %d shard files of pack %s", len(paths), pack)
	}
	for _, p := range paths[keep:] {
		data, _ := os.ReadFile(p)
		if err := os.WriteFile(p, bytes.Repeat([]byte{0x5a}, len(data)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRestoreThatFailsMidwayLeavesNoPartialAndNoTemporaryFile(t *testing.T) {
	root := t.TempDir()
	c := simulations.Start(t, simulations.Options{Dir: root, N: 5})
	files := fixture(24 << 20)
	load(t, c, "s1", "docs", files, "s2")
	s, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	waitCatalog(t, c, "docs", "s3")
	// The big file spans several packs; leave only k-1 good shards of the
	// last of its data packs (the manifest's pack is the last of all).
	ruinShards(t, root, s.Packs[len(s.Packs)-2], 2)
	dir := t.TempDir()
	_, err = c.Node("s3").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Snapshot: s.ID, Dir: dir})
	if err == nil {
		t.Fatal("restore succeeded with a pack that cannot be decoded")
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.Contains(d.Name(), ".meshvault-") {
			t.Errorf("temporary file %s left behind", rel)
			return nil
		}
		want, ok := files[filepath.ToSlash(rel)]
		got, _ := os.ReadFile(p)
		if d.Type()&fs.ModeSymlink == 0 && (!ok || !bytes.Equal(got, want.data)) {
			t.Errorf("%s is under its final name but is not the snapshot's file", rel)
		}
		return nil
	})
}
