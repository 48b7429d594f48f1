// Command prof profiles the write path in one process: it generates the
// benchmark tree, ingests it into a hot dataset on 5 in-process sites
// through a source directory, and snapshots it, with a CPU profile of
// each phase. Every site runs in this process, so the profile shows the
// whole mesh's work on this machine, as the 5-process benchmark sees it.
//
//	go run ./bench/prof -size 256 -out /tmp/prof
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"syscall"
	"time"

	"github.com/meshvault/meshvault/bench/internal/gentree"
	"github.com/meshvault/meshvault/dirsync"
	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

func main() {
	size := flag.Int64("size", 256, "tree size in MiB")
	out := flag.String("out", os.TempDir(), "directory for the profiles")
	keep := flag.Bool("keep", false, "keep the sites' data directories (printed) for inspection")
	one := flag.Bool("one-file", false, "ingest one file of -size random bytes instead of the tree")
	flag.Parse()
	if err := run(context.Background(), *size<<20, *out, *keep, *one); err != nil {
		fmt.Fprintln(os.Stderr, "prof:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, size int64, out string, keep, one bool) error {
	dir, err := os.MkdirTemp("", "meshvault-prof-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("data directories under", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	tree := filepath.Join(dir, "tree")
	plan := gentree.Plan(size, 1)
	if one {
		plan = []gentree.File{{Path: "one", Size: size, Seed: 1}}
	}
	if err := gentree.Generate(tree, plan); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(dir, "mesh"), 0o700); err != nil {
		return err
	}
	c, err := simulations.New(simulations.Options{Dir: filepath.Join(dir, "mesh"), N: 5})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Start(ctx); err != nil {
		return err
	}
	if err := c.WaitStates(ctx, c.Names(), simulations.AllAlive(c.Names())); err != nil {
		return err
	}
	e := c.Node("s1").Hot()
	if _, err := e.Create(ctx, api.CreateDataset{Name: "d", Primary: "s1", Replicas: []string{"s2"}, Mode: hot.ModeAsync}); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dropCaches() // as bench/snap does: the tree is read from the disk
	var src *dirsync.Source
	err = phase(out, "ingest", size, func() error {
		src, err = dirsync.StartSource(ctx, e, "d", tree, log, dirsync.SourceOptions{})
		return err
	})
	if err != nil {
		return err
	}
	defer src.Stop()
	err = phase(out, "replica", size, func() error { return caughtUp(ctx, e, "d") })
	if err != nil {
		return err
	}
	var id string
	err = phase(out, "snapshot", size, func() error {
		s, err := c.Node("s1").Snapshots().Create(ctx, "d", nil)
		id = s.ID
		return err
	})
	if err != nil {
		return err
	}
	start := time.Now()
	for _, site := range c.Names() {
		for len(c.Node(site).Snapshots().Catalog().Snapshots("d")) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
	}
	fmt.Printf("catalog  %6.2f s  (snapshot %s listed at every site)\n", time.Since(start).Seconds(), id)
	to := filepath.Join(dir, "restored")
	return phase(out, "restore", size, func() error {
		_, err := c.Node("s3").Snapshots().Restore(ctx, snapshot.RestoreOptions{Snapshot: id, Dir: to})
		return err
	})
}

func phase(out, name string, size int64, fn func() error) error {
	f, err := os.Create(filepath.Join(out, name+".pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	tf, err := os.Create(filepath.Join(out, name+".trace"))
	if err != nil {
		return err
	}
	defer tf.Close()
	if err := trace.Start(tf); err != nil {
		return err
	}
	stop := watchHeap(filepath.Join(out, name+".heap"))
	start := time.Now()
	err = fn()
	stop()
	trace.Stop()
	pprof.StopCPUProfile()
	s := time.Since(start).Seconds()
	fmt.Printf("%-8s %6.2f s  %6.1f MB/s\n", name, s, float64(size)/s/1e6)
	return err
}

// watchHeap writes a heap profile whenever the heap in use reaches a new
// peak, until stop is called: the last one written is the peak's.
func watchHeap(path string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var peak uint64
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak+(8<<20) {
				peak = ms.HeapInuse
				if f, err := os.Create(path); err == nil {
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// caughtUp waits until every replica of dataset has applied the
// primary's position: the replicas' share of the ingest, once the
// primary is done.
func caughtUp(ctx context.Context, e *hot.Engine, dataset string) error {
	for {
		st, err := e.Status(dataset)
		if err != nil {
			return err
		}
		done := true
		for _, r := range st.Replicas {
			done = done && r.Applied >= st.Position
		}
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// dropCaches writes back and drops the page cache where this process may
// (root); elsewhere the tree stays cached and its reads cost less.
func dropCaches() {
	syscall.Sync()
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0o200); err != nil {
		fmt.Fprintln(os.Stderr, "prof: page cache not dropped:", err)
	}
}
