package main

import (
	"context"
	"fmt"
	"time"
)

// repairRun is the repair of the snapshots' shards that s1 and s2 held,
// at s5 once they are dead: the time back to the redundancy the three
// sites left can give.
type repairRun struct {
	Seconds        float64 `json:"seconds"`
	Packs          int     `json:"packs"`
	Shards         int     `json:"shards"`
	Bytes          int64   `json:"bytes"`
	SurvivesBefore int     `json:"survives_before"` // the incremental snapshot's health
	SurvivesAfter  int     `json:"survives_after"`
}

// repair runs meshctl snapshot repair's API call at s5, after degraded.
func (b *bench) repair(ctx context.Context) error {
	api := b.c.Site("s5").API
	before, err := api.Snapshot(ctx, b.r.Incr.ID)
	if err != nil {
		return err
	}
	cpu0, t0 := meshCPU(b.c), time.Now()
	res, err := api.Repair(ctx, false)
	r := repairRun{Seconds: time.Since(t0).Seconds(), Packs: res.Packs, Shards: res.Shards, Bytes: res.Bytes,
		SurvivesBefore: before.Health.Survives}
	b.r.CPU["repair at s5"] = meshCPU(b.c) - cpu0
	if err != nil {
		return err
	}
	if len(res.Failed)+len(res.Unrepairable) > 0 {
		return fmt.Errorf("repair left %d packs failed and %d unrepairable: %v", len(res.Failed), len(res.Unrepairable), res.Failed)
	}
	after, err := api.Snapshot(ctx, b.r.Incr.ID)
	r.SurvivesAfter = after.Health.Survives
	b.r.Repair = r
	fmt.Printf("repair at s5: %+v\n", r)
	return err
}

func (b *bench) reportRepair() {
	r := b.r.Repair
	fmt.Printf("| repair at s5 (s1, s2 SIGKILLed) | %d shards of %d packs, %s, in %.1f s → %.1f MB/s; survives %d → %d more site losses | – (a repository has no redundancy to rebuild) | – |\n",
		r.Shards, r.Packs, mib(r.Bytes), r.Seconds, mbps(r.Bytes, r.Seconds), r.SurvivesBefore, r.SurvivesAfter)
}
