package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
)

// snapshotFiles are put into dataset web, which paris writes and tokyo
// replicates; lima holds no copy.
var snapshotFiles = map[string][]byte{
	"index.html":     []byte("<h1>hello</h1>"),
	"docs/a.txt":     []byte(strings.Repeat("a", 5000)),
	"images/big.bin": randomBytes(700 << 10),
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{7})
	r.Read(b)
	return b
}

func startWithFiles(t *testing.T) *simulations.Cluster {
	t.Helper()
	c := startCluster(t)
	if _, err := at(c, "paris", "dataset", "create", "web", "--primary", "paris", "--replicas", "tokyo"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for p, b := range snapshotFiles {
		src := filepath.Join(dir, filepath.Base(p))
		os.WriteFile(src, b, 0o644)
		if _, err := at(c, "paris", "put", "web", p, src); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func createSnapshot(t *testing.T, c *simulations.Cluster, site string, args ...string) api.Snapshot {
	t.Helper()
	out, err := at(c, site, append([]string{"snapshot", "create", "web", "--json"}, args...)...)
	var s api.Snapshot
	if err != nil || json.Unmarshal([]byte(out), &s) != nil {
		t.Fatalf("snapshot create at %s: %v %s", site, err, out)
	}
	return s
}

func sameFiles(t *testing.T, dir string, want map[string][]byte) {
	t.Helper()
	for p, b := range want {
		if got, err := os.ReadFile(filepath.Join(dir, p)); err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s: %d bytes (%v), want %d", p, len(got), err, len(b))
		}
	}
}

func TestSnapshotCreateAtASiteWithoutACopyThenListAtAnother(t *testing.T) {
	c := startWithFiles(t)
	s := createSnapshot(t, c, "lima", "--tag", "nightly") // forwarded to paris
	if s.ID == "" || s.Dataset != "web" || s.Files != 3 || s.Bytes != int64(5014+700<<10) || s.Tags[0] != "nightly" {
		t.Fatalf("created %+v", s)
	}
	out, err := at(c, "tokyo", "snapshot", "create", "web")
	if err != nil || !strings.Contains(out, "deduplicated") || !strings.Contains(out, "new") {
		t.Fatalf("snapshot create: %v %s", err, out)
	}
	out, err = at(c, "lima", "snapshot", "ls", "web", "--json")
	var ss []api.Snapshot
	if err != nil || json.Unmarshal([]byte(out), &ss) != nil || len(ss) != 2 || ss[0].ID != s.ID {
		t.Fatalf("snapshot ls --json: %v %s", err, out)
	}
	if ss[1].DedupBytes != s.Bytes {
		t.Errorf("second snapshot deduplicated %d bytes of %d", ss[1].DedupBytes, s.Bytes)
	}
	out, err = at(c, "tokyo", "snapshot", "show", s.ID[:8])
	if err != nil || !strings.Contains(out, s.ID) || !strings.Contains(out, s.Scheme) || !strings.Contains(out, "survives:") {
		t.Fatalf("snapshot show: %v\n%s", err, out)
	}
	out, err = at(c, "paris", "snapshot", "show", s.ID, "--json")
	var d api.SnapshotDetail
	if err != nil || json.Unmarshal([]byte(out), &d) != nil || d.Health.Survives < 1 || len(d.Placement) != 3 {
		t.Fatalf("snapshot show --json: %v\n%s", err, out)
	}
}

func TestRestoreLatestIntoARelativeDirRefusesToOverwriteAndPrintsJSON(t *testing.T) {
	c := startWithFiles(t)
	first := createSnapshot(t, c, "paris")
	work := t.TempDir()
	t.Chdir(work)
	out, err := at(c, "lima", "restore", "web", "--to", "restored")
	if err != nil || !strings.Contains(out, "restored 3 files") || !strings.Contains(out, first.ID) {
		t.Fatalf("restore: %v %s", err, out)
	}
	sameFiles(t, filepath.Join(work, "restored"), snapshotFiles)
	changed := filepath.Join(work, "restored", "index.html")
	os.WriteFile(changed, []byte("local edit"), 0o644)
	_, err = at(c, "lima", "restore", "web", "--to", "restored")
	if err == nil || !strings.Contains(err.Error(), "--overwrite") {
		t.Fatalf("restore over existing files: %v", err)
	}
	if b, _ := os.ReadFile(changed); string(b) != "local edit" {
		t.Fatal("a refused restore wrote a file")
	}
	out, err = at(c, "tokyo", "restore", "web", "--snapshot", first.ID[:10], "--to", "restored", "--overwrite", "--verify", "--json")
	var r api.RestoreResult
	if err != nil || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("restore --json: %v %s", err, out)
	}
	if r.Snapshot != first.ID || r.Files != 3 || r.Bytes != first.Bytes || !r.Verified || r.Seconds <= 0 {
		t.Fatalf("restore --json: %+v", r)
	}
	sameFiles(t, filepath.Join(work, "restored"), snapshotFiles)
}

func TestRestoreOfAPathPrefixWritesOnlyThatSubtree(t *testing.T) {
	c := startWithFiles(t)
	createSnapshot(t, c, "tokyo")
	dir := filepath.Join(t.TempDir(), "docs-only")
	if _, err := at(c, "paris", "restore", "web", "--path", "docs/", "--to", dir); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, dir, map[string][]byte{"docs/a.txt": snapshotFiles["docs/a.txt"]})
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err == nil {
		t.Fatal("a file outside --path was restored")
	}
	if _, err := at(c, "paris", "restore", "web", "--at", "2001-01-01", "--to", dir); err == nil || !strings.Contains(err.Error(), "no snapshot of web") {
		t.Fatalf("restore --at before every snapshot: %v", err)
	}
}

