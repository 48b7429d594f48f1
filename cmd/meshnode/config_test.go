package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/meshvault/meshvault/node"
)

// layered runs "meshnode run ARGS" with env and returns the config it
// would start with.
func layered(t *testing.T, args []string, env map[string]string) (node.Config, error) {
	t.Helper()
	var got node.Config
	cmd := newRunCmd(func(c node.Config) error { got = c; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&strings.Builder{})
	cmd.SetErr(&strings.Builder{})
	for k, v := range env {
		t.Setenv(k, v)
	}
	err := cmd.Execute()
	return got, err
}

func writeYAML(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "meshnode.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFlagsWinOverEnvironmentAndEnvironmentOverConfigFile(t *testing.T) {
	file := writeYAML(t, "site: from-file\nzone: file-zone\nprofile: wan\njoin: [10.0.0.1:7946, 10.0.0.2:7946]\np2p:\n  - /ip4/0.0.0.0/tcp/9000\n")
	cfg, err := layered(t, []string{"--config", file, "--site", "from-flag"},
		map[string]string{"MESHVAULT_SITE": "from-env", "MESHVAULT_ZONE": "env-zone"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Site != "from-flag" || cfg.Zone != "env-zone" || cfg.Profile != "wan" {
		t.Fatalf("site %q zone %q profile %q; want from-flag, env-zone, wan", cfg.Site, cfg.Zone, cfg.Profile)
	}
	if !slices.Equal(cfg.Join, []string{"10.0.0.1:7946", "10.0.0.2:7946"}) || !slices.Equal(cfg.P2P, []string{"/ip4/0.0.0.0/tcp/9000"}) {
		t.Fatalf("join %v p2p %v from the file were not taken whole", cfg.Join, cfg.P2P)
	}
}

func TestUnsetFlagsKeepTheDefaults(t *testing.T) {
	cfg, err := layered(t, []string{"--site", "a"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	def := node.DefaultConfig()
	if cfg.Gossip != def.Gossip || cfg.API != def.API || !slices.Equal(cfg.P2P, def.P2P) || cfg.Profile != "lan" {
		t.Fatalf("defaults changed: %+v", cfg)
	}
}

func TestConfigFileWithAnUnknownKeyIsRefusedNamingTheKey(t *testing.T) {
	file := writeYAML(t, "site: a\nmesh_key_file: /tmp/k\n")
	_, err := layered(t, []string{"--config", file}, nil)
	if err == nil || !strings.Contains(err.Error(), `unknown key "mesh_key_file"`) {
		t.Fatalf("got %v, want the unknown key named", err)
	}
}
