package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// pruneRun is forget --keep-last 1 then prune, timed, for either tool:
// the first snapshot goes, and with it the chunks only it needed.
type pruneRun struct {
	Seconds     float64         `json:"seconds"`
	BeforeBytes int64           `json:"before_bytes"` // ours: shard files on disk, all sites; restic: its repository
	AfterBytes  int64           `json:"after_bytes"`
	Result      api.PruneResult `json:"result"` // ours only
}

// prune forgets the first snapshot at s3 and prunes there, after the
// restores (so that they restore the snapshots as taken), with every
// site up, at the node's defaults (--max-unused 5%).
func (b *bench) prune(ctx context.Context) error {
	before, err := b.shardBytes()
	if err != nil {
		return err
	}
	api3 := b.c.Site("s3").API
	t0 := time.Now()
	if _, err := api3.ForgetSnapshots(ctx, api.Forget{Dataset: dataset, KeepLast: 1}); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	res, err := api3.Prune(ctx, api.Prune{})
	run := pruneRun{Seconds: time.Since(t0).Seconds(), BeforeBytes: before, Result: res}
	if err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	run.AfterBytes, err = b.shardBytes()
	b.r.Prune = run
	fmt.Printf("forget + prune at s3: %+v\n", run)
	return err
}

// shardBytes is what every site's shard files take on disk.
func (b *bench) shardBytes() (int64, error) {
	var n int64
	for _, s := range b.c.Nodes {
		v, err := dirDiskBytes(filepath.Join(s.Dir, "shards"))
		if err != nil {
			return 0, err
		}
		n += v
	}
	return n, nil
}

func (b *bench) resticPrune(context.Context) error {
	before, err := dirDiskBytes(b.rs.repo)
	if err != nil {
		return err
	}
	_, rr, err := b.rs.run("forget", "--keep-last", "1", "--prune")
	run := pruneRun{Seconds: rr.Seconds, BeforeBytes: before}
	if err != nil {
		return fmt.Errorf("restic forget --prune: %w", err)
	}
	run.AfterBytes, err = dirDiskBytes(b.rs.repo)
	b.r.ResticPrune = run
	fmt.Printf("restic forget --keep-last 1 --prune: %+v\n", run)
	return err
}

func (b *bench) reportPrune() {
	o, r := b.r.Prune, b.r.ResticPrune
	if o.BeforeBytes == 0 || r.BeforeBytes == 0 {
		return
	}
	fmt.Printf("| forget the first snapshot + prune (ours at s3; bytes: our shards on disk, all sites, against the repository × 3) | %.1f s: %s freed, %s left (%d packs freed, %d repacked, %s copied, %d held) | %.1f s: %s × 3 freed, %s × 3 = %s left | %s the time; %s the bytes left |\n",
		o.Seconds, mib(o.BeforeBytes-o.AfterBytes), mib(o.AfterBytes), o.Result.Packs, o.Result.RepackedPacks, mib(o.Result.RepackedBytes), o.Result.Held,
		r.Seconds, mib(r.BeforeBytes-r.AfterBytes), mib(r.AfterBytes), mib(3*r.AfterBytes), ratio(o.Seconds, r.Seconds), ratio(float64(o.AfterBytes), float64(3*r.AfterBytes)))
}
