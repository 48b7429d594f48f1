package hot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/store"
)

// Protocols between sites.
const (
	ReplProtocol = "/meshvault/hot/2.0.0"
	VoteProtocol = "/meshvault/hot-vote/1.0.0"
)

// Config is what an Engine needs.
type Config struct {
	DB     *store.DB
	Mesh   *mesh.Mesh
	Logger *slog.Logger
	// LogRetain is how many ops of each dataset's log a site keeps; a
	// replica further behind than that catches up by state transfer.
	LogRetain uint64
	// SyncTimeout bounds how long a sync write waits for replicas.
	SyncTimeout time.Duration
	// Tick is how often the engine reconciles definitions, shippers and
	// failover with membership.
	Tick time.Duration
	// SweepEvery is how often the site's unreferenced chunks are freed
	// (SweepChunks); a dataset dropped here is swept at once. Negative
	// turns the periodic sweep off.
	SweepEvery time.Duration
}

// DefaultConfig fills what cfg leaves unset: 100,000 ops of log (hours
// of writes at typical rates, a few tens of MB), a 30 s sync timeout,
// a 100 ms reconcile tick (well under the fast profile's detection), and
// a chunk sweep every 10 minutes (a sweep reads every tree's entries, so
// once a minute would cost a large site a core's share; freed space is
// seldom urgent, and a dropped dataset is swept at once anyway).
func (c Config) withDefaults() Config {
	if c.LogRetain == 0 {
		c.LogRetain = 100_000
	}
	if c.SyncTimeout == 0 {
		c.SyncTimeout = 30 * time.Second
	}
	if c.Tick == 0 {
		c.Tick = 100 * time.Millisecond
	}
	if c.SweepEvery == 0 {
		c.SweepEvery = 10 * time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Engine runs this site's part of every hot dataset.
type Engine struct {
	cfg  Config
	log  *slog.Logger
	site string

	mu       sync.Mutex
	datasets map[string]*dataset
	watchers map[string][]func(Op)
	kick     chan struct{}
	stop     chan struct{}
	stopped  bool
	ctx      context.Context // cancelled by Stop; every goroutine derives from it
	cancel   context.CancelFunc
	wg       sync.WaitGroup // every goroutine and stream handler of the engine
	bufs     store.Buffers  // chunks sent or received, one at a time per stream
	sweeps   sweeper
}

// New prepares an engine; Start runs it.
func New(cfg Config) (*Engine, error) {
	if cfg.DB == nil || cfg.Mesh == nil {
		return nil, errors.New("hot: Config needs DB and Mesh")
	}
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	return &Engine{
		cfg: cfg, log: cfg.Logger.With("component", "hot"), site: cfg.Mesh.Self().Site,
		datasets: map[string]*dataset{}, watchers: map[string][]func(Op){}, kick: make(chan struct{}, 1), stop: make(chan struct{}),
		ctx: ctx, cancel: cancel, sweeps: sweeper{now: make(chan struct{}, 1)},
	}, nil
}

// Start registers the protocols and starts the reconcile loop.
func (e *Engine) Start(ctx context.Context) error {
	h := e.cfg.Mesh.Host()
	h.SetStreamHandler(ReplProtocol, e.handleRepl)
	h.SetStreamHandler(VoteProtocol, e.handleVote)
	e.cfg.Mesh.Cluster().Watch(func(en mesh.Entry) {
		if en.Kind == defKind {
			e.poke()
		}
	})
	e.spawn(e.loop)
	e.spawn(e.sweepLoop)
	return nil
}

// Stop stops the loop, shippers, elections and stream handlers, and
// waits for them: after Stop the engine touches the database no more.
func (e *Engine) Stop() {
	e.mu.Lock()
	if e.stopped {
		e.mu.Unlock()
		return
	}
	e.stopped = true
	close(e.stop)
	e.cancel()
	e.mu.Unlock()
	h := e.cfg.Mesh.Host()
	h.RemoveStreamHandler(ReplProtocol)
	h.RemoveStreamHandler(VoteProtocol)
	e.wg.Wait()
}

// spawn runs fn as a tracked goroutine, unless the engine has stopped.
func (e *Engine) spawn(fn func()) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return false
	}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		fn()
	}()
	return true
}

// enter tracks a stream handler; it returns false once stopped.
func (e *Engine) enter() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return false
	}
	e.wg.Add(1)
	return true
}

func (e *Engine) poke() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

func (e *Engine) loop() {
	t := time.NewTicker(e.cfg.Tick)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
		case <-e.kick:
		}
		e.reconcile()
	}
}

// def returns the current definition of a dataset.
func (e *Engine) def(name string) (Def, bool) {
	en, ok := e.cfg.Mesh.Cluster().Get(defKind, name)
	if !ok {
		return Def{}, false
	}
	d, err := decodeDef(en)
	return d, err == nil
}

// dataset returns the runtime state of a dataset, creating it.
func (e *Engine) dataset(name string) (*dataset, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ds, ok := e.datasets[name]; ok {
		return ds, nil
	}
	ds, err := openDataset(e, name)
	if err != nil {
		return nil, fmt.Errorf("open dataset %s: %w", name, err)
	}
	e.datasets[name] = ds
	return ds, nil
}

func (e *Engine) memberState(site string) mesh.State {
	m, ok := e.cfg.Mesh.Member(site)
	if !ok {
		return mesh.StateDead
	}
	return m.State
}

func live(s mesh.State) bool { return s == mesh.StateAlive || s == mesh.StateSuspect }
