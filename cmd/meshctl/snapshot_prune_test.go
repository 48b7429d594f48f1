package main

import (
	"strings"
	"testing"

	"github.com/meshvault/meshvault/node/api"
)

func TestPruneOutputNamesTheDownSitesItWaitsForAndHowToStopWaiting(t *testing.T) {
	var out strings.Builder
	printPrune(&out, api.PruneResult{Kept: 3, UnfencedPacks: 2, WaitingFor: []string{"lima", "oslo"}})
	got := out.String()
	for _, want := range []string{"2 unreferenced packs", "lima, oslo", "meshctl dataset update NAME --replicas"} {
		if !strings.Contains(got, want) {
			t.Errorf("prune output %q lacks %q", got, want)
		}
	}
	out.Reset()
	printPrune(&out, api.PruneResult{Kept: 3})
	if strings.Contains(out.String(), "wait for") {
		t.Errorf("prune output %q speaks of waiting when no pack waits", out.String())
	}
}
