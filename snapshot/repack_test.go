package snapshot_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/meshvault/meshvault/erasure"
	"github.com/meshvault/meshvault/policy"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

// smallFiles is n files of 100 KiB, one chunk each, packed together.
func smallFiles(n int) map[string]file {
	files := map[string]file{}
	for i := range n {
		files[fmt.Sprintf("f%02d.bin", i)] = file{randomBytes(uint64(100+i), 100<<10), 0o644, time.Unix(1e9, 0), ""}
	}
	return files
}

// keepEveryFourth removes three of every four of smallFiles' files
// from the dataset and returns the ones left.
func keepEveryFourth(t *testing.T, c *simulations.Cluster, files map[string]file) map[string]file {
	t.Helper()
	kept := map[string]file{}
	for i := 0; ; i++ {
		p := fmt.Sprintf("f%02d.bin", i)
		if _, ok := files[p]; !ok {
			break
		}
		if i%4 == 0 {
			kept[p] = files[p]
			continue
		}
		if _, err := c.Node("s1").Hot().Remove(context.Background(), "docs", p); err != nil {
			t.Fatal(err)
		}
	}
	return kept
}

// restoreAt restores a snapshot at site once its catalog entry there is
// the one s1 holds (a repack records it again, and gossip carries that).
func restoreAt(t *testing.T, c *simulations.Cluster, site, id string) string {
	t.Helper()
	waitSnapshotAt(t, c, site, id)
	dir := t.TempDir()
	if _, err := c.Node(site).Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Snapshot: id, Dir: dir, Verify: true}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// waitSnapshotAt waits until site holds snapshot id as s1 does, with
// the placement of each of its packs.
func waitSnapshotAt(t *testing.T, c *simulations.Cluster, site, id string) {
	t.Helper()
	want, _ := c.Node("s1").Snapshots().Catalog().Snapshot(id)
	err := simulations.WaitFor(ctxFor(t, 20*time.Second), site+" holds snapshot "+id, func() (bool, string) {
		cat := c.Node(site).Snapshots().Catalog()
		got, err := cat.Snapshot(id)
		return err == nil && got.Manifest == want.Manifest && len(cat.Missing(got)) == 0, got.Manifest
	})
	if err != nil {
		t.Fatal(err)
	}
}

func storedBytes(c *simulations.Cluster, site string) int {
	n := 0
	for _, p := range c.Node(site).Snapshots().Catalog().Packs() {
		n += p.Length
	}
	return n
}

func sameFiles(t *testing.T, dir string, want map[string]file) {
	t.Helper()
	for p, f := range want {
		if b, err := os.ReadFile(filepath.Join(dir, p)); err != nil || !bytes.Equal(b, f.data) {
			t.Fatalf("%s did not come back as it was (%v)", p, err)
		}
	}
}

// forgetAllButLast forgets every snapshot of docs but the newest and
// waits out the grace the prunes below use.
func forgetAllButLast(t *testing.T, c *simulations.Cluster) {
	t.Helper()
	if _, err := c.Node("s1").Snapshots().Forget(context.Background(), "docs", policy.Retention{Last: 1}, false); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
}

// forgottenBesideKept loads smallFiles(36) and extra into docs,
// snapshots, removes three small files of four, snapshots again and
// forgets the first snapshot: its packs then hold chunks only the
// forgotten snapshot needed beside chunks the kept one needs. It returns
// the kept snapshot and its files.
func forgottenBesideKept(t *testing.T, c *simulations.Cluster, extra map[string]file) (snapshot.Snapshot, map[string]file) {
	t.Helper()
	files := smallFiles(36)
	maps.Copy(files, extra)
	load(t, c, "s1", "docs", files, "s2")
	snap(t, c, "docs")
	kept := keepEveryFourth(t, c, files)
	maps.Copy(kept, extra)
	last := snap(t, c, "docs")
	forgetAllButLast(t, c)
	return last, kept
}

