// Command snap measures erasure-coded snapshots with real meshnode
// processes on loopback beside restic backing up the same directory to
// a local repository: directory to first snapshot, the incremental
// snapshot after a 5 % change, restore (also with m sites down), bytes
// stored and peak RSS. bench/snap.sh runs it; BENCHMARKS.md records the
// figures. The tree generator and mutator (bench/internal/gentree) and
// the process harness (bench/internal/harness) are shared with
// bench/hot.
//
//	go build -o /tmp/meshnode ./cmd/meshnode
//	go run ./bench/snap -meshnode /tmp/meshnode -restic restic
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/meshvault/meshvault/bench/internal/harness"
)

type options struct {
	meshnode, restic string
	out              string // JSON results file, or empty
	work             string // parent of the work dir, or empty for $TMPDIR
	size             int64
	frac             float64
	seed             uint64
	mode             string // replication mode of the dataset
	sites            int
	keep             bool   // keep the work dir
	nodeArgs         string // more meshnode flags, space-separated
	cpuProfile       string // dir for CPU profiles of every site over the first snapshot, or empty
	profileSecs      int
}

func main() {
	os.Exit(harness.Main("snap", os.Args[1:], parseFlags, run))
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("snap", flag.ContinueOnError)
	var o options
	var size int64
	harness.MeshnodeFlag(fs, &o.meshnode)
	fs.StringVar(&o.restic, "restic", "restic", "restic binary")
	fs.StringVar(&o.out, "json", "", "write the results as JSON to this file")
	fs.StringVar(&o.work, "work", "", "make the work dir under this dir (default $TMPDIR)")
	fs.Int64Var(&size, "size-mib", 1024, "size of the generated tree, MiB")
	fs.Float64Var(&o.frac, "frac", 0.05, "fraction of the tree's bytes to change")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed")
	fs.StringVar(&o.mode, "mode", "async", "replication mode of the dataset (primary s1, replica s2)")
	fs.IntVar(&o.sites, "sites", 5, "number of sites")
	fs.BoolVar(&o.keep, "keep", false, "keep the work dir")
	fs.StringVar(&o.nodeArgs, "node-args", "", "more flags for every meshnode, space-separated (e.g. \"--gc-percent 25\")")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of every site over the first snapshot (DIR/first-SITE.pprof) and over the restore at s3 (DIR/restore-SITE.pprof, a third as long)")
	fs.IntVar(&o.profileSecs, "profile-secs", 10, "length of the -cpuprofile profiles, seconds from the source request")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.size = size << 20
	return o, o.validate()
}

func (o options) validate() error {
	if err := harness.CheckMeshnode(o.meshnode); err != nil {
		return err
	}
	if _, err := exec.LookPath(o.restic); err != nil {
		return fmt.Errorf("-restic: %w (apt-get install restic)", err)
	}
	if o.size < 64<<20 || o.sites < 5 || o.frac <= 0 || o.frac >= 1 {
		return errors.New("need -size-mib >= 64, -sites >= 5 and 0 < -frac < 1")
	}
	return nil
}

// startCluster starts a mesh of sites meshnode processes with profile.
func (o options) startCluster(ctx context.Context, profile string, sites int) (*harness.Cluster, error) {
	return harness.Start(ctx, harness.Config{Program: "snap", Meshnode: o.meshnode, Profile: profile, Args: strings.Fields(o.nodeArgs)}, sites)
}
