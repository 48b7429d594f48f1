package simulations

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// DrillOptions say what a DR drill does: a mesh of Sites, a sync hot
// dataset (primary s1, replica s2) of Files files of FileSize bytes, a
// snapshot of it, then the sites in Kill SIGKILL-like killed at once.
type DrillOptions struct {
	Sites    int      // 5 if 0
	Files    int      // 200 if 0
	FileSize int      // 64 KiB if 0
	Kill     []string // s1 (the primary) and s3 if empty
	Seed     int64
	// Dir holds the sites' data; a temporary directory, removed after, if empty.
	Dir string
}

func (o DrillOptions) withDefaults() DrillOptions {
	if o.Sites == 0 {
		o.Sites = 5
	}
	if o.Files == 0 {
		o.Files = 200
	}
	if o.FileSize == 0 {
		o.FileSize = 64 << 10
	}
	if len(o.Kill) == 0 {
		o.Kill = []string{"s1", "s3"}
	}
	return o
}

// Validate names what is wrong with o, and the fix.
func (o DrillOptions) Validate() error {
	o = o.withDefaults()
	if o.Sites < 3 {
		return fmt.Errorf("drill: --sites %d: give 3 or more (a primary, a replica and a third site to vote)", o.Sites)
	}
	for _, k := range o.Kill {
		var n int
		if _, err := fmt.Sscanf(k, "s%d", &n); err != nil || n < 1 || n > o.Sites || k != fmt.Sprintf("s%d", n) {
			return fmt.Errorf("drill: --kill %q: name sites s1..s%d", k, o.Sites)
		}
	}
	if len(o.Kill) >= o.Sites-1 {
		return fmt.Errorf("drill: --kill %v leaves fewer than 2 sites: kill at most %d", o.Kill, o.Sites-2)
	}
	return nil
}

// DrillReport is what a drill measured. Times run from the kill.
type DrillReport struct {
	Sites  int      `json:"sites"`
	Killed []string `json:"killed"`
	Scheme string   `json:"scheme"`
	// DetectSeconds is until every surviving site saw every killed one dead.
	DetectSeconds float64 `json:"detect_s"`
	// FailoverSeconds is until a survivor was promoted the dataset's
	// primary (0 and NewPrimary empty when the primary was not killed or
	// no copy survived). WritesAfterFailover says whether it then
	// acknowledged a write; WriteRefused why not.
	FailoverSeconds     float64 `json:"failover_s"`
	NewPrimary          string  `json:"new_primary,omitempty"`
	WritesAfterFailover bool    `json:"writes_after_failover"`
	WriteRefused        string  `json:"write_refused,omitempty"`
	// HotFilesLost counts the acknowledged files missing or different at
	// the dataset's primary after the failover (sync: must be 0); every
	// file when the drill killed the primary and the replica both.
	HotFilesLost int `json:"hot_files_lost"`
	// RestoreSeconds is the snapshot's restore at a survivor, and
	// SnapshotFilesLost the files that did not come back byte for byte
	// (must be 0 with at most m sites killed).
	RestoreAt         string  `json:"restore_at"`
	RestoreSeconds    float64 `json:"restore_s"`
	SnapshotFilesLost int     `json:"snapshot_files_lost"`
	// SurvivesAfterLoss and SurvivesAfterRepair are how many more site
	// losses the snapshot survives after the kill and after the repair.
	// RepairSeconds is the repair's own time, and FullRedundancySeconds
	// the time to detect the loss plus it: the repair can start once the
	// loss is seen (the drill runs the restore first, with the sites
	// still missing).
	SurvivesDesigned      int     `json:"survives_designed"`
	SurvivesAfterLoss     int     `json:"survives_after_loss"`
	SurvivesAfterRepair   int     `json:"survives_after_repair"`
	RepairedShards        int     `json:"repaired_shards"`
	RepairSeconds         float64 `json:"repair_s"`
	FullRedundancy        bool    `json:"full_redundancy"` // survives as many losses as designed again
	FullRedundancySeconds float64 `json:"full_redundancy_s"`
	Seed                  int64   `json:"seed"`
}

// RunDrill runs one drill in a cluster of its own and reports it.
func RunDrill(ctx context.Context, o DrillOptions) (DrillReport, error) {
	if err := o.Validate(); err != nil {
		return DrillReport{}, err
	}
	o = o.withDefaults()
	dir, cleanup, err := drillDir(o.Dir)
	if err != nil {
		return DrillReport{}, err
	}
	defer cleanup()
	c, err := New(Options{Dir: dir, N: o.Sites, Seed: o.Seed})
	if err != nil {
		return DrillReport{}, err
	}
	defer c.Close()
	d := &drill{c: c, o: o, rep: DrillReport{Sites: o.Sites, Killed: o.Kill, Seed: c.Seed()}}
	err = d.run(ctx)
	return d.rep, err
}

func drillDir(dir string) (string, func(), error) {
	if dir != "" {
		abs, err := filepath.Abs(dir) // a restore writes under an absolute directory only
		if err != nil {
			return "", nil, err
		}
		return abs, func() {}, os.MkdirAll(abs, 0o700)
	}
	tmp, err := os.MkdirTemp("", "meshvault-drill-")
	return filepath.Clean(tmp), func() { os.RemoveAll(tmp) }, err
}

// since is the seconds from t, to the millisecond.
func since(t time.Time) float64 { return float64(time.Since(t).Milliseconds()) / 1000 }
