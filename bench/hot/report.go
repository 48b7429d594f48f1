package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"time"
)

// dur is a duration printed to the 0.1 ms and written to JSON as
// milliseconds.
type dur time.Duration

func (d dur) String() string {
	if time.Duration(d) < 10*time.Millisecond {
		return time.Duration(d).Round(10 * time.Microsecond).String()
	}
	return time.Duration(d).Round(time.Millisecond).String()
}

func (d dur) MarshalJSON() ([]byte, error) {
	return json.Marshal(float64(time.Duration(d).Round(time.Microsecond)) / 1e6)
}

// quantiles is p50, p99 and max of a sample, by nearest rank.
type quantiles struct {
	N   int `json:"n"`
	P50 dur `json:"p50_ms"`
	P99 dur `json:"p99_ms"`
	Max dur `json:"max_ms"`
}

func (q quantiles) String() string {
	return fmt.Sprintf("n=%d p50 %s p99 %s max %s", q.N, q.P50, q.P99, q.Max)
}

func quantilesOf(ds []time.Duration) quantiles {
	if len(ds) == 0 {
		return quantiles{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p float64) dur { return dur(s[max(0, int(math.Ceil(p*float64(len(s))))-1)]) }
	return quantiles{N: len(s), P50: rank(0.50), P99: rank(0.99), Max: dur(s[len(s)-1])}
}

// median of a non-empty sample.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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
