package simulations

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node"
)

// Options describe a simulated mesh.
type Options struct {
	// Dir holds one sub-directory per site and the mesh key. Required.
	Dir string
	// Sites names the sites; if empty, N sites s1..sN.
	Sites []string
	N     int
	// Zones maps a site to its zone; unset sites get no zone.
	Zones map[string]string
	// Profile is the memberlist profile; "fast" if empty.
	Profile string
	// Seed drives every random fault; 0 picks one from the clock (see
	// Cluster.Seed to replay it).
	Seed int64
	// LogWriter receives every node's log; nil discards it unless
	// MESHVAULT_SIM_LOG is set, which sends it to stderr.
	LogWriter io.Writer
	// HotLogRetain, if set, is how many ops of each hot dataset's log a
	// site keeps (small values force state transfers).
	HotLogRetain uint64
	// RepairAfter, if set, is every site's --repair-after (0: off).
	RepairAfter time.Duration
	// ScrubEvery is every site's --scrub-every (0, the default here: off).
	ScrubEvery time.Duration
	// PackSize, if set, is the size every site's snapshots cut packs at.
	PackSize int
}

// Cluster is a mesh of real nodes in this process.
type Cluster struct {
	opts    Options
	keyFile string
	faults  *Faults
	log     *slog.Logger

	mu    sync.Mutex
	sites map[string]*Site
	order []string
}

// Site is one simulated site.
type Site struct {
	Name string
	Dir  string
	cfg  node.Config
	node *node.Node
}

// New prepares a cluster and its mesh key; it starts no node.
func New(opts Options) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("simulations: Options.Dir is required")
	}
	opts = withDefaults(opts)
	c := &Cluster{opts: opts, faults: newFaults(opts.Seed), sites: map[string]*Site{}, log: newSimLogger(opts.LogWriter)}
	c.keyFile = filepath.Join(opts.Dir, "mesh.key")
	if err := mesh.NewKeyFile(c.keyFile); err != nil {
		return nil, err
	}
	for _, name := range opts.Sites {
		c.addSite(name)
	}
	return c, nil
}

func withDefaults(o Options) Options {
	if len(o.Sites) == 0 {
		for i := 1; i <= max(o.N, 1); i++ {
			o.Sites = append(o.Sites, fmt.Sprintf("s%d", i))
		}
	}
	if o.Profile == "" {
		o.Profile = "fast"
	}
	if o.Seed == 0 {
		o.Seed = time.Now().UnixNano()
	}
	return o
}

func newSimLogger(w io.Writer) *slog.Logger {
	if w == nil && os.Getenv("MESHVAULT_SIM_LOG") != "" {
		w = os.Stderr
	}
	if w == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (c *Cluster) addSite(name string) *Site {
	s := &Site{Name: name, Dir: filepath.Join(c.opts.Dir, name)}
	s.cfg = node.Config{
		DataDir: s.Dir, Site: name, Zone: c.opts.Zones[name], MeshKeyFile: c.keyFile,
		Gossip: "127.0.0.1:0", P2P: []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"},
		API: "127.0.0.1:0", Profile: c.opts.Profile, LogFormat: "text", LogLevel: "info",
		Logger: c.log.With("site", name), Faults: c.faults, HotLogRetain: c.opts.HotLogRetain,
		RepairAfter: c.opts.RepairAfter, ScrubEvery: c.opts.ScrubEvery, SnapshotPackSize: c.opts.PackSize,
	}
	c.sites[name] = s
	c.order = append(c.order, name)
	return s
}

// Seed is the seed of this run: pass it as Options.Seed to replay.
func (c *Cluster) Seed() int64 { return c.opts.Seed }

// Names lists the sites in creation order.
func (c *Cluster) Names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.order...)
}

// KeyFile is the path of the cluster's mesh key.
func (c *Cluster) KeyFile() string { return c.keyFile }

// Faults is the cluster's link fault table.
func (c *Cluster) Faults() *Faults { return c.faults }
