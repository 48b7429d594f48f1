package snapshot_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func startCluster(t *testing.T, n int) *simulations.Cluster {
	t.Helper()
	return simulations.Start(t, simulations.Options{N: n})
}

// randomBytes is incompressible data from a seed, 8 bytes per draw.
func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n+8)
	for i := 0; i < n; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], rng.Uint64())
	}
	return b[:n]
}

type file struct {
	data   []byte
	mode   os.FileMode
	mtime  time.Time
	target string
}

// fixture is a dataset with empty files, a large file, a deep tree,
// non-ASCII names, a symlink, and directories with their own modes and
// mtimes, one of them empty.
func fixture(bigSize int) map[string]file {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)
	return map[string]file{
		"a":                            {nil, os.ModeDir | 0o750, t0.Add(2 * time.Hour), ""},
		"empty-dir":                    {nil, os.ModeDir | 0o700, t0.Add(3 * time.Hour), ""},
		"unicode/café ☕":               {nil, os.ModeDir | os.ModeSetgid | 0o775, t0.Add(4 * time.Hour), ""},
		"empty":                        {nil, 0o600, t0, ""},
		"big/blob.bin":                 {randomBytes(1, bigSize), 0o644, t0.Add(time.Hour), ""},
		"a/b/c/d/e/f/g/deep.txt":       {[]byte("deep"), 0o640, t0, ""},
		"unicode/café ☕/naïve файл.md": {[]byte("ünïcødé"), 0o644, t0, ""},
		"compressible.log":             {bytes.Repeat([]byte("log line\n"), 100_000), 0o644, t0, ""},
		"link":                         {nil, 0o777, t0, "a/b/c/d/e/f/g/deep.txt"},
	}
}

func load(t *testing.T, c *simulations.Cluster, primary, name string, files map[string]file, replicas ...string) {
	t.Helper()
	e := c.Node(primary).Hot()
	if _, err := e.Create(context.Background(), api.CreateDataset{Name: name, Primary: primary, Replicas: replicas, Mode: hot.ModeSync}); err != nil {
		t.Fatal(err)
	}
	// As the API's create does, wait until the replicas know the
	// definition (gossip), or a snapshot taken there is refused.
	deadline := time.Now().Add(20 * time.Second)
	for _, r := range replicas {
		for !c.Node(r).Hot().HoldsCopy(name) {
			if time.Now().After(deadline) {
				t.Fatalf("%s did not learn dataset %s", r, name)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for p, f := range files {
		if _, err := e.Put(context.Background(), name, p, hot.File{Mode: f.mode, MTime: f.mtime, Target: f.target, Body: bytes.NewReader(f.data)}); err != nil {
			t.Fatal(err)
		}
	}
}

// loadCoded puts files into dataset docs (primary s1, sync replica s2),
// whose snapshots are coded ec.
func loadCoded(t *testing.T, c *simulations.Cluster, ec string, files map[string]file) {
	t.Helper()
	if _, err := c.Node("s1").Hot().Create(context.Background(), api.CreateDataset{Name: "docs", Primary: "s1", Replicas: []string{"s2"}, Mode: hot.ModeSync, EC: ec}); err != nil {
		t.Fatal(err)
	}
	for p, f := range files {
		if _, err := c.Node("s1").Hot().Put(context.Background(), "docs", p, hot.File{Mode: f.mode, MTime: f.mtime, Target: f.target, Body: bytes.NewReader(f.data)}); err != nil {
			t.Fatal(err)
		}
	}
}

// checkRestored compares a restored directory with the fixture, byte
// for byte, mode, mtime, a symlink's target and own mtime, and a
// directory's mode and mtime.
func checkRestored(t *testing.T, dir string, files map[string]file) {
	t.Helper()
	for p, want := range files {
		full := filepath.Join(dir, p)
		info, err := os.Lstat(full)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if want.target != "" {
			if got, _ := os.Readlink(full); got != want.target || !info.ModTime().Equal(want.mtime) {
				t.Errorf("%s: link to %q made at %v, want %q at %v", p, got, info.ModTime(), want.target, want.mtime)
			}
			continue
		}
		if want.mode.IsDir() {
			if got := info.Mode() & (os.ModeDir | os.ModePerm | os.ModeSetgid | os.ModeSticky); got != want.mode || !info.ModTime().Equal(want.mtime) {
				t.Errorf("%s: mode %v mtime %v; want directory %v mtime %v", p, got, info.ModTime(), want.mode, want.mtime)
			}
			continue
		}
		got, _ := os.ReadFile(full)
		if !bytes.Equal(got, want.data) || info.Mode().Perm() != want.mode || !info.ModTime().Equal(want.mtime) {
			t.Errorf("%s: %d bytes mode %v mtime %v; want %d bytes mode %v mtime %v", p, len(got), info.Mode().Perm(), info.ModTime(), len(want.data), want.mode, want.mtime)
		}
	}
}

func TestRestoreIsByteIdenticalWithMetadataSymlinksAndOddNames(t *testing.T) {
	c := startCluster(t, 5)
	files := fixture(200 << 20) // hundreds of MiB in one file
	load(t, c, "s1", "docs", files, "s2")
	s, err := c.Node("s2").Snapshots().Create(ctxFor(t, time.Minute), "docs", []string{"first"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Scheme != "3+2" || s.Files != len(files)-3 || s.Dirs != 3 {
		t.Fatalf("snapshot: %+v", s)
	}
	waitCatalog(t, c, "docs", "s4")
	dir := t.TempDir()
	if _, err := c.Node("s4").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Dataset: "docs", Dir: dir, Verify: true}); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, dir, files)
}

func TestRestoreSurvivesLosingMSitesIncludingPrimaryAndReplicaAndFailsBeyond(t *testing.T) {
	c := startCluster(t, 5)
	files := fixture(20 << 20)
	load(t, c, "s1", "docs", files, "s2")
	if _, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil); err != nil {
		t.Fatal(err)
	}
	waitCatalog(t, c, "docs", "s3", "s4", "s5")
	c.Kill("s1") // the primary
	c.Kill("s2") // and its only replica: m = 2 sites lost
	waitDead(t, c, "s5", "s1", "s2")
	dir := t.TempDir()
	if _, err := c.Node("s5").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Dataset: "docs", Dir: dir}); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, dir, files)

	c.Kill("s3") // m+1
	waitDead(t, c, "s5", "s3")
	empty := t.TempDir()
	_, err := c.Node("s5").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Dataset: "docs", Dir: empty})
	if err == nil || !strings.Contains(err.Error(), "cannot be rebuilt") {
		t.Fatalf("restore with m+1 sites lost: %v", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Fatalf("a failed restore left %d entries", len(entries))
	}
}