func TestPruneRepacksPartlyUsedPacksSoTheForgottenChunksBesideKeptOnesAreFreed(t *testing.T) {
	c := startCluster(t, 3)
	last, kept := forgottenBesideKept(t, c, nil)
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused})
	if err != nil {
		t.Fatal(err)
	}
	used := len(kept) * (100<<10 + erasure.SealOverhead) // random bytes are stored as they are
	if res.Repacked == 0 || res.RepackedBytes != int64(used) {
		t.Fatalf("repacked %d packs, %d bytes; want the %d bytes of the kept files copied", res.Repacked, res.RepackedBytes, used)
	}
	if got := storedBytes(c, "s1"); got > used+used/20+64<<10 { // 5 % unused at most, and the manifest
		t.Fatalf("the catalog still holds %d pack bytes for %d used: the forgotten chunks beside the kept ones were not freed", got, used)
	}
	sameFiles(t, restoreTo(t, c, last.ID), kept)
	sameFiles(t, restoreAt(t, c, "s3", last.ID), kept) // a site that only hears of the repack by gossip
}

func TestPruneWithMaxUnusedUnlimitedFreesWholePacksOnlyAndCopiesNothing(t *testing.T) {
	c := startCluster(t, 3)
	files := smallFiles(36)
	load(t, c, "s1", "docs", files, "s2")
	snap(t, c, "docs")
	keepEveryFourth(t, c, files)
	snap(t, c, "docs")
	before := storedBytes(c, "s1")
	forgetAllButLast(t, c)
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: -1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Repacked != 0 || res.RepackedBytes != 0 {
		t.Fatalf("repacked %d packs with --max-unused unlimited", res.Repacked)
	}
	if after := storedBytes(c, "s1"); after < before*9/10 {
		t.Fatalf("pack bytes fell from %d to %d without a repack: the shared packs should all have stayed", before, after)
	}
}

// A restore that began before its snapshot was forgotten, or before a
// repack moved its chunks, finishes: prune keeps the packs it reads.
func TestPruneNeverDeletesThePacksOfARestoreUnderWay(t *testing.T) {
	for _, tc := range []struct {
		name   string
		forget bool // forget the snapshot being restored; else repack it
	}{{"forgotten", true}, {"repacked", false}} {
		t.Run(tc.name, func(t *testing.T) {
			c := startCluster(t, 3)
			files := smallFiles(36)
			files["big.bin"] = file{randomBytes(9, 14<<20), 0o644, time.Unix(1e9, 0), ""}
			load(t, c, "s1", "docs", files, "s2")
			first := snap(t, c, "docs")
			target, want := first, files
			if !tc.forget {
				want = keepEveryFourth(t, c, files)
				want["big.bin"] = files["big.bin"]
				target = snap(t, c, "docs")
			}
			waitSnapshotAt(t, c, "s3", target.ID)
			paused, resume := make(chan struct{}), make(chan struct{})
			var once sync.Once
			dir := t.TempDir()
			restored := make(chan error, 1)
			go func() {
				_, err := c.Node("s3").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Snapshot: target.ID, Dir: dir, Verify: true,
					Progress: func(done, total int64) { once.Do(func() { close(paused); <-resume }) }})
				restored <- err
			}()
			select {
			case <-paused:
			case err := <-restored:
				t.Fatalf("the restore ended before it wrote a byte: %v", err)
			}
			if tc.forget { // a newer snapshot that shares no chunk with the one being restored
				for p := range files {
					if _, err := c.Node("s1").Hot().Remove(context.Background(), "docs", p); err != nil {
						t.Fatal(err)
					}
				}
				putFile(t, c, "docs", "new.bin", []byte("new"))
				snap(t, c, "docs")
			}
			forgetAllButLast(t, c)
			res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: 0})
			if err != nil {
				t.Fatal(err)
			}
			if !tc.forget && res.Repacked == 0 {
				t.Fatal("nothing was repacked: the case is not tested")
			}
			close(resume)
			if err := <-restored; err != nil {
				t.Fatalf("a restore under way during a prune: %v", err)
			}
			sameFiles(t, dir, want)
			res, err = c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: 0})
			if err != nil || res.Packs == 0 {
				t.Fatalf("prune after the restore: %v, freed %d packs; want the packs it kept freed now", err, res.Packs)
			}
		})
	}
}

