package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
)

// at runs meshctl against one site of the cluster.
func at(c *simulations.Cluster, site string, args ...string) (string, error) {
	return run(nil, append([]string{"--data", c.Node(site).DataDir()}, args...)...)
}

func TestDatasetLifecycleThroughMeshctlAtAnySite(t *testing.T) {
	c := startCluster(t) // paris, tokyo, lima
	if _, err := at(c, "lima", "dataset", "create", "web", "--primary", "paris", "--replicas", "tokyo", "--mode", "sync"); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "index.html")
	os.WriteFile(src, []byte("<h1>hello</h1>"), 0o640)
	// lima holds no copy: its write is forwarded to the primary.
	if _, err := at(c, "lima", "put", "web", "site/index.html", src); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "got.html")
	if _, err := at(c, "tokyo", "get", "web", "site/index.html", "-o", out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "<h1>hello</h1>" {
		t.Fatalf("got %q from the replica", b)
	}
	ls, err := at(c, "lima", "ls", "web", "--json")
	var entries []api.FileEntry
	if err != nil || json.Unmarshal([]byte(ls), &entries) != nil || len(entries) != 1 || entries[0].Path != "site/index.html" {
		t.Fatalf("ls --json: %v %s", err, ls)
	}
	if _, err := at(c, "tokyo", "dataset", "rm", "web"); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("rm of a dataset holding files: %v", err)
	}
}

func TestDatasetStatusJSONHasPrimaryEpochAndReplicas(t *testing.T) {
	c := startCluster(t)
	if _, err := at(c, "paris", "dataset", "create", "db", "--primary", "paris", "--replicas", "tokyo,lima", "--mode", "async"); err != nil {
		t.Fatal(err)
	}
	out, err := at(c, "tokyo", "dataset", "status", "db", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st["primary"] != "paris" || st["epoch"] != float64(1) || len(st["replicas"].([]any)) != 2 {
		t.Fatalf("status --json: %s", out)
	}
}

func TestBadDatasetDefinitionsAreRefusedWithTheProblemNamed(t *testing.T) {
	c := startCluster(t)
	cases := map[string][]string{
		"is the primary and cannot also be a replica": {"--primary", "paris", "--replicas", "paris,tokyo"},
		"not a site of the mesh":                      {"--primary", "paris", "--replicas", "atlantis"},
	}
	for want, flags := range cases {
		_, err := at(c, "paris", append([]string{"dataset", "create", "x"}, flags...)...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: got %v, want %q", flags, err, want)
		}
	}
	if out, _ := at(c, "paris", "dataset", "ls", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("a refused definition was stored: %s", out)
	}
	if _, err := at(c, "paris", "get", "nope", "a"); err == nil || !strings.Contains(err.Error(), "no dataset") {
		t.Fatalf("unknown dataset: %v", err)
	}
}

func TestSwitchoverMovesThePrimaryWithEveryWrite(t *testing.T) {
	c := startCluster(t)
	at(c, "paris", "dataset", "create", "db", "--primary", "paris", "--replicas", "tokyo", "--mode", "async")
	var in bytes.Buffer
	for i := range 5 {
		in.Reset()
		in.WriteString(strings.Repeat("x", i*1000))
		cmd := newRootCmd(func(string) string { return "" })
		cmd.SetIn(&in)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetArgs([]string{"--data", c.Node("paris").DataDir(), "put", "db", "f" + string(rune('0'+i)), "-"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
	}
	out, err := at(c, "lima", "switchover", "db", "--to", "tokyo")
	if err != nil || !strings.Contains(out, "tokyo") {
		t.Fatalf("switchover: %v %s", err, out)
	}
	want, _, _ := c.Node("paris").Hot().Digest("db")
	if got, _, _ := c.Node("tokyo").Hot().Digest("db"); got != want {
		t.Fatal("the new primary does not hold every write of the old one")
	}
}