func TestForgetKeepLastDryRunChangesNothingThenForgets(t *testing.T) {
	c := startWithFiles(t)
	old := createSnapshot(t, c, "paris")
	newest := createSnapshot(t, c, "paris", "--tag", "release")
	out, err := at(c, "lima", "snapshot", "forget", "web", "--keep-last", "1", "--dry-run", "--json")
	var ds []api.ForgetDecision
	if err != nil || json.Unmarshal([]byte(out), &ds) != nil || len(ds) != 2 {
		t.Fatalf("forget --dry-run --json: %v %s", err, out)
	}
	if ds[0].Snapshot.ID != newest.ID || !ds[0].Keep || ds[1].Snapshot.ID != old.ID || ds[1].Keep {
		t.Fatalf("decisions: %+v", ds)
	}
	out, err = at(c, "tokyo", "snapshot", "forget", "web", "--keep-last", "1")
	if err != nil || !strings.Contains(out, "forget") || !strings.Contains(out, "last snapshot") {
		t.Fatalf("forget: %v\n%s", err, out)
	}
	if out, _ := at(c, "paris", "snapshot", "ls", "web", "--json"); strings.Contains(out, old.ID) || !strings.Contains(out, newest.ID) {
		t.Fatalf("after forget: %s", out)
	}
	if _, err := at(c, "paris", "snapshot", "forget", "web"); err == nil || !strings.Contains(err.Error(), "--keep-") {
		t.Fatalf("forget without rules: %v", err)
	}
}

func TestPruneJSONSaysPacksAndBytesFreed(t *testing.T) {
	c := startWithFiles(t)
	createSnapshot(t, c, "paris")
	out, err := at(c, "tokyo", "snapshot", "prune", "--json")
	var r map[string]any
	if err != nil || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("prune --json: %v %s", err, out)
	}
	if _, ok := r["bytes"]; !ok || r["packs"] != float64(0) || r["kept_packs"].(float64) < 2 || r["repacked_packs"] != float64(0) {
		t.Fatalf("prune --json: %s", out)
	}
}

func TestSnapshotShowListsItsFilesWithSizesAndNarrowsToAPath(t *testing.T) {
	c := startWithFiles(t)
	s := createSnapshot(t, c, "paris")
	out, err := at(c, "lima", "snapshot", "show", s.ID[:8])
	if err != nil {
		t.Fatalf("snapshot show: %v\n%s", err, out)
	}
	for p, b := range snapshotFiles {
		if !strings.Contains(out, fmt.Sprintf("%d", len(b))) || !strings.Contains(out, " "+p+"\n") {
			t.Errorf("snapshot show lacks %s (%d bytes):\n%s", p, len(b), out)
		}
	}
	out, err = at(c, "lima", "snapshot", "show", s.ID, "--path", "images", "--json")
	var d struct {
		Files []api.FileEntry `json:"files"`
	}
	if err != nil || json.Unmarshal([]byte(out), &d) != nil {
		t.Fatalf("snapshot show --path --json: %v\n%s", err, out)
	}
	if len(d.Files) != 1 || d.Files[0].Path != "images/big.bin" || d.Files[0].Size != 700<<10 {
		t.Fatalf("files under images: %+v", d.Files)
	}
}

