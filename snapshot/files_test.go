package snapshot_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
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
		if f.Size != int64(len(want.data)) || f.Target != want.target || !f.MTime.Equal(want.mtime) || (want.target == "" && mode&(os.ModeDir|os.ModePerm|os.ModeSetgid) != want.mode) {
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

func TestRestoreAsksTheFastSitesAndLeavesASlowOneAlmostIdle(t *testing.T) {
	c := startCluster(t, 5)
	files := map[string]file{"big.bin": {randomBytes(9, 64<<20), 0o644, time.Unix(1e9, 0), ""}}
	load(t, c, "s1", "docs", files, "s2")
	s, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	waitCatalog(t, c, "docs", "s5")
	c.SetLink("s5", "s1", simulations.LinkFault{Delay: time.Second}) // every get s5 sends s1 waits
	dir := t.TempDir()
	res, err := c.Node("s5").Snapshots().Restore(ctxFor(t, 2*time.Minute), snapshot.RestoreOptions{Snapshot: s.ID, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	checkRestored(t, dir, files)
	cat := c.Node("s5").Snapshots().Catalog()
	inOrder, packs := 0, 0 // packs whose data shards s1 holds one of: shard order asks it for each
	for _, id := range s.Packs {
		if p, _ := cat.Pack(id); id != s.Manifest {
			packs++
			if slices.Contains(p.Sites[:p.K], "s1") {
				inOrder++
			}
		}
	}
	total := 0
	for _, n := range res.ShardsFrom {
		total += n
	}
	if total != 3*packs {
		t.Fatalf("shards from %v: %d in all, want k=3 for each of %d packs", res.ShardsFrom, total, packs)
	}
	t.Logf("of %d packs, s1 holds a data shard of %d; asked %v, gave %v", packs, inOrder, res.ShardsAsked, res.ShardsFrom)
	// Asked in shard order, s1 would be asked for each of the inOrder
	// packs (~3 in 5, ~11 here). Known slow once a get to it has waited
	// twice as long as the fast sites take, it is asked only for the
	// packs fetched before then: at most the 4 fetched at once at the
	// start, and one more started while the first gets were under way.
	if res.ShardsAsked["s1"] > 5 {
		t.Fatalf("the slow site was asked %d times; it holds a data shard of %d packs (%v): it should be asked only until it is known slow", res.ShardsAsked["s1"], inOrder, res.ShardsAsked)
	}
}
