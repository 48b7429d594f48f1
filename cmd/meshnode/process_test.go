package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
)

// TestMain lets the tests run this test binary as meshnode itself, so
// that signals reach a real meshnode process without a separate build.
func TestMain(m *testing.M) {
	if os.Getenv("MESHNODE_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type proc struct {
	cmd    *exec.Cmd
	client *api.Client
	log    *strings.Builder
}

// startProc runs "meshnode run" for site in dir and waits until it serves.
func startProc(t *testing.T, dir, key, site string, join ...string) *proc {
	t.Helper()
	data := filepath.Join(dir, site)
	args := []string{"run", "--data", data, "--site", site, "--mesh-key-file", key, "--profile", "fast",
		"--gossip", "127.0.0.1:0", "--p2p", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0"}
	if len(join) > 0 {
		args = append(args, "--join", strings.Join(join, ","))
	}
	p := &proc{cmd: exec.Command(os.Args[0], args...), log: &strings.Builder{}}
	p.cmd.Env = append(os.Environ(), "MESHNODE_TEST_AS_MAIN=1")
	p.cmd.Stderr = p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	p.client = waitServing(t, data)
	return p
}

func waitServing(t *testing.T, data string) *api.Client {
	t.Helper()
	var addr, token []byte
	err := simulations.WaitFor(testCtx(t, 30*time.Second), "api.addr in "+data, func() (bool, string) {
		addr, _ = os.ReadFile(filepath.Join(data, "api.addr"))
		token, _ = os.ReadFile(filepath.Join(data, "api.token"))
		return len(addr) > 0 && len(token) > 0, "no api.addr yet"
	})
	if err != nil {
		t.Fatal(err)
	}
	return api.NewClient(strings.TrimSpace(string(addr)), strings.TrimSpace(string(token)))
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func statesSeen(c *api.Client) map[string]string {
	ms, err := c.Members(context.Background())
	out := map[string]string{}
	if err != nil {
		out["error"] = err.Error()
	}
	for _, m := range ms {
		out[m.Site] = m.State
	}
	return out
}

func waitState(t *testing.T, c *api.Client, site, state string) {
	t.Helper()
	err := simulations.WaitFor(testCtx(t, 30*time.Second), site+" "+state, func() (bool, string) {
		seen := statesSeen(c)
		return seen[site] == state, fmt.Sprint(seen)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSIGKILLedSiteIsSuspectThenDeadAndSIGTERMedSiteLeavesAndExitsZero(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "mesh.key")
	if err := mesh.NewKeyFile(key); err != nil {
		t.Fatal(err)
	}
	a := startProc(t, dir, key, "a")
	st, err := a.client.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := startProc(t, dir, key, "b", st.GossipAddr)
	c := startProc(t, dir, key, "c", st.GossipAddr)
	for _, s := range []string{"a", "b", "c"} {
		waitState(t, a.client, s, "alive")
		waitState(t, b.client, s, "alive")
	}

	c.cmd.Process.Signal(syscall.SIGKILL)
	seen := watchStates(t, []*api.Client{a.client, b.client}, "c", "dead")
	if !strings.Contains(seen, "suspect") {
		t.Errorf("no survivor saw c suspect before dead; states seen: %s", seen)
	}

	b.cmd.Process.Signal(syscall.SIGTERM)
	if err := b.cmd.Wait(); err != nil {
		t.Fatalf("meshnode exited with %v after SIGTERM; log:\n%s", err, b.log)
	}
	waitState(t, a.client, "b", "left")
}

// watchStates polls observers until all see site in state final, and
// returns the sequence of distinct states they saw on the way.
func watchStates(t *testing.T, observers []*api.Client, site, final string) string {
	t.Helper()
	var trail []string
	err := simulations.WaitFor(testCtx(t, 30*time.Second), site+" "+final+" everywhere", func() (bool, string) {
		done := true
		for _, o := range observers {
			s := statesSeen(o)[site]
			if len(trail) == 0 || trail[len(trail)-1] != s {
				trail = append(trail, s)
			}
			done = done && s == final
		}
		return done, strings.Join(trail, " → ")
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(trail, " → ")
}
