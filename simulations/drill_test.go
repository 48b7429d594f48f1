package simulations_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/simulations"
)

func runDrill(t *testing.T, o simulations.DrillOptions) simulations.DrillReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o.Dir, o.Files, o.FileSize = t.TempDir(), 20, 32<<10
	rep, err := simulations.RunDrill(ctx, o)
	if err != nil {
		t.Fatalf("%v (report so far: %+v)", err, rep)
	}
	return rep
}

func TestDrillKillingThePrimaryAndOneMoreSiteFailsOverLosingNoAcknowledgedWriteAndRepairs(t *testing.T) {
	rep := runDrill(t, simulations.DrillOptions{Sites: 5, Kill: []string{"s1", "s3"}})
	if rep.NewPrimary != "s2" || rep.HotFilesLost != 0 || rep.SnapshotFilesLost != 0 {
		t.Fatalf("drill: %+v; want s2 promoted with every acknowledged write, and the snapshot restored whole", rep)
	}
	if rep.DetectSeconds <= 0 || rep.FailoverSeconds <= 0 || rep.RestoreAt != "s5" {
		t.Fatalf("drill: %+v; want the detection and failover timed and the restore at s5", rep)
	}
	if rep.SurvivesAfterLoss >= rep.SurvivesDesigned || rep.SurvivesAfterRepair <= rep.SurvivesAfterLoss || rep.RepairedShards == 0 {
		t.Fatalf("drill: %+v; want the kill to cost the snapshot redundancy and the repair to give some back", rep)
	}
}

func TestDrillKillingEveryHotCopyLosesTheHotFilesButTheSnapshotBringsThemBack(t *testing.T) {
	rep := runDrill(t, simulations.DrillOptions{Sites: 5, Kill: []string{"s1", "s2"}})
	if rep.HotFilesLost != 20 || rep.SnapshotFilesLost != 0 || rep.NewPrimary != "" {
		t.Fatalf("drill: %+v; want every hot file lost (no copy left) and every one restored from the snapshot", rep)
	}
}

func TestDrillOptionsNameABadSiteAndTooManyKills(t *testing.T) {
	for _, c := range []struct {
		o    simulations.DrillOptions
		want string
	}{
		{simulations.DrillOptions{Sites: 5, Kill: []string{"s9"}}, "name sites s1..s5"},
		{simulations.DrillOptions{Sites: 5, Kill: []string{"s1", "s2", "s3", "s4"}}, "kill at most 3"},
		{simulations.DrillOptions{Sites: 2}, "give 3 or more"},
	} {
		if err := c.o.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v; want an error saying %q", c.o, err, c.want)
		}
	}
}
