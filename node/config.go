package node

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/meshvault/meshvault/mesh"
)

// Config holds everything meshnode run takes from flags, environment and
// config file. The yaml names are the flag names.
type Config struct {
	DataDir         string   `yaml:"data"`
	Site            string   `yaml:"site"`
	Zone            string   `yaml:"zone"`
	MeshKeyFile     string   `yaml:"mesh-key-file"`
	Join            []string `yaml:"join"`
	Gossip          string   `yaml:"gossip"`
	GossipAdvertise string   `yaml:"gossip-advertise"`
	P2P             []string `yaml:"p2p"`
	API             string   `yaml:"api"`
	Profile         string   `yaml:"profile"`
	LogFormat       string   `yaml:"log-format"`
	LogLevel        string   `yaml:"log-level"`
	// RepairAfter is how long a site must be down before the shards it
	// held are rebuilt on the others (0: only 'meshctl snapshot repair').
	RepairAfter time.Duration `yaml:"repair-after"`
	// SweepChunksEvery is how often the site frees the chunks its hot
	// datasets no longer reference (0: never on its own, only by
	// 'meshctl chunks sweep' and when a dataset is dropped).
	SweepChunksEvery time.Duration `yaml:"sweep-chunks-every"`
	// ScrubEvery is how long after the mesh's last scrub the site that
	// leads repairs scrubs again, repairing what it finds (0: only by
	// 'meshctl snapshot scrub').
	ScrubEvery time.Duration `yaml:"scrub-every"`

	// Logger replaces the logger built from LogFormat (tests, the harness).
	Logger *slog.Logger `yaml:"-"`
	// Faults injects link faults (the simulation harness only).
	Faults mesh.Faults `yaml:"-"`
	// HotLogRetain overrides how many ops of each hot dataset's log a
	// site keeps (tests that exercise state transfer).
	HotLogRetain uint64 `yaml:"-"`
	// SnapshotPackSize overrides the size snapshots cut packs at (tests:
	// small packs make a small dataset span many, as a large one does).
	SnapshotPackSize int `yaml:"-"`
}

// DefaultConfig is what a site runs with when nothing is set:
//   - gossip on 0.0.0.0:7946, memberlist's customary port, TCP and UDP;
//   - libp2p on 7947, QUIC (UDP) and TCP, all interfaces;
//   - the API on 127.0.0.1:7480 only: it is an operator's interface, and
//     a bearer token guards it anyway;
//   - the lan profile: memberlist's LAN timings, a dead site declared in
//     about 5 s on a quiet network without false alarms;
//   - shards of a site down for 30 minutes rebuilt on the others: longer
//     than a reboot or a short maintenance, so a site that comes back
//     costs no rebuilding, and short enough that snapshots are not left
//     one loss from unrecoverable for hours.
func DefaultConfig() Config {
	return Config{
		DataDir:     DefaultDataDir(),
		Gossip:      "0.0.0.0:7946",
		P2P:         []string{"/ip4/0.0.0.0/udp/7947/quic-v1", "/ip4/0.0.0.0/tcp/7947"},
		API:         "127.0.0.1:7480",
		Profile:     "lan",
		LogFormat:   "text",
		LogLevel:    "info",
		RepairAfter: 30 * time.Minute,
		// Every 10 minutes: a sweep reads every file entry of every
		// dataset here, so more often would cost a large site CPU for
		// space that is seldom urgent (a dropped dataset is swept at once).
		SweepChunksEvery: 10 * time.Minute,
		// Weekly, as Ceph deep-scrubs: it reads every shard once, which
		// costs each site a pass over its shard files, and rot is slow.
		ScrubEvery: 7 * 24 * time.Hour,
	}
}

// DefaultDataDir is /var/lib/meshvault for root, otherwise
// $XDG_DATA_HOME/meshvault (~/.local/share/meshvault).
func DefaultDataDir() string {
	if os.Geteuid() == 0 {
		return "/var/lib/meshvault"
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "meshvault")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "meshvault-data"
	}
	return filepath.Join(home, ".local", "share", "meshvault")
}

// Validate reports the first problem in c, naming the flag that fixes it.
func (c Config) Validate() error {
	if c.DataDir == "" {
		return errors.New("--data is empty: give the directory where this site keeps its state")
	}
	if c.MeshKeyFile == "" {
		return errors.New("--mesh-key-file is required: create a key with 'meshctl mesh init --key-file FILE' and copy it to every site")
	}
	if c.Site != "" {
		if err := mesh.ValidSiteName(c.Site); err != nil {
			return fmt.Errorf("--site: %w", err)
		}
	}
	if _, err := mesh.LookupProfile(c.Profile); err != nil {
		return fmt.Errorf("--profile: %w", err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format %q: use text or json", c.LogFormat)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.SweepChunksEvery < 0 {
		return fmt.Errorf("--sweep-chunks-every %v is negative: give a duration such as 10m, or 0 to sweep only when asked", c.SweepChunksEvery)
	}
	if c.ScrubEvery < 0 {
		return fmt.Errorf("--scrub-every %v is negative: give a duration such as 168h, or 0 to scrub only by 'meshctl snapshot scrub'", c.ScrubEvery)
	}
	if c.RepairAfter < 0 {
		return fmt.Errorf("--repair-after %v is negative: give a duration such as 30m, or 0 to repair only by 'meshctl snapshot repair'", c.RepairAfter)
	}
	if _, _, err := net.SplitHostPort(c.API); err != nil {
		return fmt.Errorf("--api %q: %v: use HOST:PORT, e.g. 127.0.0.1:7480", c.API, err)
	}
	return nil
}
