package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/meshvault/meshvault/bench/internal/gentree"
	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/node/api"
)

// results is everything one run measured.
type results struct {
	Files       int                  `json:"tree_files"`
	Bytes       int64                `json:"tree_bytes"`
	Change      gentree.Change       `json:"change"`
	DropCaches  string               `json:"drop_caches"` // "ok" or why not
	Mode        string               `json:"mode"`
	First       snapRun              `json:"first"`
	Incr        snapRun              `json:"incremental"`
	Restores    []restoreRun         `json:"restores"`
	Repair      repairRun            `json:"repair"`
	Sizes       map[string]sizes     `json:"data_dir_bytes"` // by phase
	HWM         map[string]int64     `json:"vmhwm_bytes"`    // "site after phase"
	Restic      map[string]resticRun `json:"restic"`
	RepoBytes   map[string]int64     `json:"restic_repo_bytes"`
	CPU         map[string]float64   `json:"cpu_s"` // all sites' CPU seconds, by phase
	FirstCPU    map[string]float64   `json:"first_cpu_s_by_site"`
	Sweeps      []api.ChunkSweep     `json:"chunk_sweeps"`        // at s1 and s2, after the incremental
	OnDisk      map[string]sizes     `json:"on_disk_bytes"`       // allocated blocks, by phase
	RepoOnDisk  map[string]int64     `json:"restic_repo_on_disk"` // allocated blocks, by phase
	Prune       pruneRun             `json:"prune"`               // forget --keep-last 1 + prune at s3
	ResticPrune pruneRun             `json:"restic_prune"`        // restic forget --keep-last 1 --prune
}

// sizes is each site's data dir size at one moment.
type sizes map[string]int64

func (s sizes) total() int64 {
	var n int64
	for _, v := range s {
		n += v
	}
	return n
}

// bench holds one run's state.
type bench struct {
	o         options
	work, src string
	fs        []gentree.File
	c         *harness.Cluster
	rs        *restic
	mutated   time.Time // when mutate changed the tree
	cpuMutate float64   // all sites' CPU seconds just before mutate
	r         results
}

func run(ctx context.Context, o options) error {
	work, err := os.MkdirTemp(o.work, "meshvault-snap-work-")
	if err != nil {
		return err
	}
	if !o.keep {
		defer os.RemoveAll(work)
	}
	b := &bench{o: o, work: work, src: filepath.Join(work, "src"), rs: newRestic(o.restic, work)}
	b.r = results{Mode: o.mode, Sizes: map[string]sizes{}, HWM: map[string]int64{}, CPU: map[string]float64{}, Restic: map[string]resticRun{}, RepoBytes: map[string]int64{}, OnDisk: map[string]sizes{}, RepoOnDisk: map[string]int64{}}
	if err := b.prepare(); err != nil {
		return err
	}
	c, err := o.startCluster(ctx, "fast", o.sites)
	if err != nil {
		return err
	}
	b.c = c
	err = b.steps(ctx)
	err = c.Stop(err)
	b.report()
	return firstErr(err, writeJSON(o.out, b.r))
}

// prepare generates the tree and inits the restic repository.
func (b *bench) prepare() error {
	b.fs = gentree.Plan(b.o.size, b.o.seed)
	fmt.Printf("generating %d files (%.0f MiB) under %s\n", len(b.fs), float64(b.o.size)/(1<<20), b.src)
	if err := gentree.Generate(b.src, b.fs); err != nil {
		return err
	}
	for _, f := range b.fs {
		b.r.Files, b.r.Bytes = b.r.Files+1, b.r.Bytes+f.Size
	}
	b.r.DropCaches = "ok"
	if msg := dropCaches(); msg != "" {
		b.r.DropCaches = msg
	}
	fmt.Println("drop caches:", b.r.DropCaches)
	return b.rs.init()
}

func (b *bench) steps(ctx context.Context) error {
	for _, s := range []struct {
		name string
		f    func(context.Context) error
	}{{"first snapshot", b.first}, {"restic first backup", b.resticFirst}, {"mutate", b.mutate},
		{"incremental snapshot", b.incr}, {"restic incremental backup", b.resticIncr}, {"chunk sweep", b.sweepChunks},
		{"restore", b.restore}, {"restic restore", b.resticRestore}, {"forget and prune", b.prune},
		{"restic forget and prune", b.resticPrune}, {"restore with m sites down", b.degraded},
		{"repair with m sites down", b.repair}} {
		t0 := time.Now()
		fmt.Printf("== %s\n", s.name)
		if err := s.f(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Printf("(%s took %s)\n", s.name, time.Since(t0).Round(time.Second))
	}
	return nil
}

func (b *bench) measureSizes(phase string) error {
	s, err := siteBytes(b.c)
	b.r.Sizes[phase] = s
	fmt.Printf("data dirs %s: %d bytes %v\n", phase, s.total(), map[string]int64(s))
	return err
}

func (b *bench) first(ctx context.Context) error {
	req := api.CreateDataset{Name: dataset, Primary: "s1", Replicas: []string{"s2"}, Mode: b.o.mode}
	if _, err := b.c.Site("s1").API.CreateDataset(ctx, req); err != nil {
		return fmt.Errorf("create dataset: %w", err)
	}
	if err := b.measureSizes("empty"); err != nil {
		return err
	}
	settle(b.src)
	sites0 := siteCPU(b.c)
	cpu0, t0 := meshCPU(b.c), time.Now()
	if b.o.cpuProfile != "" {
		defer profileSites(ctx, b.c, b.o.cpuProfile, "first", b.o.profileSecs)()
	}
	if err := followSource(ctx, b.c, b.src); err != nil {
		return err
	}
	fmt.Printf("POST source returned after %s\n", time.Since(t0).Round(time.Millisecond))
	r, err := snapshot(ctx, b.c, b.src, t0, "first")
	b.r.First, b.r.CPU["first"] = r, meshCPU(b.c)-cpu0 // incl. the replica's catch-up
	b.r.FirstCPU = since(b.c, sites0)
	fmt.Printf("first: CPU seconds by site %v\n", b.r.FirstCPU)
	b.r.HWM["s1 after first snapshot"] = hwm(b.c, "s1")
	fmt.Printf("first: %+v\n", r)
	if err != nil {
		return err
	}
	return b.measureSizes("after first snapshot")
}

func (b *bench) resticFirst(context.Context) error {
	settle(b.src)
	rr, err := b.rs.backup(b.src)
	b.r.Restic["first"] = rr
	fmt.Printf("restic first: %+v\n", rr)
	if err != nil {
		return err
	}
	b.r.RepoBytes["after first"], err = b.rs.repoBytes()
	return err
}
