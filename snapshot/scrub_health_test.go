package snapshot_test

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

func TestHealthCountsShardsTheLastScrubFoundBadAsLostUntilAScrubRepairsThem(t *testing.T) {
	c := startCluster(t, 5)
	loadCoded(t, c, "3+2", fixture(5<<20))
	s := snap(t, c, "docs")
	waitCatalog(t, c, "docs", c.Names()...)
	eng := c.Node("s4").Snapshots()
	p, _ := eng.Catalog().Pack(s.Packs[0])
	want := func(e *snapshot.Engine, survives, bad int) (bool, string) {
		h := e.Health(s)
		return h.Survives == survives && h.Bad == bad, fmt.Sprintf("health %+v, want survives %d with %d bad shards", h, survives, bad)
	}
	if ok, why := want(eng, 2, 0); !ok {
		t.Fatal(why)
	}
	for i, survives := range []int{1, 0} { // a bad shard costs one site loss; a second in the same pack, another
		if err := flipByte(shardFile(t, c.Node(p.Sites[i]).DataDir(), p.ID, i), 100); err != nil {
			t.Fatal(err)
		}
		if res, err := eng.Scrub(ctxFor(t, time.Minute), snapshot.ScrubOptions{}); err != nil || len(res.Bad) != i+1 {
			t.Fatalf("scrub after rotting %d shards: %+v, %v", i+1, res, err)
		}
		if ok, why := want(eng, survives, i+1); !ok {
			t.Fatalf("at the scrubbing site: %s", why)
		}
	}
	other := c.Node("s1").Snapshots() // the record reaches every site with the catalog
	if err := simulations.WaitFor(ctxFor(t, 30*time.Second), "s1 to count the bad shards", func() (bool, string) { return want(other, 0, 2) }); err != nil {
		t.Fatal(err)
	}
	if res, err := eng.Scrub(ctxFor(t, time.Minute), snapshot.ScrubOptions{Repair: true}); err != nil || res.Repaired != 2 {
		t.Fatalf("scrub --repair: %+v, %v; want both repaired", res, err)
	}
	if ok, why := want(eng, 2, 0); !ok {
		t.Fatalf("after the repair: %s", why)
	}
}

func TestAScrubThatFoundBadShardsWithoutRepairingMakesTheScheduledOneDueAtOnce(t *testing.T) {
	const every = 40 * time.Second // scheduled scrubs look every 5 s
	c := simulations.Start(t, simulations.Options{N: 3, ScrubEvery: every})
	load(t, c, "s1", "docs", map[string]file{"a.bin": {randomBytes(11, 3<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	s := snap(t, c, "docs")
	waitCatalog(t, c, "docs", c.Names()...)
	eng := c.Node("s3").Snapshots()
	p, _ := eng.Catalog().Pack(s.Packs[0])
	path := shardFile(t, c.Node(p.Sites[1]).DataDir(), p.ID, 1)
	original, _ := os.ReadFile(path)
	if err := flipByte(path, 300); err != nil {
		t.Fatal(err)
	}
	found, err := eng.Scrub(ctxFor(t, time.Minute), snapshot.ScrubOptions{})
	if err != nil || len(found.Bad) != 1 {
		t.Fatalf("scrub without repair: %+v, %v; want the rotten shard", found, err)
	}
	manual, _ := eng.Catalog().LastScrub()
	err = simulations.WaitFor(ctxFor(t, time.Minute), "a scheduled scrub to repair the shard", func() (bool, string) {
		got, _ := os.ReadFile(path)
		last, _ := eng.Catalog().LastScrub()
		return bytes.Equal(got, original) && last.Repair, fmt.Sprintf("last scrub %+v", last)
	})
	if err != nil {
		t.Fatal(err)
	}
	if last, _ := eng.Catalog().LastScrub(); last.Time.Sub(manual.Time) >= every {
		t.Fatalf("the repairing scrub ran %s after the one that found the shard: it waited out the interval (%s)", last.Time.Sub(manual.Time), every)
	}
}
