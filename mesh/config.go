package mesh

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	ma "github.com/multiformats/go-multiaddr"
)

// Config is everything a Mesh needs. node/ fills it from flags; tests and
// the simulation harness fill it directly.
type Config struct {
	Identity Identity
	Zone     string
	// MeshKey encrypts and authenticates all gossip (AES-256-GCM). Sites
	// with another key cannot read or join the mesh.
	MeshKey []byte
	// GossipAddr is memberlist's bind address, TCP and UDP ("host:port";
	// port 0 picks a free one).
	GossipAddr string
	// GossipAdvertise is the address other sites reach this one at, when
	// it differs from the bind address (NAT, 0.0.0.0). Optional.
	GossipAdvertise string
	// P2PAddrs are libp2p listen multiaddrs.
	P2PAddrs []string
	// Join lists the gossip addresses of existing sites to join through.
	Join    []string
	Profile Profile
	Version string
	// APIAddr is announced to other sites so they can forward requests.
	APIAddr string
	// FreeBytes reports free space in the data dir; announced in meta.
	FreeBytes func() uint64
	// KV persists the cluster-wide state; nil keeps it in memory only.
	KV     KV
	Faults Faults
	Logger *slog.Logger
	Now    func() time.Time
}

// Validate reports the first problem in c, naming the flag that fixes it.
func (c Config) Validate() error {
	if c.Identity.Key == nil || c.Identity.Site == "" {
		return errors.New("mesh: no identity: load one with LoadIdentity")
	}
	if len(c.MeshKey) != KeySize {
		return fmt.Errorf("mesh key is %d bytes, want %d (--mesh-key-file)", len(c.MeshKey), KeySize)
	}
	if _, _, err := splitHostPort(c.GossipAddr); err != nil {
		return fmt.Errorf("--gossip %q: %w", c.GossipAddr, err)
	}
	for _, a := range c.P2PAddrs {
		if _, err := ma.NewMultiaddr(a); err != nil {
			return fmt.Errorf("--p2p %q is not a multiaddr (%v): use e.g. /ip4/0.0.0.0/tcp/7947", a, err)
		}
	}
	for _, j := range c.Join {
		if _, _, err := net.SplitHostPort(j); err != nil {
			return fmt.Errorf("--join %q: %v: use HOST:PORT of another site's --gossip", j, err)
		}
	}
	if c.Profile.ProbeInterval <= 0 {
		return errors.New("mesh: no profile: use LookupProfile (--profile lan|wan|fast)")
	}
	return nil
}

// splitHostPort parses "host:port" with a numeric port.
func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%v: use HOST:PORT, e.g. 0.0.0.0:7946", err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("port %q is not a number from 0 to 65535", p)
	}
	if host != "" && net.ParseIP(host) == nil {
		return "", 0, fmt.Errorf("host %q is not an IP address", host)
	}
	return host, port, nil
}