func TestSecondSnapshotOfUnchangedDataStoresAlmostNothing(t *testing.T) {
	c := startCluster(t, 3)
	files := fixture(20 << 20)
	load(t, c, "s1", "docs", files, "s2")
	first, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.NewBytes > 64<<10 || second.DedupBytes != first.Bytes {
		t.Fatalf("second snapshot stored %d new bytes, deduplicated %d of %d", second.NewBytes, second.DedupBytes, first.Bytes)
	}
}

func TestRestoreNeverOverwritesWithoutBeingTold(t *testing.T) {
	c := startCluster(t, 3)
	load(t, c, "s1", "docs", map[string]file{"a.txt": {[]byte("snapshot"), 0o644, time.Now(), ""}}, "s2")
	if _, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("precious"), 0o644)
	_, err := c.Node("s1").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Dataset: "docs", Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "--overwrite") {
		t.Fatalf("restore over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "precious" {
		t.Fatal("the existing file was overwritten")
	}
	if _, err := c.Node("s1").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Dataset: "docs", Dir: dir, Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "snapshot" {
		t.Fatal("--overwrite did not replace the file")
	}
}

// waitCatalog waits until each of sites lists a snapshot of dataset and
// the placement of every pack its snapshots need.
func waitCatalog(t *testing.T, c *simulations.Cluster, dataset string, sites ...string) {
	t.Helper()
	err := simulations.WaitFor(ctxFor(t, 20*time.Second), "catalog everywhere", func() (bool, string) {
		for _, s := range sites {
			cat := c.Node(s).Snapshots().Catalog()
			snaps := cat.Snapshots(dataset)
			if len(snaps) == 0 {
				return false, s + " has no snapshot"
			}
			for _, sn := range snaps { // placements travel apart from the snapshot entry
				if missing := cat.Missing(sn); len(missing) > 0 {
					return false, fmt.Sprintf("%s lacks the placement of %d packs", s, len(missing))
				}
			}
		}
		return true, ""
	})
	if err != nil {
		t.Fatal(err)
	}
}

func waitDead(t *testing.T, c *simulations.Cluster, observer string, sites ...string) {
	t.Helper()
	err := simulations.WaitFor(ctxFor(t, 20*time.Second), fmt.Sprint(sites, " dead"), func() (bool, string) {
		st := c.StatesSeenBy(observer)
		for _, s := range sites {
			if st[s] != "dead" {
				return false, s + " is " + string(st[s])
			}
		}
		return true, ""
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSnapshotAfterAFivePercentChangeStoresAboutTheChangedChunksOnly(t *testing.T) {
	c := startCluster(t, 3)
	files := map[string]file{}
	for i := range 8 {
		files[fmt.Sprintf("part-%d.bin", i)] = file{randomBytes(uint64(10+i), 5<<20), 0o644, time.Unix(1e9, 0), ""}
	}
	load(t, c, "s1", "docs", files, "s2")
	first, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Clone(files["part-3.bin"].data)
	copy(edited[2<<20:], randomBytes(99, 64<<10)) // an edit inside a large file
	putFile(t, c, "docs", "part-3.bin", edited)
	putFile(t, c, "docs", "new.bin", randomBytes(98, 1<<20)) // a new file
	second, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	changed := int64(1<<20 + 64<<10) // the new file and the edit
	if second.NewBytes < changed || second.NewBytes > changed+4*2<<20 {
		t.Fatalf("after changing %d of %d bytes the snapshot stored %d new bytes (first stored %d)", changed, first.Bytes, second.NewBytes, first.NewBytes)
	}
}
