package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/snapshot"
	"github.com/meshvault/meshvault/store"
)

// Node is one site's daemon.
type Node struct {
	cfg     Config
	log     *slog.Logger
	key     []byte
	profile mesh.Profile

	mu       sync.Mutex
	id       mesh.Identity
	db       *store.DB
	mesh     *mesh.Mesh
	token    string
	apiLn    net.Listener
	apiSrv   *http.Server
	peerSrv  *http.Server
	peerHTTP *http.Transport
	hot      *hot.Engine
	snaps    *snapshot.Engine
	registry *prometheus.Registry
	started  time.Time
	dirs     dirRuns // sources and mirrors of datasets in local directories
}

// New checks cfg and reads the mesh key. It opens no socket and starts
// no goroutine.
func New(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	key, err := mesh.ReadKeyFile(cfg.MeshKeyFile)
	if err != nil {
		return nil, err
	}
	profile, _ := mesh.LookupProfile(cfg.Profile)
	log := cfg.Logger
	if log == nil {
		if log, err = NewLogger(os.Stderr, cfg.LogFormat, cfg.LogLevel); err != nil {
			return nil, err
		}
	}
	return &Node{cfg: cfg, log: log, key: key, profile: profile}, nil
}

// Start opens the data dir, joins the mesh and serves the API. It writes
// DIR/api.addr and DIR/api.token once the API serves.
func (n *Node) Start(ctx context.Context) (err error) {
	if err := os.MkdirAll(n.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("--data %s: %w", n.cfg.DataDir, err)
	}
	defer func() {
		if err != nil {
			n.Shutdown(context.Background())
		}
	}()
	if err := n.openLocal(); err != nil {
		return err
	}
	if n.apiLn, err = net.Listen("tcp", n.cfg.API); err != nil {
		return fmt.Errorf("--api %s: %w", n.cfg.API, err)
	}
	if err := n.startMesh(ctx); err != nil {
		return err
	}
	if err := n.startHot(ctx); err != nil {
		return err
	}
	n.serveAPI()
	addr := n.apiLn.Addr().String()
	n.mesh.SetAPIAddr(addr)
	if err := store.WriteFileAtomic(filepath.Join(n.cfg.DataDir, APIAddrFile), []byte(addr+"\n"), 0o644); err != nil {
		return err
	}
	n.log.Info("site started", "site", n.id.Site, "peer_id", n.id.PeerID, "api", addr, "gossip", n.mesh.GossipAddr(), "profile", n.profile.Name)
	return nil
}

func (n *Node) openLocal() error {
	id, err := mesh.LoadIdentity(n.cfg.DataDir, n.cfg.Site)
	if err != nil {
		return err
	}
	token, err := loadOrCreateToken(n.cfg.DataDir)
	if err != nil {
		return fmt.Errorf("api token: %w", err)
	}
	db, err := store.Open(store.Options{Dir: filepath.Join(n.cfg.DataDir, "db"), ChunkDir: filepath.Join(n.cfg.DataDir, "chunks"), Logger: n.log})
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.id, n.token, n.db = id, token, db
	n.mu.Unlock()
	return nil
}

func (n *Node) startMesh(ctx context.Context) error {
	m, err := mesh.New(mesh.Config{
		Identity: n.id, Zone: n.cfg.Zone, MeshKey: n.key,
		GossipAddr: n.cfg.Gossip, GossipAdvertise: n.cfg.GossipAdvertise,
		P2PAddrs: n.cfg.P2P, Join: n.cfg.Join, Profile: n.profile,
		Version: api.Version, KV: n.db, Faults: n.cfg.Faults, Logger: n.log,
		FreeBytes: func() uint64 { return freeBytes(n.cfg.DataDir) },
	})
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.mesh, n.started = m, time.Now()
	n.mu.Unlock()
	return m.Start(ctx)
}

func (n *Node) startHot(ctx context.Context) error {
	engine, err := hot.New(hot.Config{DB: n.db, Mesh: n.mesh, Logger: n.log, LogRetain: n.cfg.HotLogRetain, SweepEvery: sweepEvery(n.cfg.SweepChunksEvery)})
	if err != nil {
		return err
	}
	if err := engine.Start(ctx); err != nil {
		return err
	}
	snaps, err := snapshot.New(snapshot.Config{DB: n.db, Mesh: n.mesh, Hot: engine, MeshKey: n.key, Logger: n.log,
		ShardDir: filepath.Join(n.cfg.DataDir, "shards"), RepairAfter: n.cfg.RepairAfter, ScrubEvery: n.cfg.ScrubEvery, PackSize: n.cfg.SnapshotPackSize})
	if err != nil {
		return err
	}
	if err := snaps.Start(ctx); err != nil {
		return err
	}
	n.mu.Lock()
	n.hot, n.snaps, n.peerHTTP = engine, snaps, peerTransport(n.mesh)
	n.mu.Unlock()
	peer := http.NewServeMux()
	n.datasetRoutes(peer)
	return n.servePeerAPI(peer)
}

// Leave tells the mesh this site is leaving on purpose (state "left").
func (n *Node) Leave(ctx context.Context) error {
	if m := n.Mesh(); m != nil {
		return m.Leave(ctx)
	}
	return nil
}

// Shutdown stops the API, the mesh and the store. Without Leave first,
// the mesh sees this site die.
func (n *Node) Shutdown(ctx context.Context) error {
	n.mu.Lock()
	srv, ln, m, db, peer, engine := n.apiSrv, n.apiLn, n.mesh, n.db, n.peerSrv, n.hot
	n.apiSrv, n.apiLn, n.mesh, n.db, n.peerSrv = nil, nil, nil, nil, nil
	n.mu.Unlock()
	var errs []error
	if srv != nil {
		errs = append(errs, srv.Shutdown(ctx))
	} else if ln != nil {
		errs = append(errs, ln.Close())
	}
	if peer != nil {
		errs = append(errs, peer.Close())
	}
	n.dirs.stopAll()
	if engine != nil {
		engine.Stop()
	}
	if snaps := n.Snapshots(); snaps != nil {
		snaps.Stop()
	}
	if m != nil {
		errs = append(errs, m.Shutdown())
	}
	if db != nil {
		errs = append(errs, db.Close())
	}
	return errors.Join(errs...)
}

// Mesh is the site's mesh, nil before Start.
func (n *Node) Mesh() *mesh.Mesh {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.mesh
}

// Identity is the site's identity, loaded by Start.
func (n *Node) Identity() mesh.Identity { return n.id }

// APIAddr is where the API listens, once started.
func (n *Node) APIAddr() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.apiLn == nil {
		return ""
	}
	return n.apiLn.Addr().String()
}

// Token is the API bearer token.
func (n *Node) Token() string { return n.token }

// Hot is the site's hot-dataset engine, nil before Start.
func (n *Node) Hot() *hot.Engine {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.hot
}

// Snapshots is the site's snapshot engine, nil before Start.
func (n *Node) Snapshots() *snapshot.Engine {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.snaps
}

// DataDir is the site's data directory.
func (n *Node) DataDir() string { return n.cfg.DataDir }

// sweepEvery maps the config's 0 (off) to the engine's negative (off).
func sweepEvery(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}
