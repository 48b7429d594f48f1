package snapshot

import (
	"slices"
	"testing"
	"time"
)

func TestRankPutsSitesClearlySlowerThanTheKthFastestLastAndKeepsDataShardsFirstAmongPeers(t *testing.T) {
	sites := []string{"a", "b", "c", "d", "e"} // shard i at sites[i]; k = 3
	cases := []struct {
		name string
		took map[string]time.Duration
		want []int
	}{
		{"nothing known: data shards first", nil, []int{0, 1, 2, 3, 4}},
		{"all alike: data shards first", ms(map[string]int{"a": 3, "b": 4, "c": 3, "d": 2, "e": 5}), []int{0, 1, 2, 3, 4}},
		{"one slow data holder goes last", ms(map[string]int{"a": 300, "b": 4, "c": 3, "d": 2, "e": 5}), []int{1, 2, 3, 4, 0}},
		{"slowest last", ms(map[string]int{"a": 900, "b": 200, "c": 3, "d": 2, "e": 5}), []int{2, 3, 4, 1, 0}},
		{"an unknown site is asked as if fast", ms(map[string]int{"a": 300, "c": 3, "d": 2, "e": 5}), []int{1, 2, 3, 4, 0}},
		{"a local shard does not make the remote sites slow", ms(map[string]int{"a": 1, "b": 15, "c": 12, "d": 14, "e": 13}), []int{0, 1, 2, 3, 4}},
		{"two slow sites of five: k=3 fast ones left", ms(map[string]int{"a": 400, "b": 4, "c": 300, "d": 2, "e": 5}), []int{1, 3, 4, 2, 0}},
	}
	for _, tc := range cases {
		s := newSiteSpeeds()
		for site, d := range tc.took {
			s.observe(site, d)
		}
		if got := s.rank([]int{0, 1, 2, 3, 4}, sites, 3); !slices.Equal(got, tc.want) {
			t.Errorf("%s: order %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSpeedEstimateIsForgottenSoASlowSiteIsAskedAgain(t *testing.T) {
	now := time.Unix(1e9, 0)
	s := newSiteSpeeds()
	s.now = func() time.Time { return now }
	s.observe("a", time.Second)
	if s.estimate("a") != time.Second {
		t.Fatalf("estimate %v, want 1s", s.estimate("a"))
	}
	s.observe("a", 200*time.Millisecond)
	if got := s.estimate("a"); got != 800*time.Millisecond {
		t.Fatalf("after a faster get: %v, want the moving average 800ms", got)
	}
	now = now.Add(speedMemory)
	if got := s.estimate("a"); got != 0 {
		t.Fatalf("after %v: %v, want forgotten", speedMemory, got)
	}
}

func TestACallCutShortRaisesASlowSitesEstimateButNeverLowersIt(t *testing.T) {
	s := newSiteSpeeds()
	s.observe("a", time.Second)
	s.observeCutShort("a", 100*time.Millisecond) // k shards came from others first
	if got := s.estimate("a"); got != time.Second {
		t.Fatalf("after a get cut short at 100ms: %v, want still 1s", got)
	}
	s.observeCutShort("a", 5*time.Second)
	if got := s.estimate("a"); got != 2*time.Second {
		t.Fatalf("after a get cut short at 5s: %v, want the moving average 2s", got)
	}
	s.observeCutShort("b", 300*time.Millisecond)
	if got := s.estimate("b"); got != 300*time.Millisecond {
		t.Fatalf("an unknown site cut short at 300ms: %v, want 300ms", got)
	}
}

func TestAGetUnderWayCountsTowardItsSitesEstimateUntilItEnds(t *testing.T) {
	now := time.Unix(1e9, 0)
	s := newSiteSpeeds()
	s.now = func() time.Time { return now }
	s.observe("a", 10*time.Millisecond)
	end := s.begin("a")
	now = now.Add(time.Second)
	if got := s.estimate("a"); got != time.Second {
		t.Fatalf("a get under way for 1s: estimate %v, want 1s", got)
	}
	end()
	if got := s.estimate("a"); got != 10*time.Millisecond {
		t.Fatalf("once it ended: %v, want the 10ms average back", got)
	}
}

func ms(in map[string]int) map[string]time.Duration {
	out := map[string]time.Duration{}
	for k, v := range in {
		out[k] = time.Duration(v) * time.Millisecond
	}
	return out
}
