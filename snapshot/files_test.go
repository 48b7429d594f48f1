package snapshot_test

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestFilesListsTheManifestWithMSitesDownAndNamesTheCauseBeyond(t *testing.T) {
	c := startCluster(t, 5)
	files := fixture(1 << 20)
	load(t, c, "s1", "docs", files, "s2")
	s, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	waitCatalog(t, c, "docs", "s5")
	c.Kill("s1")
	c.Kill("s2") // m = 2: the file list is still there
	waitDead(t, c, "s5", "s1", "s2")
	got, err := c.Node("s5").Snapshots().Files(ctxFor(t, time.Minute), s.ID[:8], "")
	if err != nil || len(got) != len(files) {
		t.Fatalf("files with m sites down: %d of %d, %v", len(got), len(files), err)
	}
	for _, f := range got {
		want := files[f.Path]
		mode := os.FileMode(f.Mode)
		if f.Size != int64(len(want.data)) || f.Target != want.target || !f.MTime.Equal(want.mtime) || (want.target == "" && mode.Perm() != want.mode) {
			t.Errorf("%s: size %d mode %v mtime %v target %q; want %d %v %v %q", f.Path, f.Size, mode, f.MTime, f.Target, len(want.data), want.mode, want.mtime, want.target)
		}
	}
	under, err := c.Node("s5").Snapshots().Files(ctxFor(t, time.Minute), s.ID, "a/b/")
	if err != nil || len(under) != 1 || under[0].Path != "a/b/c/d/e/f/g/deep.txt" {
		t.Fatalf("files under a/b/: %+v, %v", under, err)
	}
	c.Kill("s3") // m+1
	waitDead(t, c, "s5", "s3")
	_, err = c.Node("s5").Snapshots().Files(ctxFor(t, time.Minute), s.ID, "")
	if err == nil || !strings.Contains(err.Error(), "cannot be rebuilt") {
		t.Fatalf("files with m+1 sites down: %v", err)
	}
}
