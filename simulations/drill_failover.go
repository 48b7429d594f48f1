package simulations

import (
	"bytes"
	"context"
	"math"
	"slices"
	"time"

	"github.com/meshvault/meshvault/snapshot"
)

// failover waits, if the primary was killed, until a survivor is the
// dataset's primary, then tries a write there.
func (d *drill) failover(ctx context.Context) error {
	if !slices.Contains(d.o.Kill, "s1") || d.noHotCopyLeft() {
		return nil
	}
	var primary string
	err := WaitFor(ctx, "a new primary", func() (bool, string) {
		primary = d.primaryAmong(d.survivors())
		return primary != "", ""
	})
	if err != nil {
		return err
	}
	d.rep.FailoverSeconds, d.rep.NewPrimary = since(d.kill), primary
	d.tryWrite(ctx, primary)
	return nil
}

// tryWrite sends one write to the new primary and notes whether it was
// acknowledged, or why not (a sync dataset whose every replica is down
// refuses writes rather than acknowledge one no other site holds).
func (d *drill) tryWrite(ctx context.Context, primary string) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := d.put(ctx, primary, "after-failover.txt", []byte("written after the failover"))
	d.rep.WritesAfterFailover = err == nil
	if err != nil {
		d.rep.WriteRefused = err.Error()
	}
}

// primaryAmong is the survivor that the dataset names its primary and
// that agrees it is, if any.
func (d *drill) primaryAmong(sites []string) string {
	for _, s := range sites {
		st, err := d.c.Node(s).Hot().Status(drillDataset)
		if err == nil && slices.Contains(sites, st.Primary) && st.Primary == s {
			return s
		}
	}
	return ""
}

// checkHot counts the acknowledged files that the primary does not hold
// byte for byte.
func (d *drill) checkHot(ctx context.Context) error {
	if d.noHotCopyLeft() { // only the snapshot can bring the files back
		d.rep.HotFilesLost = len(d.files)
		return nil
	}
	primary := "s1"
	if d.rep.NewPrimary != "" {
		primary = d.rep.NewPrimary
	}
	e := d.c.Node(primary).Hot()
	for p, want := range d.files {
		f, err := e.Open(drillDataset, p)
		if err != nil {
			d.rep.HotFilesLost++
			continue
		}
		var got bytes.Buffer
		if f.Copy(&got) != nil || !bytes.Equal(got.Bytes(), want) {
			d.rep.HotFilesLost++
		}
		f.Close()
	}
	return nil
}

// repair rebuilds the killed sites' shards at the first survivor and
// reports the snapshot's health before and after.
func (d *drill) repair(ctx context.Context) error {
	e := d.c.Node(d.survivors()[0]).Snapshots()
	d.rep.SurvivesAfterLoss = e.Health(d.snap).Survives
	start := time.Now()
	res, err := e.Repair(ctx, snapshot.RepairOptions{})
	if err != nil {
		return err
	}
	d.rep.RepairedShards, d.rep.RepairSeconds = res.Shards, since(start)
	d.rep.FullRedundancySeconds = math.Round((d.rep.DetectSeconds+d.rep.RepairSeconds)*1000) / 1000
	s, err := e.Catalog().Snapshot(d.snap.ID)
	if err != nil {
		return err
	}
	d.rep.SurvivesAfterRepair = e.Health(s).Survives
	d.rep.FullRedundancy = d.rep.SurvivesAfterRepair >= d.rep.SurvivesDesigned
	return nil
}

// noHotCopyLeft reports whether the drill killed the primary and the
// replica both.
func (d *drill) noHotCopyLeft() bool {
	return slices.Contains(d.o.Kill, "s1") && slices.Contains(d.o.Kill, "s2")
}
