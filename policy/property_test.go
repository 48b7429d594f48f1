package policy_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/meshvault/meshvault/policy"
)

// randomSnaps returns up to 60 snapshots over three years, bunched so that
// hours and days repeat, with some equal times and random tags.
func randomSnaps(rng *rand.Rand) []policy.Snapshot {
	n := rng.IntN(61)
	snaps := make([]policy.Snapshot, n)
	t := newest
	for i := range snaps {
		switch rng.IntN(4) {
		case 0: // same time as the previous one
		case 1:
			t = t.Add(-time.Duration(rng.IntN(90)) * time.Minute)
		case 2:
			t = t.Add(-time.Duration(rng.IntN(72)) * time.Hour)
		default:
			t = t.Add(-time.Duration(rng.IntN(60*24)) * time.Hour)
		}
		snaps[i] = policy.Snapshot{ID: fmt.Sprintf("r%02d", i), Time: t}
		for _, tag := range []string{"a", "b", "c"} {
			if rng.IntN(5) == 0 {
				snaps[i].Tags = append(snaps[i].Tags, tag)
			}
		}
	}
	rng.Shuffle(n, func(i, j int) { snaps[i], snaps[j] = snaps[j], snaps[i] })
	return snaps
}

func randomCount(rng *rand.Rand) int { return []int{-1, 0, 0, 0, 1, 2, 3, 5, 10}[rng.IntN(9)] }

func randomRetention(rng *rand.Rand) policy.Retention {
	r := policy.Retention{Last: randomCount(rng), Hourly: randomCount(rng), Daily: randomCount(rng),
		Weekly: randomCount(rng), Monthly: randomCount(rng), Yearly: randomCount(rng)}
	if rng.IntN(3) == 0 {
		r.Within = time.Duration(1+rng.IntN(24*30)) * time.Hour
	}
	for _, tag := range []string{"a", "b"} {
		if rng.IntN(4) == 0 {
			r.Tags = append(r.Tags, tag)
		}
	}
	return r
}

// singles splits r into one Retention per active rule.
func singles(r policy.Retention) []policy.Retention {
	var out []policy.Retention
	for _, s := range []policy.Retention{{Last: r.Last}, {Hourly: r.Hourly}, {Daily: r.Daily},
		{Weekly: r.Weekly}, {Monthly: r.Monthly}, {Yearly: r.Yearly}, {Within: r.Within}} {
		if s.Validate() == nil {
			out = append(out, s)
		}
	}
	for _, tag := range r.Tags {
		out = append(out, policy.Retention{Tags: []string{tag}})
	}
	return out
}

// TestPropertyRulesCombine: a combined policy keeps a snapshot exactly when
// some rule alone keeps it, with every such rule's reason, newest first.
func TestPropertyRulesCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := range 2000 {
		snaps, r := randomSnaps(rng), randomRetention(rng)
		if r.Validate() != nil {
			continue
		}
		got := policy.Apply(snaps, r)
		if len(got) != len(snaps) || !slices.IsSortedFunc(got, func(a, b policy.Decision) int {
			return b.Snapshot.Time.Compare(a.Snapshot.Time)
		}) {
			t.Fatalf("iter %d: not all snapshots, or not newest first", iter)
		}
		want := map[string][]string{}
		for _, s := range singles(r) {
			for _, d := range policy.Apply(snaps, s) {
				want[d.Snapshot.ID] = append(want[d.Snapshot.ID], d.Reasons...)
			}
		}
		for _, d := range got {
			w := want[d.Snapshot.ID]
			if d.Keep != (len(d.Reasons) > 0) || !sameSet(d.Reasons, w) {
				t.Fatalf("iter %d, %+v: %s kept=%v %q, single rules give %q",
					iter, r, d.Snapshot.ID, d.Keep, d.Reasons, w)
			}
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestPropertyKeepLast: --keep-last N alone keeps the min(N, len) newest.
func TestPropertyKeepLast(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for iter := range 1000 {
		snaps := randomSnaps(rng)
		n := rng.IntN(70) - 1 // -1 (unlimited) .. 68
		want := min(n, len(snaps))
		if n <= 0 { // -1 is unlimited; 0 is an empty policy, which keeps all
			want = len(snaps)
		}
		for i, d := range policy.Apply(snaps, policy.Retention{Last: n}) {
			if d.Keep != (i < want) {
				t.Fatalf("iter %d: keep-last %d of %d: decision %d keep=%v", iter, n, len(snaps), i, d.Keep)
			}
		}
	}
}
