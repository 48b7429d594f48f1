package policy

import (
	"cmp"
	"slices"
	"time"
)

// Decision is the verdict on one snapshot: Keep with the reasons (rules)
// that kept it, worded as restic prints them, or forget (no reasons).
type Decision struct {
	Snapshot Snapshot
	Keep     bool
	Reasons  []string
}

// Apply decides, for each snapshot, whether r keeps it, following restic's
// ApplyPolicy (internal/restic/snapshot_policy.go):
//
//   - Snapshots are sorted newest first; the result is in that order and
//     does not depend on the input order (equal times are ordered by ID).
//   - A policy with no active rule keeps everything ("policy is empty");
//     Validate refuses such a policy before it gets here.
//   - Each snapshot is checked against every rule, in restic's order, and
//     every rule that keeps it adds its reason:
//     --keep-tag: the snapshot has the tag ("has tags [prod]"), uncounted;
//     --keep-within D: its time is strictly after newest-D ("within 72h");
//     --keep-last/hourly/daily/weekly/monthly/yearly N: each rule has a
//     bucket function (snapshot position for last, then YYYYMMDDHH,
//     YYYYMMDD, ISO year+week, YYYYMM, YYYY) and remembers the bucket of
//     the last snapshot it kept. While its count is not used up (or is -1,
//     unlimited), it keeps a snapshot whose bucket differs from that one,
//     and spends one count. Walking newest to oldest, that is the newest
//     snapshot of each of the N most recent buckets that have snapshots.
//     It also keeps the oldest snapshot while counts are left, so that the
//     history kept is as long as possible.
//
// Buckets use Time in its own location: callers pass UTC. Unlike restic,
// "newest" for --keep-within is the newest snapshot even if it is in the
// future, because Apply does not read the clock.
func Apply(snaps []Snapshot, r Retention) []Decision {
	sorted := slices.Clone(snaps)
	slices.SortFunc(sorted, newestFirst)
	out := make([]Decision, len(sorted))
	if !r.keepsAnything() {
		for i, s := range sorted {
			out[i] = Decision{Snapshot: s, Keep: true, Reasons: []string{"policy is empty"}}
		}
		return out
	}
	rules := countRules(r)
	for nr, s := range sorted {
		reasons := r.tagReasons(s)
		if r.Within > 0 && s.Time.After(sorted[0].Time.Add(-r.Within)) {
			reasons = append(reasons, withinReason(r.Within))
		}
		oldest := nr == len(sorted)-1
		for i := range rules {
			if rules[i].keeps(s.Time, nr, oldest) {
				reasons = append(reasons, rules[i].reason)
			}
		}
		out[nr] = Decision{Snapshot: s, Keep: len(reasons) > 0, Reasons: reasons}
	}
	return out
}

// newestFirst orders by time descending, then by ID.
func newestFirst(a, b Snapshot) int {
	if c := b.Time.Compare(a.Time); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// countRule is one --keep-<N> rule while Apply walks the snapshots.
type countRule struct {
	left   int // counts left; -1 is unlimited
	bucket func(t time.Time, nr int) int
	last   int // bucket of the last snapshot this rule kept
	reason string
}

func countRules(r Retention) []countRule {
	return []countRule{
		{r.Last, func(_ time.Time, nr int) int { return nr }, -1, "last snapshot"},
		{r.Hourly, ymdh, -1, "hourly snapshot"},
		{r.Daily, ymd, -1, "daily snapshot"},
		{r.Weekly, yw, -1, "weekly snapshot"},
		{r.Monthly, ym, -1, "monthly snapshot"},
		{r.Yearly, func(t time.Time, _ int) int { return t.Year() }, -1, "yearly snapshot"},
	}
}

// keeps reports whether the rule keeps the snapshot at position nr, and
// if so records its bucket and spends a count.
func (c *countRule) keeps(t time.Time, nr int, oldest bool) bool {
	if c.left == 0 || c.left < -1 {
		return false
	}
	b := c.bucket(t, nr)
	if b == c.last && !oldest {
		return false
	}
	c.last = b
	if c.left > 0 {
		c.left--
	}
	return true
}

func ymdh(t time.Time, nr int) int { return ymd(t, nr)*100 + t.Hour() }
func ymd(t time.Time, _ int) int   { return t.Year()*10000 + int(t.Month())*100 + t.Day() }
func ym(t time.Time, _ int) int    { return t.Year()*100 + int(t.Month()) }

func yw(t time.Time, _ int) int {
	year, week := t.ISOWeek()
	return year*100 + week
}
