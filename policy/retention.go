package policy

import (
	"errors"
	"fmt"
	"time"
)

// Snapshot is what retention needs to know about one snapshot.
type Snapshot struct {
	ID   string
	Time time.Time
	Tags []string
}

// Retention is the set of --keep-* rules given to `snapshot forget`.
//
// A count of 0 disables its rule and -1 means unlimited, as in restic.
// Within keeps every snapshot taken less than Within before the newest
// snapshot; Tags keeps every snapshot that has any of these tags.
type Retention struct {
	Last, Hourly, Daily, Weekly, Monthly, Yearly int
	Within                                       time.Duration
	Tags                                         []string
}

// errKeepsNothing is returned for a Retention with no rule at all.
var errKeepsNothing = errors.New("refusing to forget every snapshot: give at least one --keep-* rule")

// counts pairs each count with the flag that sets it, in restic's order.
func (r Retention) counts() []struct {
	flag string
	n    int
} {
	return []struct {
		flag string
		n    int
	}{
		{"--keep-last", r.Last}, {"--keep-hourly", r.Hourly},
		{"--keep-daily", r.Daily}, {"--keep-weekly", r.Weekly},
		{"--keep-monthly", r.Monthly}, {"--keep-yearly", r.Yearly},
	}
}

// Validate refuses counts below -1, a negative --keep-within, an empty
// --keep-tag, and a Retention that would keep nothing.
func (r Retention) Validate() error {
	for _, c := range r.counts() {
		if c.n < -1 {
			return fmt.Errorf("%s must be -1 (unlimited) or a count of at least 0, got %d", c.flag, c.n)
		}
	}
	if r.Within < 0 {
		return fmt.Errorf("--keep-within must not be negative, got %v", r.Within)
	}
	for _, t := range r.Tags {
		if t == "" {
			return errors.New("--keep-tag needs a non-empty tag")
		}
	}
	if !r.keepsAnything() {
		return errKeepsNothing
	}
	return nil
}

// keepsAnything reports whether at least one rule is active.
func (r Retention) keepsAnything() bool {
	for _, c := range r.counts() {
		if c.n > 0 || c.n == -1 {
			return true
		}
	}
	for _, t := range r.Tags {
		if t != "" {
			return true
		}
	}
	return r.Within > 0
}

// tagReasons returns one "has tags [t]" reason per --keep-tag t that s has.
func (r Retention) tagReasons(s Snapshot) []string {
	var reasons []string
	for _, want := range r.Tags {
		for _, have := range s.Tags {
			if want != "" && want == have {
				reasons = append(reasons, fmt.Sprintf("has tags [%s]", want))
				break
			}
		}
	}
	return reasons
}

// withinReason renders d as restic renders --keep-within ("within 72h"):
// whole hours as "Nh", anything finer as Go prints it.
func withinReason(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("within %dh", d/time.Hour)
	}
	return "within " + d.String()
}