func TestSnapshotRepairAfterASiteIsLostRestoresTheRedundancyShowReports(t *testing.T) {
	c := simulations.Start(t, simulations.Options{Sites: []string{"paris", "tokyo", "lima", "oslo"},
		Zones: map[string]string{"paris": "eu", "tokyo": "ap", "lima": "sa", "oslo": "eu2"}})
	if _, err := at(c, "paris", "dataset", "create", "web", "--primary", "paris", "--replicas", "tokyo", "--ec", "2+1"); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "big.bin")
	os.WriteFile(src, randomBytes(9<<20), 0o644) // a few packs, most with a shard on lima
	if _, err := at(c, "paris", "put", "web", "big.bin", src); err != nil {
		t.Fatal(err)
	}
	s := createSnapshot(t, c, "paris")
	c.Kill("lima")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.WaitStates(ctx, []string{"paris", "oslo"}, map[string]mesh.State{"lima": mesh.StateDead}); err != nil {
		t.Fatal(err)
	}
	out, err := at(c, "paris", "snapshot", "repair", "--dry-run", "--json")
	var dry api.RepairResult
	if err != nil || json.Unmarshal([]byte(out), &dry) != nil || dry.Shards == 0 || !dry.DryRun || strings.Join(dry.Lost, ",") != "lima" {
		t.Fatalf("repair --dry-run --json: %v\n%s", err, out)
	}
	out, err = at(c, "oslo", "snapshot", "repair")
	if err != nil || !strings.Contains(out, fmt.Sprintf("rebuilt %d shards", dry.Shards)) || !strings.Contains(out, "lima held") {
		t.Fatalf("repair: %v\n%s", err, out)
	}
	out, err = at(c, "paris", "snapshot", "show", s.ID, "--json")
	var shown struct {
		Health api.SnapshotHealth `json:"health"`
	}
	if err != nil || json.Unmarshal([]byte(out), &shown) != nil {
		t.Fatalf("snapshot show --json: %v\n%s", err, out)
	}
	if shown.Health.Survives != 1 || shown.Health.Degraded != 0 {
		t.Fatalf("health after repair: %+v, want survives 1 (2+1 on the 3 sites left), none degraded", shown.Health)
	}
}

func TestSnapshotScrubReportsARottenShardExitsNonZeroAndRepairsItWithRepair(t *testing.T) {
	c := startWithFiles(t)
	s := createSnapshot(t, c, "paris")
	waitCatalogAt(t, c, s.ID, "lima")
	out, err := at(c, "lima", "snapshot", "scrub")
	if err != nil || !strings.Contains(out, "0 bad") {
		t.Fatalf("scrub of a clean snapshot: %v\n%s", err, out)
	}
	shards, _ := filepath.Glob(filepath.Join(c.Node("tokyo").DataDir(), "shards", "*", "*.*"))
	if len(shards) == 0 {
		t.Fatal("tokyo holds no shard files")
	}
	if err := os.WriteFile(shards[0], []byte("rot"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = at(c, "lima", "snapshot", "scrub")
	if err == nil || !strings.Contains(err.Error(), "--repair") || !strings.Contains(out, "at tokyo") {
		t.Fatalf("scrub with a rotten shard at tokyo: %v\n%s; want it named and a non-zero exit that says --repair", err, out)
	}
	checkBadShards(t, c, "lima", s.ID, 1)
	out, err = at(c, "paris", "snapshot", "scrub", "--repair", "--json")
	var res api.ScrubResult
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Repaired != 1 || len(res.Bad) != 1 || res.Bad[0].Site != "tokyo" || !res.Bad[0].Repaired {
		t.Fatalf("scrub --repair --json: %v\n%s", err, out)
	}
	checkBadShards(t, c, "paris", s.ID, 0)
	waitMetric(t, c, "lima", "meshvault_scrub_last_bad_shards 1", "meshvault_scrub_last_unrepaired_shards 0")
	if out, err := at(c, "lima", "snapshot", "scrub"); err != nil || !strings.Contains(out, "0 bad") {
		t.Fatalf("scrub after the repair: %v\n%s", err, out)
	}
	waitMetric(t, c, "paris", "meshvault_scrub_last_bad_shards 0", "meshvault_scrub_last_unrepaired_shards 0")
}

// checkBadShards checks that snapshot show at site counts bad shards
// that the last scrub left, each costing one site loss of redundancy.
func checkBadShards(t *testing.T, c *simulations.Cluster, site, id string, bad int) {
	t.Helper()
	out, err := at(c, site, "snapshot", "show", id, "--json")
	var d struct {
		Health api.SnapshotHealth `json:"health"`
	}
	if err != nil || json.Unmarshal([]byte(out), &d) != nil {
		t.Fatalf("snapshot show --json at %s: %v\n%s", site, err, out)
	}
	if h := d.Health; h.BadShards != bad || h.Survives != h.Designed-bad {
		t.Fatalf("health at %s: %+v; want %d bad shards and survives %d less than as placed", site, h, bad, bad)
	}
	if human, _ := at(c, site, "snapshot", "show", id); (bad > 0) != strings.Contains(human, "bad shard") {
		t.Fatalf("snapshot show at %s with %d bad shards:\n%s", site, bad, human)
	}
}

// waitMetric waits until site's /metrics holds every one of lines (the
// scrub's record reaches each site by gossip).
func waitMetric(t *testing.T, c *simulations.Cluster, site string, lines ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := simulations.WaitFor(ctx, site+"'s metrics", func() (bool, string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+c.Node(site).APIAddr()+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+c.Node(site).Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		for _, l := range lines {
			if !strings.Contains(string(body), "\n"+l+"\n") {
				return false, "no " + l
			}
		}
		return true, ""
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitCatalogAt waits until site lists snapshot id with its placements.
func waitCatalogAt(t *testing.T, c *simulations.Cluster, id, site string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := simulations.WaitFor(ctx, site+" lists "+id, func() (bool, string) {
		_, err := at(c, site, "snapshot", "show", id)
		return err == nil, fmt.Sprint(err)
	})
	if err != nil {
		t.Fatal(err)
	}
}
