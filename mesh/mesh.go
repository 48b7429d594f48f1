package mesh

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
	"github.com/libp2p/go-libp2p/core/host"
)

// Mesh is this site's membership and transport. New starts nothing;
// Start binds sockets and launches goroutines; Leave tells the mesh this
// site is going away; Shutdown stops everything.
type Mesh struct {
	cfg     Config
	log     *slog.Logger
	members *members
	state   *ClusterState
	gossip  gossipStats

	mu        sync.Mutex
	ml        *memberlist.Memberlist
	host      host.Host
	transport *gossipTransport
	del       *delegate
	started   time.Time
	stop      chan struct{}
	wg        sync.WaitGroup
	apiAddr   string
	// gossipAddr is memberlist's advertised address, fixed at Start.
	gossipAddr string
}

// New checks cfg and prepares a Mesh. It opens no socket.
func New(cfg Config) (*Mesh, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Mesh{cfg: cfg, log: cfg.Logger.With("component", "mesh"), apiAddr: cfg.APIAddr}
	m.members = newMembers(cfg.Now, m.memberChanged)
	m.state = newClusterState(cfg.Identity.Site, cfg.KV)
	if err := m.state.load(); err != nil {
		return nil, err
	}
	return m, nil
}

// Start binds gossip and libp2p, joins the seeds, and starts the
// background loops. A site name held by another live identity fails
// Start; unreachable seeds do not (the site keeps trying).
func (m *Mesh) Start(ctx context.Context) error {
	h, err := m.newHost()
	if err != nil {
		return err
	}
	h.SetStreamHandler(PingProtocol, m.handlePing)
	m.mu.Lock()
	m.host, m.stop, m.started = h, make(chan struct{}), m.cfg.Now()
	m.mu.Unlock()
	if err := m.startMemberlist(); err != nil {
		h.Close()
		return err
	}
	if err := m.joinSeeds(); err != nil {
		m.Shutdown()
		return err
	}
	m.goLoop(m.refreshLoop)
	m.goLoop(m.reconnectLoop)
	return nil
}

func (m *Mesh) startMemberlist() error {
	conf, err := m.memberlistConfig()
	if err != nil {
		return err
	}
	ml, err := memberlist.Create(conf)
	if err != nil {
		m.transport.Shutdown()
		return fmt.Errorf("start gossip on %s (--gossip): %w", m.cfg.GossipAddr, err)
	}
	m.state.publish = m.del.publish
	m.state.spread = m.del.spread
	m.mu.Lock()
	m.ml, m.gossipAddr = ml, ml.LocalNode().Address()
	m.mu.Unlock()
	return nil
}

func (m *Mesh) memberlistConfig() (*memberlist.Config, error) {
	host, port, _ := splitHostPort(m.cfg.GossipAddr)
	if host == "" {
		host = "0.0.0.0"
	}
	logger := memberlistLogger(m.cfg.Logger)
	nt, err := bindRetrying(port, func() (*memberlist.NetTransport, error) {
		return memberlist.NewNetTransport(&memberlist.NetTransportConfig{BindAddrs: []string{host}, BindPort: port, Logger: logger})
	})
	if err != nil {
		return nil, fmt.Errorf("bind gossip %s (--gossip): %w", m.cfg.GossipAddr, err)
	}
	keyring, err := memberlist.NewKeyring(nil, m.cfg.MeshKey)
	if err != nil {
		nt.Shutdown()
		return nil, fmt.Errorf("mesh key: %w", err)
	}
	m.transport = newGossipTransport(m, nt)
	c := memberlist.DefaultLANConfig()
	m.cfg.Profile.apply(c)
	// The queue exists before memberlist does: a peer's ping can arrive,
	// and ask for broadcasts, before Create returns.
	m.del = &delegate{m: m, broadcasts: &memberlist.TransmitLimitedQueue{NumNodes: m.numMembers, RetransmitMult: c.RetransmitMult}}
	c.Name, c.Keyring, c.Logger, c.Transport = m.cfg.Identity.Site, keyring, logger, m.transport
	c.BindAddr, c.BindPort, c.AdvertisePort = host, nt.GetAutoBindPort(), 0
	c.Delegate, c.Events, c.Alive, c.Merge, c.Conflict = m.del, m.del, m.del, m.del, m.del
	if err := m.applyAdvertise(c); err != nil {
		nt.Shutdown()
		return nil, err
	}
	return c, nil
}

func (m *Mesh) applyAdvertise(c *memberlist.Config) error {
	if m.cfg.GossipAdvertise == "" {
		return nil
	}
	host, port, err := splitHostPort(m.cfg.GossipAdvertise)
	if err != nil {
		return fmt.Errorf("--gossip-advertise %q: %w", m.cfg.GossipAdvertise, err)
	}
	c.AdvertiseAddr, c.AdvertisePort = host, port
	return nil
}

// goLoop runs fn until Shutdown closes the stop channel it is given.
func (m *Mesh) goLoop(fn func(stop <-chan struct{})) {
	m.mu.Lock()
	stop := m.stop
	m.mu.Unlock()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		fn(stop)
	}()
}

// Leave tells the other sites that this one is leaving on purpose: they
// mark it left, not dead. It does not stop the mesh; Shutdown does.
func (m *Mesh) Leave(ctx context.Context) error {
	ml := m.memberlist()
	if ml == nil {
		return errors.New("leave: mesh not started")
	}
	timeout := 5 * time.Second
	if d, ok := ctx.Deadline(); ok {
		timeout = time.Until(d)
	}
	if err := ml.Leave(timeout); err != nil {
		return fmt.Errorf("leave mesh: %w", err)
	}
	return nil
}

// Shutdown stops gossip, closes libp2p and waits for the loops. Without
// Leave first, the other sites see this one die.
func (m *Mesh) Shutdown() error {
	m.mu.Lock()
	ml, h, stop := m.ml, m.host, m.stop
	m.ml, m.host, m.stop = nil, nil, nil
	m.mu.Unlock()
	if stop != nil {
		close(stop)
	}
	m.wg.Wait()
	var errs []error
	if ml != nil {
		errs = append(errs, ml.Shutdown())
	}
	if h != nil {
		errs = append(errs, h.Close())
	}
	m.state.close()
	return errors.Join(errs...)
}

// numMembers is the member count the broadcast queue scales its
// retransmissions by; 1 (this site) until memberlist exists.
func (m *Mesh) numMembers() int {
	if ml := m.memberlist(); ml != nil {
		return ml.NumMembers()
	}
	return 1
}

func (m *Mesh) memberlist() *memberlist.Memberlist {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ml
}
