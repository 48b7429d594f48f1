package simulations

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/meshvault/meshvault/node"
)

// Start starts every site: the first one alone, then the others joining
// through its gossip address only.
func (c *Cluster) Start(ctx context.Context) error {
	names := c.Names()
	for i, name := range names {
		var join []string
		if i > 0 {
			join = []string{c.site(names[0]).cfg.Gossip}
		}
		if err := c.startSite(ctx, name, join); err != nil {
			return err
		}
	}
	return nil
}

// Add creates a new site (not started); StartSite starts it.
func (c *Cluster) Add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.addSite(name)
}

// StartSite starts a site that is not running, joining through every
// other site's gossip address.
func (c *Cluster) StartSite(ctx context.Context, name string) error {
	return c.startSite(ctx, name, c.otherGossipAddrs(name))
}

func (c *Cluster) startSite(ctx context.Context, name string, join []string) error {
	s := c.site(name)
	if s == nil {
		return fmt.Errorf("simulations: no site %q", name)
	}
	cfg := s.cfg
	cfg.Join = join
	n, err := node.New(cfg)
	if err != nil {
		return fmt.Errorf("site %s: %w", name, err)
	}
	if err := n.Start(ctx); err != nil {
		return fmt.Errorf("site %s: %w", name, err)
	}
	c.mu.Lock()
	s.node = n
	c.pinAddrs(s)
	c.mu.Unlock()
	return nil
}

// pinAddrs keeps the ports a site got, so that a restart reuses them as
// a real site's restart would.
func (c *Cluster) pinAddrs(s *Site) {
	m := s.node.Mesh()
	s.cfg.Gossip = m.GossipAddr()
	s.cfg.API = s.node.APIAddr()
	var p2p []string
	for _, a := range m.Host().Network().ListenAddresses() {
		p2p = append(p2p, a.String())
	}
	s.cfg.P2P = p2p
}

func (c *Cluster) otherGossipAddrs(name string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, other := range c.order {
		if s := c.sites[other]; other != name && !strings.HasSuffix(s.cfg.Gossip, ":0") {
			out = append(out, s.cfg.Gossip)
		}
	}
	return out
}

// Kill stops a site without leaving: the mesh sees it die, as after
// SIGKILL or a power cut.
func (c *Cluster) Kill(name string) error {
	n := c.takeNode(name)
	if n == nil {
		return fmt.Errorf("simulations: kill %s: not running", name)
	}
	return n.Shutdown(context.Background())
}

// Stop leaves the mesh gracefully, then shuts the site down.
func (c *Cluster) Stop(ctx context.Context, name string) error {
	n := c.takeNode(name)
	if n == nil {
		return fmt.Errorf("simulations: stop %s: not running", name)
	}
	return errors.Join(n.Leave(ctx), n.Shutdown(ctx))
}

// Restart starts a stopped or killed site again with the same data dir
// and the same addresses.
func (c *Cluster) Restart(ctx context.Context, name string) error {
	if c.Node(name) != nil {
		return fmt.Errorf("simulations: restart %s: still running (Kill or Stop it first)", name)
	}
	return c.StartSite(ctx, name)
}

// Close shuts every running site down without leaving.
func (c *Cluster) Close() error {
	var errs []error
	for _, name := range c.Names() {
		if n := c.takeNode(name); n != nil {
			errs = append(errs, n.Shutdown(context.Background()))
		}
	}
	return errors.Join(errs...)
}

// Node returns a running site's node, or nil.
func (c *Cluster) Node(name string) *node.Node {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.sites[name]; s != nil {
		return s.node
	}
	return nil
}

// Running lists the running sites.
func (c *Cluster) Running() []string {
	var out []string
	for _, name := range c.Names() {
		if c.Node(name) != nil {
			out = append(out, name)
		}
	}
	return out
}

func (c *Cluster) takeNode(name string) *node.Node {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sites[name]
	if s == nil {
		return nil
	}
	n := s.node
	s.node = nil
	return n
}

func (c *Cluster) site(name string) *Site {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sites[name]
}
