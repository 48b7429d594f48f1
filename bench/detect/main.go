// Command detect measures how long a mesh of meshnode processes on
// loopback takes to declare a SIGKILLed site dead, for each timing
// profile, and prints it beside memberlist's formula for the bound.
// bench/mesh.sh runs it; BENCHMARKS.md records the figures.
//
//	go build -o /tmp/meshnode ./cmd/meshnode
//	go run ./bench/detect -meshnode /tmp/meshnode -profiles lan,wan,fast -runs 5 -sites 5
//
// Each run starts -sites processes (s1 is the seed, the others join it),
// waits until every site sees every other alive, SIGKILLs one non-seed
// site, and times how long until every other site's /v1/members shows
// it dead, polling each site every 10 ms.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/mesh"
)

type options struct {
	meshnode string
	profiles []string
	runs     int
	sites    int
	jsonPath string
}

func main() {
	os.Exit(harness.Main("detect", os.Args[1:], parseFlags, run))
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	var o options
	var profiles string
	harness.MeshnodeFlag(fs, &o.meshnode)
	fs.StringVar(&profiles, "profiles", "lan,wan,fast", "comma-separated timing profiles to measure")
	fs.IntVar(&o.runs, "runs", 5, "runs per profile")
	fs.IntVar(&o.sites, "sites", 5, "meshnode processes per run")
	fs.StringVar(&o.jsonPath, "json", "", "also write the results as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.profiles = strings.Split(profiles, ",")
	return o, o.validate()
}

func (o options) validate() error {
	if err := harness.CheckMeshnode(o.meshnode); err != nil {
		return err
	}
	if o.runs < 1 || o.sites < 2 {
		return fmt.Errorf("-runs %d -sites %d: need at least 1 run and 2 sites", o.runs, o.sites)
	}
	for _, p := range o.profiles {
		if _, err := mesh.LookupProfile(p); err != nil {
			return fmt.Errorf("-profiles: %w", err)
		}
	}
	return nil
}

// run measures every profile, then prints the summary table and writes
// the JSON file.
func run(ctx context.Context, o options) error {
	fmt.Printf("kill->dead with %d meshnode sites on 127.0.0.1, %d runs per profile, polling /v1/members every %s\n",
		o.sites, o.runs, deadPoll)
	var sums []summary
	for _, name := range o.profiles {
		prof, _ := mesh.LookupProfile(name)
		runs, err := measureProfile(ctx, o, prof)
		if err != nil {
			return err
		}
		sums = append(sums, summarize(prof, o.sites, runs))
	}
	printTable(os.Stdout, sums)
	return writeJSON(o.jsonPath, o.sites, sums)
}

func measureProfile(ctx context.Context, o options, prof mesh.Profile) ([]runResult, error) {
	var out []runResult
	for i := range o.runs {
		r, err := measureRun(ctx, o, prof, i)
		if err != nil {
			return nil, fmt.Errorf("profile %s, run %d of %d: %w", prof.Name, i+1, o.runs, err)
		}
		r.Run = i + 1
		fmt.Println(r)
		out = append(out, r)
	}
	return out, nil
}
