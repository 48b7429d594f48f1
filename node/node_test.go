package node_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node"
	"github.com/meshvault/meshvault/simulations"
)

func startCluster(t *testing.T, n int) *simulations.Cluster {
	t.Helper()
	return simulations.Start(t, simulations.Options{N: n})
}

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestAPIRefusesRequestsWithoutTheRightToken(t *testing.T) {
	c := startCluster(t, 1)
	n := c.Node("s1")
	base := "http://" + n.APIAddr()
	for _, path := range []string{"/v1/members", "/v1/status", "/metrics"} {
		if code, body := get(t, base+path, ""); code != http.StatusUnauthorized || !strings.Contains(body, "missing bearer token") {
			t.Errorf("%s with no token: %d %s", path, code, body)
		}
		if code, body := get(t, base+path, "not-the-token"); code != http.StatusUnauthorized || !strings.Contains(body, "wrong bearer token") {
			t.Errorf("%s with a wrong token: %d %s", path, code, body)
		}
		if code, _ := get(t, base+path, n.Token()); code != http.StatusOK {
			t.Errorf("%s with the token: %d", path, code)
		}
	}
}

func TestNodeWritesAPIAddrAndTokenFilesForClients(t *testing.T) {
	c := startCluster(t, 1)
	n := c.Node("s1")
	addr, _ := os.ReadFile(filepath.Join(n.DataDir(), node.APIAddrFile))
	if strings.TrimSpace(string(addr)) != n.APIAddr() {
		t.Errorf("api.addr holds %q, want %q", addr, n.APIAddr())
	}
	info, err := os.Stat(filepath.Join(n.DataDir(), node.APITokenFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("api.token: %v, mode %v; want mode 0600", err, info.Mode().Perm())
	}
}

func TestMetricsCountMembersByState(t *testing.T) {
	c := startCluster(t, 2)
	n := c.Node("s1")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.WaitStates(ctx, []string{"s1"}, simulations.AllAlive(c.Names())); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, "http://"+n.APIAddr()+"/metrics", n.Token())
	for _, want := range []string{`meshvault_members{state="alive"} 2`, "meshvault_gossip_bytes_total", "meshvault_p2p_connections"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func validConfig(t *testing.T) node.Config {
	t.Helper()
	dir := t.TempDir()
	cfg := node.DefaultConfig()
	cfg.DataDir, cfg.Site, cfg.MeshKeyFile = filepath.Join(dir, "data"), "a", filepath.Join(dir, "mesh.key")
	cfg.Gossip, cfg.API, cfg.P2P = "127.0.0.1:0", "127.0.0.1:0", []string{"/ip4/127.0.0.1/tcp/0"}
	if err := mesh.NewKeyFile(cfg.MeshKeyFile); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestBadStartupInputFailsWithAMessageNamingTheFlagOrFile(t *testing.T) {
	cases := []struct {
		name   string
		change func(c *node.Config)
		want   string
	}{
		{"missing key file", func(c *node.Config) { c.MeshKeyFile += ".missing" }, "--mesh-key-file"},
		{"unreadable key file", func(c *node.Config) { c.MeshKeyFile = filepath.Dir(c.MeshKeyFile) }, "--mesh-key-file"},
		{"key file of the wrong size", func(c *node.Config) { os.WriteFile(c.MeshKeyFile, []byte("short"), 0o600) }, "meshctl mesh init"},
		{"unknown profile", func(c *node.Config) { c.Profile = "turbo" }, "--profile"},
		{"bad gossip address", func(c *node.Config) { c.Gossip = "localhost" }, "--gossip"},
		{"bad p2p multiaddr", func(c *node.Config) { c.P2P = []string{"tcp:7947"} }, "--p2p"},
		{"bad join address", func(c *node.Config) { c.Join = []string{"no-port"} }, "--join"},
		{"bad api address", func(c *node.Config) { c.API = "nowhere" }, "--api"},
		{"bad site name", func(c *node.Config) { c.Site = "Paris/1" }, "--site"},
		{"bad log format", func(c *node.Config) { c.LogFormat = "xml" }, "--log-format"},
		{"negative scrub interval", func(c *node.Config) { c.ScrubEvery = -time.Hour }, "--scrub-every"},
		{"negative repair wait", func(c *node.Config) { c.RepairAfter = -time.Minute }, "--repair-after"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validConfig(t)
			tc.change(&cfg)
			err := startAndStop(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error naming %s", err, tc.want)
			}
		})
	}
}

func startAndStop(cfg node.Config) error {
	n, err := node.New(cfg)
	if err != nil {
		return err
	}
	defer n.Shutdown(context.Background())
	return n.Start(context.Background())
}

func TestDataDirOfOneSiteRefusesAnotherSiteName(t *testing.T) {
	cfg := validConfig(t)
	if err := startAndStop(cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Site = "b"
	err := startAndStop(cfg)
	if err == nil || !strings.Contains(err.Error(), `belongs to site "a"`) {
		t.Fatalf("got %v, want a refusal naming the site the dir belongs to", err)
	}
}
