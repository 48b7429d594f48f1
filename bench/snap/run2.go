package main

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"time"

	"github.com/meshvault/meshvault/bench/internal/gentree"
)

// mutate changes the source tree. The source follows the directory, so
// the incremental's clock starts here.
func (b *bench) mutate(context.Context) error {
	if err := b.measureSizes("before mutation"); err != nil {
		return err
	}
	b.cpuMutate = meshCPU(b.c) // the source starts on the change at once
	ch, err := gentree.Mutate(b.src, b.fs, b.o.frac, b.o.seed+1)
	b.mutated = time.Now()
	b.r.Change = ch
	fmt.Printf("change: %d bytes edited in %d large files, %d new files (%d bytes), %d deleted (%d bytes)\n",
		ch.EditBytes, ch.EditedFiles, ch.NewFiles, ch.NewBytes, ch.DelFiles, ch.DelBytes)
	return err
}

func (b *bench) incr(ctx context.Context) error {
	dropCaches()
	r, err := snapshot(ctx, b.c, b.src, b.mutated, "incremental")
	b.r.Incr, b.r.CPU["incremental"] = r, meshCPU(b.c)-b.cpuMutate
	b.r.HWM["s1 after incremental"] = hwm(b.c, "s1")
	fmt.Printf("incremental: %+v\n", r)
	if err != nil {
		return err
	}
	return b.measureSizes("after incremental")
}

func (b *bench) resticIncr(context.Context) error {
	dropCaches()
	rr, err := b.rs.backup(b.src)
	b.r.Restic["incremental"] = rr
	fmt.Printf("restic incremental: %+v\n", rr)
	if err != nil {
		return err
	}
	b.r.RepoBytes["after incremental"], err = b.rs.repoBytes()
	return err
}

// restore restores the incremental snapshot at s3, which holds no hot
// copy, and checks it byte for byte.
func (b *bench) restore(ctx context.Context) error {
	return b.restoreAt(ctx, "s3", "")
}

func (b *bench) restoreAt(ctx context.Context, site, down string) error {
	dir := filepath.Join(b.work, "restore-"+site)
	settle(b.src)
	b.r.HWM[site+" before restore"] = hwm(b.c, site) // its peak as a shard holder
	cpu0 := meshCPU(b.c)
	if b.o.cpuProfile != "" && down == "" {
		defer profileSites(ctx, b.c, b.o.cpuProfile, "restore", b.o.profileSecs/3)()
	}
	r, err := restore(ctx, b.c, site, b.r.Incr.ID, dir)
	r.Down, b.r.CPU["restore at "+site] = down, meshCPU(b.c)-cpu0
	b.r.Restores = append(b.r.Restores, r)
	b.r.HWM[site+" after restore"] = hwm(b.c, site)
	fmt.Printf("restore at %s: %+v\n", site, r)
	if err != nil {
		return err
	}
	return sameContent(b.src, dir)
}

func (b *bench) resticRestore(context.Context) error {
	dir := filepath.Join(b.work, "restore-restic")
	settle(b.src)
	rr, err := b.rs.restore(dir)
	start := time.Now()
	syscall.Sync() // the page cache was clean before it (settle): what is flushed is restic's files
	rr.SyncSeconds = time.Since(start).Seconds()
	b.r.Restic["restore"] = rr
	fmt.Printf("restic restore: %+v\n", rr)
	if err != nil {
		return err
	}
	return sameContent(b.src, filepath.Join(dir, b.src))
}

// degraded SIGKILLs s1 and s2 (the primary and the replica, each
// holding shards) and restores again at s5.
func (b *bench) degraded(ctx context.Context) error {
	if err := killSites(ctx, b.c, "s5", "s1", "s2"); err != nil {
		return err
	}
	return b.restoreAt(ctx, "s5", "s1,s2")
}
