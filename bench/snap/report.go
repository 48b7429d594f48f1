package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeJSON writes v to path, if one was given.
func writeJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func mbps(bytes int64, s float64) float64 {
	if s <= 0 {
		return 0
	}
	return float64(bytes) / 1e6 / s
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// report prints the side-by-side table (ratio: ours ÷ restic).
func (b *bench) report() {
	r := &b.r
	fmt.Printf("\n== results: tree %d files, %s; change %s written, %d new files, %d deleted; mode %s; drop caches: %s\n",
		r.Files, mib(r.Bytes), mib(r.Change.EditBytes+r.Change.NewBytes), r.Change.NewFiles, r.Change.DelFiles, r.Mode, r.DropCaches)
	fmt.Println("| | meshvault | restic | ratio (ours ÷ restic) |\n|---|---|---|---|")
	b.reportFirst()
	b.reportIncr()
	b.reportRestore()
	b.reportRepair()
	b.reportStored()
	b.reportSwept()
	b.reportPrune()
	b.reportRSS()
	b.reportCPU()
}

func (b *bench) reportFirst() {
	r := &b.r
	ours, rs := r.First.Ingest+r.First.Snapshot, r.Restic["first"].Seconds
	fmt.Printf("| directory → first snapshot | %.1f s = ingest %.1f s + snapshot %.1f s (replica caught up at %.1f s) → %.1f MB/s | %.1f s → %.1f MB/s | %s MB/s |\n",
		ours, r.First.Ingest, r.First.Snapshot, r.First.ReplicaDone, mbps(r.Bytes, ours), rs, mbps(r.Bytes, rs), ratio(mbps(r.Bytes, ours), mbps(r.Bytes, rs)))
	fmt.Printf("| first: bytes stored by the snapshot | %s sealed (before coding, scheme %s), %s deduplicated | %s added (data_added: before compression) | %s |\n",
		mib(r.First.NewBytes), r.First.Scheme, mib(r.First.DedupBytes), mib(r.Restic["first"].DataAdded), ratio(float64(r.First.NewBytes), float64(r.Restic["first"].DataAdded)))
}

func (b *bench) reportIncr() {
	r := &b.r
	ours, rs := r.Incr.Ingest+r.Incr.Snapshot, r.Restic["incremental"].Seconds
	fmt.Printf("| incremental: time | %.1f s = ingest %.1f s (incl. the source's wait for closed or stable files) + snapshot %.1f s | %.1f s | %s |\n",
		ours, r.Incr.Ingest, r.Incr.Snapshot, rs, ratio(ours, rs))
	fmt.Printf("| incremental: new bytes stored | %s (before coding) | %s | %s |\n",
		mib(r.Incr.NewBytes), mib(r.Restic["incremental"].DataAdded), ratio(float64(r.Incr.NewBytes), float64(r.Restic["incremental"].DataAdded)))
}

func (b *bench) reportRestore() {
	r := &b.r
	rs := r.Restic["restore"].Seconds
	for _, x := range r.Restores {
		down := "all sites up"
		if x.Down != "" {
			down = x.Down + " SIGKILLed"
		}
		fmt.Printf("| restore at %s (%s) | %.1f s → %.1f MB/s | %.1f s → %.1f MB/s | %s MB/s |\n",
			x.Site, down, x.Seconds, mbps(x.Bytes, x.Seconds), rs, mbps(x.Bytes, rs), ratio(mbps(x.Bytes, x.Seconds), mbps(x.Bytes, rs)))
		durable := rs + r.Restic["restore"].SyncSeconds
		fmt.Printf("| restore at %s (%s), each tool's files on disk (restic's: its restore, then sync %.1f s) | %.1f s → %.1f MB/s | %.1f s → %.1f MB/s | %s MB/s |\n",
			x.Site, down, r.Restic["restore"].SyncSeconds, x.Seconds, mbps(x.Bytes, x.Seconds), durable, mbps(x.Bytes, durable), ratio(mbps(x.Bytes, x.Seconds), mbps(x.Bytes, durable)))
	}
}

// reportStored splits the growth of the data dirs: s3..s5 hold only
// shards (and cluster state), so shards ≈ their growth × sites/(sites-2);
// the rest of s1+s2's growth is the hot copies.
func (b *bench) reportStored() {
	r := &b.r
	empty, end := r.Sizes["empty"], r.Sizes["after incremental"]
	if empty == nil || end == nil {
		return
	}
	all := end.total() - empty.total()
	var shardOnly int64
	for _, s := range []string{"s3", "s4", "s5"} {
		shardOnly += end[s] - empty[s]
	}
	shards := shardOnly * int64(b.o.sites) / int64(b.o.sites-2)
	repo := r.RepoBytes["after incremental"]
	fmt.Printf("| bytes stored, all sites (both snapshots) | %s = hot copies (s1+s2) ≈ %s + shards ≈ %s | repo %s × 3 = %s | %s (shards only: %s) |\n",
		mib(all), mib(all-shards), mib(shards), mib(repo), mib(3*repo), ratio(float64(all), float64(3*repo)), ratio(float64(shards), float64(3*repo)))
}

func (b *bench) reportRSS() {
	r := &b.r
	fmt.Printf("| peak RSS, snapshotting node (s1 VmHWM: since start, incl. ingest) | %s after first, %s after incremental | %s first, %s incremental | %s |\n",
		mib(r.HWM["s1 after first snapshot"]), mib(r.HWM["s1 after incremental"]), mib(r.Restic["first"].MaxRSS), mib(r.Restic["incremental"].MaxRSS),
		ratio(float64(r.HWM["s1 after first snapshot"]), float64(r.Restic["first"].MaxRSS)))
	fmt.Printf("| peak RSS, restoring node (VmHWM since start; before the restore: s3 %s, s5 %s) | s3 %s, s5 %s | %s | %s |\n",
		mib(r.HWM["s3 before restore"]), mib(r.HWM["s5 before restore"]),
		mib(r.HWM["s3 after restore"]), mib(r.HWM["s5 after restore"]), mib(r.Restic["restore"].MaxRSS),
		ratio(float64(r.HWM["s3 after restore"]), float64(r.Restic["restore"].MaxRSS)))
}

// reportCPU prints the CPU seconds each side spent: all five sites'
// processes for ours (ingest, replication, snapshot and serving shards
// included), restic's own process.
func (b *bench) reportCPU() {
	r := &b.r
	row := func(name, ours string, restic float64) {
		fmt.Printf("| CPU seconds, %s (all sites; restic's process) | %.1f s | %.1f s | %s |\n",
			name, r.CPU[ours], restic, ratio(r.CPU[ours], restic))
	}
	row("directory → first snapshot, incl. the replica's catch-up", "first", r.Restic["first"].CPU)
	row("incremental", "incremental", r.Restic["incremental"].CPU)
	row("restore at s3", "restore at s3", r.Restic["restore"].CPU)
}
