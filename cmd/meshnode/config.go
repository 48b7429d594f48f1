package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/meshvault/meshvault/node"
)

// envPrefix is the prefix of environment variables that set flags:
// --mesh-key-file is MESHVAULT_MESH_KEY_FILE.
const envPrefix = "MESHVAULT_"

// configFlags are the flags that may also come from the environment and
// from the --config file. Flags win over environment, environment over
// file, file over defaults.
var configFlags = []string{"data", "site", "zone", "mesh-key-file", "join", "gossip", "gossip-advertise", "p2p", "api", "profile", "log-format", "log-level", "repair-after", "sweep-chunks-every", "scrub-every"}

func bindConfigFlags(fs *pflag.FlagSet, c *node.Config) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "directory for this site's state (identity, database, api.addr, api.token)")
	fs.StringVar(&c.Site, "site", c.Site, "this site's name, unique in the mesh (kept in DATA after the first start)")
	fs.StringVar(&c.Zone, "zone", c.Zone, "failure zone (region, building) that placement spreads across")
	fs.StringVar(&c.MeshKeyFile, "mesh-key-file", c.MeshKeyFile, "file holding the 32-byte mesh key (meshctl mesh init)")
	fs.StringSliceVar(&c.Join, "join", c.Join, "HOST:PORT of existing sites' gossip to join through (comma-separated)")
	fs.StringVar(&c.Gossip, "gossip", c.Gossip, "memberlist bind address, TCP and UDP (port 0 picks a free port)")
	fs.StringVar(&c.GossipAdvertise, "gossip-advertise", c.GossipAdvertise, "address other sites reach this one's gossip at, if not the bind address")
	fs.StringArrayVar(&c.P2P, "p2p", c.P2P, "libp2p listen multiaddr (repeatable)")
	fs.StringVar(&c.API, "api", c.API, "HTTP API listen address")
	fs.StringVar(&c.Profile, "profile", c.Profile, "memberlist timings: lan, wan or fast")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error")
	fs.DurationVar(&c.SweepChunksEvery, "sweep-chunks-every", c.SweepChunksEvery, "free the chunks no file of a hot dataset here references any more this often (0: only by 'meshctl chunks sweep' and when a dataset is dropped)")
	fs.DurationVar(&c.ScrubEvery, "scrub-every", c.ScrubEvery, "read and check every snapshot shard at its site this long after the mesh's last scrub, rebuilding bad ones (0: only by 'meshctl snapshot scrub')")
	fs.DurationVar(&c.RepairAfter, "repair-after", c.RepairAfter, "rebuild on the other sites the snapshot shards of a site down this long (0: only by 'meshctl snapshot repair')")
}

// layerConfig sets every flag the command line left unset from the
// environment, then from the YAML file.
func layerConfig(cmd *cobra.Command, file string, getenv func(string) string) error {
	fromFile, err := readConfigFile(file)
	if err != nil {
		return err
	}
	for _, name := range configFlags {
		f := cmd.Flags().Lookup(name)
		if f == nil || f.Changed {
			continue
		}
		if v := getenv(envName(name)); v != "" {
			if err := setFlag(f, v); err != nil {
				return fmt.Errorf("%s=%q: %w", envName(name), v, err)
			}
			continue
		}
		if v, ok := fromFile[name]; ok {
			if err := setFlag(f, v); err != nil {
				return fmt.Errorf("config file %s, key %s: %w", file, name, err)
			}
		}
	}
	return nil
}

func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// setFlag replaces a flag's value (a list flag is replaced, not appended to).
func setFlag(f *pflag.Flag, v string) error {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		return sv.Replace(splitList(v))
	}
	return f.Value.Set(v)
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// readConfigFile reads a YAML file whose keys are flag names. Unknown keys
// are refused, so a typo is not silently ignored.
func readConfigFile(path string) (map[string]string, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	var raw map[string]any
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&raw); err != nil {
		return nil, fmt.Errorf("--config %s: not valid YAML: %w", path, err)
	}
	out := map[string]string{}
	for k, v := range raw {
		if !isConfigFlag(k) {
			return nil, fmt.Errorf("--config %s: unknown key %q; the keys are the flag names: %s", path, k, strings.Join(configFlags, ", "))
		}
		out[k] = yamlValue(v)
	}
	return out, nil
}

func isConfigFlag(k string) bool {
	for _, n := range configFlags {
		if n == k {
			return true
		}
	}
	return false
}

func yamlValue(v any) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, x := range list {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}
