package simulations

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/snapshot"
)

const drillDataset = "drill"

type drill struct {
	c       *Cluster
	o       DrillOptions
	rep     DrillReport
	files   map[string][]byte // every acknowledged write
	snapped map[string][]byte // the files the snapshot holds
	snap    snapshot.Snapshot
	kill    time.Time
}

func (d *drill) run(ctx context.Context) error {
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"start the mesh", d.start}, {"write the dataset", d.load}, {"snapshot it", d.snapshot},
		{"kill " + fmt.Sprint(d.o.Kill), d.killSites}, {"detect the loss", d.detect}, {"fail over", d.failover},
		{"check the hot copy", d.checkHot}, {"restore the snapshot", d.restore}, {"repair the snapshot", d.repair},
	}
	for _, s := range steps {
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("drill: %s: %w", s.name, err)
		}
	}
	return nil
}

func (d *drill) start(ctx context.Context) error {
	if err := d.c.Start(ctx); err != nil {
		return err
	}
	return d.c.WaitStates(ctx, d.c.Names(), AllAlive(d.c.Names()))
}

func (d *drill) load(ctx context.Context) error {
	e := d.c.Node("s1").Hot()
	if _, err := e.Create(ctx, api.CreateDataset{Name: drillDataset, Primary: "s1", Replicas: []string{"s2"}, Mode: hot.ModeSync}); err != nil {
		return err
	}
	if err := WaitFor(ctx, "s2 to learn the dataset", func() (bool, string) { return d.c.Node("s2").Hot().HoldsCopy(drillDataset), "" }); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(d.c.Seed()), 1))
	d.files = map[string][]byte{}
	for i := range d.o.Files {
		p, b := fmt.Sprintf("f/%04d.bin", i), randomBytes(rng, d.o.FileSize)
		if err := d.put(ctx, "s1", p, b); err != nil {
			return err
		}
	}
	return nil
}

// put writes a file at site and, once acknowledged, records it.
func (d *drill) put(ctx context.Context, site, p string, b []byte) error {
	f := hot.File{Mode: 0o644, MTime: time.Unix(1e9, 0), Body: bytes.NewReader(b)}
	if _, err := d.c.Node(site).Hot().Put(ctx, drillDataset, p, f); err != nil {
		return err
	}
	d.files[p] = b
	return nil
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func (d *drill) snapshot(ctx context.Context) error {
	s, err := d.c.Node("s1").Snapshots().Create(ctx, drillDataset, []string{"drill"})
	if err != nil {
		return err
	}
	d.snap, d.rep.Scheme, d.snapped = s, s.Scheme, maps.Clone(d.files)
	return WaitFor(ctx, "the snapshot at every site", func() (bool, string) {
		for _, site := range d.c.Names() {
			cat := d.c.Node(site).Snapshots().Catalog()
			if got, err := cat.Snapshot(s.ID); err != nil || len(cat.Missing(got)) > 0 {
				return false, site
			}
		}
		return true, ""
	})
}

func (d *drill) survivors() []string {
	var out []string
	for _, n := range d.c.Names() {
		if !slices.Contains(d.o.Kill, n) {
			out = append(out, n)
		}
	}
	return out
}

func (d *drill) killSites(ctx context.Context) error {
	d.rep.SurvivesDesigned = d.c.Node(d.survivors()[0]).Snapshots().Health(d.snap).Designed
	d.kill = time.Now()
	for _, k := range d.o.Kill {
		if err := d.c.Kill(k); err != nil {
			return err
		}
	}
	return nil
}

func (d *drill) detect(ctx context.Context) error {
	want := map[string]mesh.State{}
	for _, k := range d.o.Kill {
		want[k] = mesh.StateDead
	}
	if err := d.c.WaitStates(ctx, d.survivors(), want); err != nil {
		return err
	}
	d.rep.DetectSeconds = since(d.kill)
	return nil
}

// restoreSite is the survivor a restore runs at: the last, which holds
// no hot copy.
func (d *drill) restoreSite() string { s := d.survivors(); return s[len(s)-1] }

func (d *drill) restore(ctx context.Context) error {
	site := d.restoreSite()
	dir, err := os.MkdirTemp(d.c.opts.Dir, "restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	if _, err := d.c.Node(site).Snapshots().Restore(ctx, snapshot.RestoreOptions{Snapshot: d.snap.ID, Dir: dir, Verify: true}); err != nil {
		return err
	}
	d.rep.RestoreAt, d.rep.RestoreSeconds = site, since(start)
	for p, want := range d.snapped {
		if got, err := os.ReadFile(filepath.Join(dir, p)); err != nil || !bytes.Equal(got, want) {
			d.rep.SnapshotFilesLost++
		}
	}
	return nil
}
