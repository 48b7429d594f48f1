package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// sweepChunks has s1 and s2 (the hot copies) free now the chunks the
// incremental left unreferenced (the overwritten regions' old chunks, the
// deleted files'), as their periodic sweep would, then measures what
// every data dir and restic's repository take on disk.
func (b *bench) sweepChunks(ctx context.Context) error {
	if err := b.measureOnDisk("before chunk sweep"); err != nil {
		return err
	}
	for _, s := range []string{"s1", "s2"} {
		res, err := b.c.Site(s).API.SweepChunks(ctx)
		if err != nil {
			return fmt.Errorf("sweep at %s: %w", s, err)
		}
		b.r.Sweeps = append(b.r.Sweeps, res)
		fmt.Printf("chunk sweep at %s: %+v\n", s, res)
	}
	return b.measureOnDisk("after chunk sweep")
}

func (b *bench) measureOnDisk(phase string) error {
	s := sizes{}
	for _, n := range b.c.Nodes {
		v, err := dirDiskBytes(n.Dir)
		if err != nil {
			return err
		}
		s[n.Site] = v
	}
	repo, err := dirDiskBytes(b.rs.repo)
	b.r.OnDisk[phase], b.r.RepoOnDisk[phase] = s, repo
	fmt.Printf("on disk %s: %d bytes %v; restic repo %d\n", phase, s.total(), map[string]int64(s), repo)
	return err
}

// dirDiskBytes is the bytes every file under dir takes on disk (its
// allocated blocks, like du without -b): a punched-out range of a
// segment counts for nothing, as it costs nothing.
func dirDiskBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		var st syscall.Stat_t
		if !d.IsDir() && syscall.Lstat(path, &st) == nil {
			n += st.Blocks * 512
		}
		return nil
	})
	return n, err
}

// reportSwept is the bytes on disk after s1 and s2 swept their chunks.
func (b *bench) reportSwept() {
	r := &b.r
	before, after := r.OnDisk["before chunk sweep"], r.OnDisk["after chunk sweep"]
	empty := r.Sizes["empty"]
	if before == nil || after == nil || len(r.Sweeps) < 2 {
		return
	}
	repo := r.RepoOnDisk["after chunk sweep"]
	all := after.total() - empty.total()
	fmt.Printf("| bytes on disk, all sites, after a chunk sweep at s1 and s2 | %s (sweep freed %s of chunks at s1 in %.2f s, %s at s2; on disk before it %s) | repo %s × 3 = %s | %s |\n",
		mib(all), mib(r.Sweeps[0].FreedBytes), r.Sweeps[0].Seconds, mib(r.Sweeps[1].FreedBytes),
		mib(before.total()-empty.total()), mib(repo), mib(3*repo), ratio(float64(all), float64(3*repo)))
}
