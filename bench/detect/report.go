package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/meshvault/meshvault/mesh"
)

// dur is a duration printed to the millisecond and written to JSON as
// milliseconds.
type dur time.Duration

func (d dur) String() string { return time.Duration(d).Round(time.Millisecond).String() }

func (d dur) MarshalJSON() ([]byte, error) {
	return json.Marshal(float64(time.Duration(d).Round(time.Microsecond)) / 1e6)
}

// runResult is one kill: AllDead is when the last other site showed the
// victim dead, FirstDead when the first did.
type runResult struct {
	Profile   string `json:"-"`
	Run       int    `json:"run"`
	Killed    string `json:"killed"`
	AllDead   dur    `json:"all_dead_ms"`
	FirstDead dur    `json:"first_dead_ms"`
}

func (r runResult) String() string {
	return fmt.Sprintf("%-4s run %d: killed %s; dead on all others after %s (on the first after %s)",
		r.Profile, r.Run, r.Killed, r.AllDead, r.FirstDead)
}

// summary is one profile's runs beside the formulas for its bound.
type summary struct {
	Profile       string      `json:"profile"`
	ProbeInterval dur         `json:"probe_interval_ms"`
	ProbeTimeout  dur         `json:"probe_timeout_ms"`
	Median        dur         `json:"median_ms"`
	Min           dur         `json:"min_ms"`
	Max           dur         `json:"max_ms"`
	SuspicionMin  dur         `json:"suspicion_min_ms"`
	SuspicionMax  dur         `json:"suspicion_max_ms"`
	DeadBound     dur         `json:"dead_bound_ms"`
	Runs          []runResult `json:"runs"`
}

func summarize(prof mesh.Profile, sites int, runs []runResult) summary {
	all := make([]dur, len(runs))
	for i, r := range runs {
		all[i] = r.AllDead
	}
	slices.Sort(all)
	smin, smax := prof.SuspicionTimeout(sites)
	return summary{
		Profile: prof.Name, ProbeInterval: dur(prof.ProbeInterval), ProbeTimeout: dur(prof.ProbeTimeout),
		Median: median(all), Min: all[0], Max: all[len(all)-1],
		SuspicionMin: dur(smin), SuspicionMax: dur(smax), DeadBound: dur(prof.DeadBound(sites)), Runs: runs,
	}
}

// median of sorted, non-empty ds.
func median(ds []dur) dur {
	mid := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[mid]
	}
	return (ds[mid-1] + ds[mid]) / 2
}

func printTable(w io.Writer, sums []summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nprofile\tprobe every/timeout\tkill->dead median\tmin\tmax\tsuspicion timeout (formula)\tdead bound (DeadBound)")
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%s / %s\t%s\t%s\t%s\t%s .. %s\t%s\n", s.Profile, s.ProbeInterval, s.ProbeTimeout,
			s.Median, s.Min, s.Max, s.SuspicionMin, s.SuspicionMax, s.DeadBound)
	}
	tw.Flush()
}

// writeJSON writes the summaries to path, if one was given.
func writeJSON(path string, sites int, sums []summary) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(struct {
		Sites    int       `json:"sites"`
		PollMS   dur       `json:"poll_ms"`
		Profiles []summary `json:"profiles"`
	}{sites, dur(deadPoll), sums}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("-json: %w", err)
	}
	return nil
}
