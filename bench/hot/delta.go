package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/meshvault/meshvault/bench/internal/gentree"
	"github.com/meshvault/meshvault/bench/internal/harness"
)

// oursResult is the gentree.Change sent through the mesh: Uploaded is what the
// client wrote to the primary (whole files), ReplicaRx what the
// replica's TCP sockets received meanwhile, DirGrowth how much its data
// dir grew.
type oursResult struct {
	Uploaded  int64 `json:"uploaded_bytes"`
	ReplicaRx int64 `json:"replica_rx_bytes"`
	DirGrowth int64 `json:"replica_data_dir_growth_bytes"`
	Took      dur   `json:"took_ms"`
}

type deltaResult struct {
	Bytes  int64          `json:"tree_bytes"`
	Files  int            `json:"tree_files"`
	Load   dur            `json:"initial_load_ms"`
	Change gentree.Change `json:"change"`
	Ours   oursResult     `json:"meshvault"`
	Rsync  []rsyncResult  `json:"rsync"`
}

// measureDelta generates a tree, loads it into an async dataset with one
// replica, changes o.frac of it, and sends the gentree.Change both through the
// mesh and with rsync between two local copies.
func measureDelta(ctx context.Context, o options) (r deltaResult, err error) {
	work, err := os.MkdirTemp("", "meshvault-hot-delta-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	fs := gentree.Plan(o.size, o.seed)
	if err := gentree.Generate(src, fs); err != nil {
		return r, err
	}
	for _, f := range fs {
		r.Bytes, r.Files = r.Bytes+f.Size, r.Files+1
	}
	fmt.Printf("delta: tree of %d files, %d bytes (%.0f MiB), seed %d\n", r.Files, r.Bytes, float64(r.Bytes)/(1<<20), o.seed)
	for _, d := range []string{"copy1", "copy2"} {
		if _, err := rsync(src, filepath.Join(work, d), "-a"); err != nil {
			return r, err
		}
	}
	c, err := o.startCluster(ctx, "lan", 2)
	if err != nil {
		return r, err
	}
	defer func() { err = c.Stop(err) }()
	return r, runDelta(ctx, c, o, work, fs, &r)
}

func runDelta(ctx context.Context, c *harness.Cluster, o options, work string, fs []gentree.File, r *deltaResult) error {
	src := filepath.Join(work, "src")
	if err := createDataset(ctx, c, "delta", "async", "s2"); err != nil {
		return err
	}
	p := c.Site("s1")
	start := time.Now()
	if _, err := putFiles(ctx, p, src, paths(fs)); err != nil {
		return err
	}
	if err := p.WaitCaughtUp(ctx, "delta", catchUpTimeout); err != nil {
		return err
	}
	r.Load = dur(time.Since(start))
	fmt.Printf("initial load (one client, whole tree, replicated): %s\n", r.Load)
	ch, err := gentree.Mutate(src, fs, o.frac, o.seed+1)
	if err != nil {
		return err
	}
	r.Change = ch
	fmt.Printf("change: %d bytes edited in %d large files, %d new files (%d bytes), %d deleted (%d bytes)\n",
		ch.EditBytes, ch.EditedFiles, ch.NewFiles, ch.NewBytes, ch.DelFiles, ch.DelBytes)
	if r.Ours, err = sendChange(ctx, c, src, ch); err != nil {
		return err
	}
	fmt.Printf("meshvault: %d bytes uploaded to the primary, %d received by the replica, replica data dir +%d, in %s\n",
		r.Ours.Uploaded, r.Ours.ReplicaRx, r.Ours.DirGrowth, r.Ours.Took)
	if err := checkTree(ctx, c.Site("s2"), src); err != nil {
		return err
	}
	return r.runRsync(work)
}

func (r *deltaResult) runRsync(work string) error {
	src := filepath.Join(work, "src")
	for i, args := range [][]string{{"-a"}, {"-a", "--no-whole-file"}} {
		rr, err := rsync(src, filepath.Join(work, fmt.Sprintf("copy%d", i+1)), args...)
		if err != nil {
			return err
		}
		fmt.Printf("rsync %s --stats: total bytes sent %d in %s\n", rr.Args, rr.Sent, rr.Took)
		r.Rsync = append(r.Rsync, rr)
	}
	return nil
}

// sendChange writes the changed files and deletes the deleted ones at
// the primary, then waits for the replica.
func sendChange(ctx context.Context, c *harness.Cluster, src string, ch gentree.Change) (oursResult, error) {
	p, rep := c.Site("s1"), c.Site("s2")
	dir0, err := dataDirBytes(ctx, rep)
	if err != nil {
		return oursResult{}, err
	}
	rx0, err := rxBytes(rep)
	if err != nil {
		return oursResult{}, err
	}
	start := time.Now()
	var r oursResult
	if r.Uploaded, err = putFiles(ctx, p, src, ch.Put); err != nil {
		return r, err
	}
	for _, path := range ch.Deleted {
		if _, err := p.API.Remove(ctx, "delta", path); err != nil {
			return r, fmt.Errorf("remove %s: %w", path, err)
		}
	}
	if err := p.WaitCaughtUp(ctx, "delta", catchUpTimeout); err != nil {
		return r, err
	}
	r.Took = dur(time.Since(start))
	rx1, err := rxBytes(rep)
	dir1, err2 := dataDirBytes(ctx, rep)
	r.ReplicaRx, r.DirGrowth = rx1-rx0, dir1-dir0
	return r, firstErr(err, err2)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func paths(fs []gentree.File) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Path
	}
	return out
}
