package erasure

import (
	"strings"
	"testing"
)

func TestParseSchemeAcceptsKPlusMAndRejectsWithClearErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want, errHas string
	}{
		{in: "3+2", want: "3+2"},
		{in: " 4 + 2 ", want: "4+2"},
		{in: "1+1", want: "1+1"},
		{in: "30+2", want: "30+2"},
		{in: "3-2", errHas: "want K+M"},
		{in: "a+2", errHas: "whole numbers"},
		{in: "", errHas: "want K+M"},
		{in: "0+2", errHas: "K (data shards) must be at least 1"},
		{in: "3+0", errHas: "M (parity shards) must be at least 1"},
		{in: "30+3", errHas: "at most 32"},
	} {
		s, err := ParseScheme(tc.in)
		if tc.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("ParseScheme(%q) error = %v, want it to say %q", tc.in, err, tc.errHas)
			}
			continue
		}
		if err != nil || s.String() != tc.want {
			t.Errorf("ParseScheme(%q) = %v, %v; want %s", tc.in, s, err, tc.want)
		}
	}
}

func TestDefaultSchemeSurvivesTwoSiteLossesFromFiveSites(t *testing.T) {
	for _, tc := range []struct {
		sites int
		want  string
	}{{0, "1+1"}, {1, "1+1"}, {2, "1+1"}, {3, "2+1"}, {4, "2+2"}, {5, "3+2"}, {6, "4+2"}, {40, "4+2"}} {
		s := DefaultScheme(tc.sites)
		if s.String() != tc.want || s.Validate() != nil {
			t.Errorf("DefaultScheme(%d) = %s, want %s", tc.sites, s, tc.want)
		}
		if tc.sites < 1 {
			continue
		}
		sites := testSites(tc.sites, tc.sites)
		got := Survives(Place("obj", sites, s.Shards()), s.K)
		want := map[bool]int{true: 2, false: min(s.M, tc.sites-1)}[tc.sites >= 5]
		if got != want {
			t.Errorf("%d sites with %s: survives %d site losses, want %d", tc.sites, s, got, want)
		}
	}
}
