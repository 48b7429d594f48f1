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

// run executes meshctl with args and env, returning stdout and the error.
func run(env map[string]string, args ...string) (string, error) {
	var out bytes.Buffer
	cmd := newRootCmd(func(k string) string { return env[k] })
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	return out.String(), err
}

func startCluster(t *testing.T) *simulations.Cluster {
	t.Helper()
	return simulations.Start(t, simulations.Options{Sites: []string{"paris", "tokyo", "lima"},
		Zones: map[string]string{"paris": "eu", "tokyo": "ap", "lima": "sa"}})
}

func TestMembersPrintsEverySiteWithItsStateAsTableAndJSON(t *testing.T) {
	c := startCluster(t)
	data := c.Node("paris").DataDir()
	out, err := run(nil, "--data", data, "members")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SITE", "paris", "tokyo", "lima", "alive", "eu", c.Node("lima").Identity().PeerID.String()} {
		if !strings.Contains(out, want) {
			t.Errorf("members output lacks %q:\n%s", want, out)
		}
	}
	out, err = run(nil, "--data", data, "members", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ms []api.Member
	if err := json.Unmarshal([]byte(out), &ms); err != nil {
		t.Fatalf("members --json is not a JSON array: %v\n%s", err, out)
	}
	if len(ms) != 3 || ms[0].Site == "" || ms[0].State != "alive" || ms[0].PeerID == "" || ms[0].Since.IsZero() {
		t.Fatalf("members --json: %+v", ms)
	}
}

func TestStatusDescribesTheNodeAndSumsUpTheMeshAsTextAndJSON(t *testing.T) {
	c := startCluster(t)
	n := c.Node("tokyo")
	env := map[string]string{"MESHCTL_API": n.APIAddr(), "MESHCTL_TOKEN": n.Token()}
	out, err := run(env, "status")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tokyo", n.Identity().PeerID.String(), "3 sites: 3 alive", "uptime"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	out, err = run(env, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st api.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Site != "tokyo" || st.Mesh.Alive != 3 || st.Version == "" || len(st.ListenAddrs) == 0 || st.DataDirBytes == 0 {
		t.Fatalf("status --json: %+v", st)
	}
}

func TestWrongOrMissingTokenFailsWithAClearMessage(t *testing.T) {
	c := startCluster(t)
	n := c.Node("lima")
	_, err := run(nil, "--api", n.APIAddr(), "--token", "wrong", "members")
	if err == nil || !strings.Contains(err.Error(), "refused the API token") {
		t.Fatalf("wrong token: %v", err)
	}
	_, err = run(nil, "--data", t.TempDir(), "members")
	if err == nil || !strings.Contains(err.Error(), "is meshnode running") {
		t.Fatalf("no token at all: %v", err)
	}
}

func TestPingReachesAnotherSiteOverLibp2p(t *testing.T) {
	c := startCluster(t)
	out, err := run(nil, "--data", c.Node("paris").DataDir(), "ping", "tokyo")
	if err != nil || !strings.Contains(out, "tokyo") || !strings.Contains(out, "ms") {
		t.Fatalf("ping: %v %s", err, out)
	}
}

func TestMeshInitWritesA32ByteKeyWithMode0600AndNeverOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mesh.key")
	if _, err := run(nil, "mesh", "init", "--key-file", path); err != nil {
		t.Fatal(err)
	}
	key, _ := os.ReadFile(path)
	info, _ := os.Stat(path)
	if len(key) != 32 || info.Mode().Perm() != 0o600 {
		t.Fatalf("key of %d bytes, mode %v; want 32 bytes, 0600", len(key), info.Mode().Perm())
	}
	_, err := run(nil, "mesh", "init", "--key-file", path)
	if err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Fatalf("second init: %v", err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, key) {
		t.Fatal("the key changed")
	}
}
