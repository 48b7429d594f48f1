// Command hot measures hot-dataset replication with real meshnode
// processes on loopback, through the node API: primary write
// throughput, sync write latency, async replication lag, RTO after a
// SIGKILL of the primary, and the bytes and time to replicate a 5 %
// change of a generated tree beside rsync. bench/hot.sh runs it;
// BENCHMARKS.md records the figures.
//
//	go build -o /tmp/meshnode ./cmd/meshnode
//	go run ./bench/hot -meshnode /tmp/meshnode -run throughput,latency,lag,rto,delta
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/mesh"
)

type options struct {
	meshnode string
	run      []string
	out      string // dir for JSON results, or empty
	// throughput
	files int
	big   int64
	// latency and lag
	writes int
	rate   int
	lagFor time.Duration
	// rto
	profiles      []string
	runs, wanRuns int
	// delta
	size int64
	frac float64
	seed uint64
}

var measurements = []string{"throughput", "latency", "lag", "rto", "delta"}

func main() {
	// Many writers at once: keep their connections.
	http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = 64
	os.Exit(harness.Main("hot", os.Args[1:], parseFlags, run))
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("hot", flag.ContinueOnError)
	var o options
	var runList, profiles string
	var big, size int64
	harness.MeshnodeFlag(fs, &o.meshnode)
	fs.StringVar(&runList, "run", strings.Join(measurements, ","), "comma-separated measurements")
	fs.StringVar(&o.out, "out", "", "write each measurement's results as JSON into this dir")
	fs.IntVar(&o.files, "files", 256, "throughput: number of 1 MiB files")
	fs.Int64Var(&big, "big-mib", 1024, "throughput: size of the one big file, MiB")
	fs.IntVar(&o.writes, "writes", 1000, "latency: timed writes per mode")
	fs.IntVar(&o.rate, "rate", 1000, "lag: writes per second")
	fs.DurationVar(&o.lagFor, "lag-for", 10*time.Second, "lag: how long to write")
	fs.StringVar(&profiles, "profiles", "lan,wan,fast", "rto: timing profiles")
	fs.IntVar(&o.runs, "runs", 5, "rto: runs per profile")
	fs.IntVar(&o.wanRuns, "wan-runs", 3, "rto: runs for the wan profile")
	fs.Int64Var(&size, "size-mib", 1024, "delta: size of the generated tree, MiB")
	fs.Float64Var(&o.frac, "frac", 0.05, "delta: fraction of the tree's bytes to change")
	fs.Uint64Var(&o.seed, "seed", 1, "delta: generator seed")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.run, o.profiles, o.big, o.size = strings.Split(runList, ","), strings.Split(profiles, ","), big<<20, size<<20
	return o, o.validate()
}

func (o options) validate() error {
	if err := harness.CheckMeshnode(o.meshnode); err != nil {
		return err
	}
	for _, m := range o.run {
		if !slices.Contains(measurements, m) {
			return fmt.Errorf("-run: unknown measurement %q (have %s)", m, strings.Join(measurements, ", "))
		}
	}
	for _, p := range o.profiles {
		if _, err := mesh.LookupProfile(p); err != nil {
			return fmt.Errorf("-profiles: %w", err)
		}
	}
	if o.size < 64<<20 || o.files < 1 || o.big < 1<<20 || o.writes < 1 || o.rate < 1 || o.runs < 1 || o.wanRuns < 1 {
		return errors.New("need -size-mib >= 64 and every count >= 1")
	}
	return nil
}

// run runs each measurement asked for, in order, and writes its JSON.
func run(ctx context.Context, o options) error {
	for _, m := range o.run {
		fmt.Printf("== %s\n", m)
		start := time.Now()
		v, err := measure(ctx, o, m)
		if jerr := o.writeResult(m, v); err == nil {
			err = jerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", m, err)
		}
		fmt.Printf("(%s took %s)\n", m, time.Since(start).Round(time.Second))
	}
	return nil
}

func measure(ctx context.Context, o options, m string) (any, error) {
	switch m {
	case "throughput":
		return measureThroughput(ctx, o)
	case "latency":
		return measureLatency(ctx, o)
	case "lag":
		return measureLag(ctx, o)
	case "rto":
		return measureRTO(ctx, o)
	default:
		return measureDelta(ctx, o)
	}
}

// startCluster starts a mesh of sites meshnode processes with profile.
func (o options) startCluster(ctx context.Context, profile string, sites int) (*harness.Cluster, error) {
	return harness.Start(ctx, harness.Config{Program: "hot", Meshnode: o.meshnode, Profile: profile}, sites)
}

func (o options) writeResult(m string, v any) error {
	if o.out == "" {
		return nil
	}
	return writeJSON(filepath.Join(o.out, "hot-"+m+".json"), v)
}