func TestRepackingPrunesRacingNewSnapshotsLeaveEveryKeptSnapshotRestorable(t *testing.T) {
	c := startCluster(t, 3)
	files := smallFiles(24)
	load(t, c, "s1", "docs", files, "s2")
	snap(t, c, "docs")
	for round := range 3 {
		for i := range 8 {
			p := fmt.Sprintf("f%02d.bin", (round*8+i*3)%24)
			if i%2 == 0 {
				c.Node("s1").Hot().Remove(context.Background(), "docs", p)
			} else {
				putFile(t, c, "docs", p, files[p].data)
			}
		}
		snap(t, c, "docs")
		c.Node("s1").Snapshots().Forget(context.Background(), "docs", policy.Retention{Last: 2}, false)
		time.Sleep(250 * time.Millisecond)
		pruned := make(chan error, 1)
		go func() {
			_, err := c.Node("s2").Snapshots().Prune(context.Background(), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: 0})
			pruned <- err
		}()
		time.Sleep(time.Duration(round*100) * time.Millisecond)
		snap(t, c, "docs")
		if err := <-pruned; err != nil {
			t.Fatal(err)
		}
		for _, s := range c.Node("s1").Snapshots().Catalog().Snapshots("docs") {
			dir := t.TempDir()
			if _, err := c.Node("s1").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Snapshot: s.ID, Dir: dir, Verify: true}); err != nil {
				t.Fatalf("round %d: snapshot %s no longer restores: %v", round, s.ID, err)
			}
		}
	}
}

func TestPruneLeavesPacksWithAShardOnASiteDownUnrepackedAndStillSucceeds(t *testing.T) {
	c := startCluster(t, 4)
	last, kept := forgottenBesideKept(t, c, nil)
	if err := c.Kill("s4"); err != nil {
		t.Fatal(err)
	}
	waitDead(t, c, "s1", "s4")
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: 0})
	if err != nil {
		t.Fatal(err)
	}
	if res.Repacked != 0 {
		t.Fatalf("repacked %d packs with a shard on s4, which is down: a repack must not lower their redundancy", res.Repacked)
	}
	sameFiles(t, restoreTo(t, c, last.ID), kept)
}

func allShardFiles(c *simulations.Cluster) int {
	n := 0
	for _, s := range c.Names() {
		n += filesUnder(c, s)
	}
	return n
}

func TestARepackCutShortLeavesEverySnapshotRestorableAndTheNextPruneFinishesIt(t *testing.T) {
	c := startCluster(t, 3)
	last, kept := forgottenBesideKept(t, c, map[string]file{"big.bin": {randomBytes(9, 9<<20), 0o644, time.Unix(1e9, 0), ""}})
	before := allShardFiles(c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// No new pack can be committed for 300 ms; the prune is cancelled once
	// the repack's first new shards are written, at s1 or s2.
	c.SetLink("s1", "s3", simulations.LinkFault{Delay: 300 * time.Millisecond})
	go func() {
		for ctx.Err() == nil && allShardFiles(c) == before {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	if _, err := c.Node("s1").Snapshots().Prune(ctx, snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: 0}); err == nil {
		t.Fatal("a prune cancelled mid-repack reported success")
	}
	c.Heal()
	sameFiles(t, restoreTo(t, c, last.ID), kept)
	time.Sleep(300 * time.Millisecond) // the cut-short repack's packs are now older than the grace
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: 0})
	if err != nil || res.Repacked == 0 {
		t.Fatalf("the next prune: %v, repacked %d", err, res.Repacked)
	}
	sameFiles(t, restoreTo(t, c, last.ID), kept)
	res, err = c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: 0})
	if err != nil || res.Repacked != 0 || res.Young != 0 {
		t.Fatalf("a third prune: %v, repacked %d, young %d: every pack should be used and none left over", err, res.Repacked, res.Young)
	}
	if got, want := allShardFiles(c), 3*len(c.Node("s1").Snapshots().Catalog().Packs()); got != want {
		t.Fatalf("%d shard files for %d packs: the cut-short repack's shards were not all reclaimed", got, want/3)
	}
}
