package snapshot_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

// shardFile is where site keeps shard index of pack.
func shardFile(t *testing.T, dir, pack string, index int) string {
	t.Helper()
	return filepath.Join(dir, "shards", pack[:2], fmt.Sprintf("%s.%03d", pack, index))
}

// damage is one fault put on a shard file at its site.
type damage struct {
	pack          string
	index         int
	site, problem string
	do            func(path string) error
}

func TestScrubFindsEachRottenTruncatedOrMissingShardAtItsSiteAndRepairRestoresItsBytes(t *testing.T) {
	c := startCluster(t, 5)
	files := fixture(9 << 20)
	loadCoded(t, c, "3+2", files)
	s := snap(t, c, "docs")
	waitCatalog(t, c, "docs", c.Names()...)
	eng := c.Node("s4").Snapshots()
	clean, err := eng.Scrub(ctxFor(t, time.Minute), snapshot.ScrubOptions{})
	if err != nil || len(clean.Bad)+len(clean.Failed)+clean.Unchecked != 0 || clean.Packs != len(s.Packs) || clean.Shards != 5*len(s.Packs) {
		t.Fatalf("scrub of an undamaged snapshot: %+v, %v; want %d packs, %d shards checked, none bad", clean, err, len(s.Packs), 5*len(s.Packs))
	}

	// At most m = 2 bad shards in a pack, so each can be rebuilt.
	at := func(pack string, i int) string { p, _ := eng.Catalog().Pack(pack); return p.Sites[i] }
	faults := []damage{
		{s.Packs[0], 0, at(s.Packs[0], 0), "checksum mismatch", func(f string) error { return flipByte(f, 100) }},
		{s.Packs[0], 1, at(s.Packs[0], 1), "truncated", func(f string) error { return os.Truncate(f, 1000) }},
		{s.Packs[1], 3, at(s.Packs[1], 3), "not stored", os.Remove},
	}
	originals := make([][]byte, len(faults))
	for i, d := range faults {
		path := shardFile(t, c.Node(d.site).DataDir(), d.pack, d.index)
		originals[i], _ = os.ReadFile(path)
		if err := d.do(path); err != nil {
			t.Fatal(err)
		}
	}
	found, err := eng.Scrub(ctxFor(t, time.Minute), snapshot.ScrubOptions{})
	if err != nil || len(found.Bad) != 3 || found.Repaired != 0 {
		t.Fatalf("scrub after damaging 3 shards: %+v, %v; want exactly 3 bad, none repaired", found, err)
	}
	for _, d := range faults {
		if !slices.ContainsFunc(found.Bad, func(b snapshot.BadShard) bool {
			return b.Pack == d.pack && b.Index == d.index && b.Site == d.site && strings.Contains(b.Problem, d.problem)
		}) {
			t.Errorf("scrub did not report shard %d of %s at %s as %q: %+v", d.index, d.pack, d.site, d.problem, found.Bad)
		}
	}

	fixed, err := eng.Scrub(ctxFor(t, time.Minute), snapshot.ScrubOptions{Repair: true})
	if err != nil || fixed.Repaired != 3 || slices.ContainsFunc(fixed.Bad, func(b snapshot.BadShard) bool { return !b.Repaired }) {
		t.Fatalf("scrub --repair: %+v, %v; want the 3 bad shards repaired", fixed, err)
	}
	for i, d := range faults {
		if got, _ := os.ReadFile(shardFile(t, c.Node(d.site).DataDir(), d.pack, d.index)); !bytes.Equal(got, originals[i]) {
			t.Errorf("shard %d of %s at %s after repair: %d bytes, not the %d first stored", d.index, d.pack, d.site, len(got), len(originals[i]))
		}
	}
	if again, err := eng.Scrub(ctxFor(t, time.Minute), snapshot.ScrubOptions{}); err != nil || len(again.Bad) != 0 {
		t.Fatalf("scrub after the repair: %+v, %v; want nothing bad", again, err)
	}
	checkRestored(t, restoreTo(t, c, s.ID), files)
}

func TestScrubCountsTheShardsOfADownSiteAsUncheckedAndCannotRepairAPackBelowK(t *testing.T) {
	c := startCluster(t, 3)
	load(t, c, "s1", "docs", map[string]file{"a.bin": {randomBytes(7, 3<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	s := snap(t, c, "docs") // 2+1 on 3 sites
	waitCatalog(t, c, "docs", c.Names()...)
	eng := c.Node("s1").Snapshots()
	pack := s.Packs[0]
	p, _ := eng.Catalog().Pack(pack)
	held := map[string]int{}
	for i, site := range p.Sites {
		held[site] = i
	}
	if err := flipByte(shardFile(t, c.Node("s2").DataDir(), pack, held["s2"]), 50); err != nil {
		t.Fatal(err)
	}
	c.Kill("s3")
	waitDead(t, c, "s1", "s3")
	res, err := eng.Scrub(ctxFor(t, time.Minute), snapshot.ScrubOptions{Repair: true})
	if err != nil || res.Unchecked != len(s.Packs) || !slices.Equal(res.Down, []string{"s3"}) {
		t.Fatalf("scrub with s3 down: %+v, %v; want its %d shards unchecked", res, err, len(s.Packs))
	}
	if len(res.Bad) != 1 || res.Bad[0].Site != "s2" || res.Bad[0].Repaired || res.Repaired != 0 || res.Bad[0].RepairError == "" {
		t.Fatalf("bad shards: %+v; want s2's, not repaired (one good shard left of k=2), with why", res.Bad)
	}
}

// flipByte flips one bit of the byte at off in path.
func flipByte(path string, off int64) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		return err
	}
	b[0] ^= 0x20
	_, err = f.WriteAt(b, off)
	return err
}

func TestAScheduledScrubFindsAndRepairsARottenShardWithoutAnOperator(t *testing.T) {
	c := simulations.Start(t, simulations.Options{N: 3, ScrubEvery: time.Second})
	load(t, c, "s1", "docs", map[string]file{"a.bin": {randomBytes(9, 3<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	s := snap(t, c, "docs")
	waitCatalog(t, c, "docs", c.Names()...)
	p, _ := c.Node("s3").Snapshots().Catalog().Pack(s.Packs[0])
	path := shardFile(t, c.Node(p.Sites[2]).DataDir(), p.ID, 2)
	original, _ := os.ReadFile(path)
	if err := flipByte(path, 200); err != nil {
		t.Fatal(err)
	}
	rotted := time.Now()
	err := simulations.WaitFor(ctxFor(t, 30*time.Second), "a scheduled scrub to repair the shard", func() (bool, string) {
		got, _ := os.ReadFile(path)
		last, ok := c.Node("s3").Snapshots().Catalog().LastScrub()
		return bytes.Equal(got, original) && ok && last.Time.After(rotted), fmt.Sprintf("last scrub %+v", last)
	})
	if err != nil {
		t.Fatal(err)
	}
}
