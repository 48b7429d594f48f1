package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/meshvault/meshvault/mesh"
)

// Bounds on every wait, so that a broken build fails instead of hanging.
const (
	apiTimeout  = 30 * time.Second // process start to api.addr
	joinTimeout = 60 * time.Second // all sites seeing each other alive
	stopTimeout = 20 * time.Second // SIGTERM to exit (leave waits up to 10 s)
)

// cluster is one measurement's meshnode processes and their temp dir.
type cluster struct {
	bin, dir, profile, keyFile string
	nodes                      []*nodeProc
}

// startCluster makes a temp dir and mesh key, starts sites processes
// (s1 is the seed) and waits until they all see each other alive.
func startCluster(ctx context.Context, bin, profile string, sites int) (*cluster, error) {
	dir, err := os.MkdirTemp("", "meshvault-snap-"+profile+"-")
	if err != nil {
		return nil, fmt.Errorf("make temp dir: %w", err)
	}
	c := &cluster{bin: bin, dir: dir, profile: profile, keyFile: filepath.Join(dir, "mesh.key")}
	if err := mesh.NewKeyFile(c.keyFile); err != nil {
		return nil, c.close(fmt.Errorf("write mesh key: %w", err))
	}
	if err := c.start(ctx, sites); err != nil {
		return nil, c.close(err)
	}
	if err := c.waitAllAlive(ctx); err != nil {
		return nil, c.close(err)
	}
	return c, nil
}

// start starts the seed s1, reads its gossip address, then starts
// s2..sN joining it.
func (c *cluster) start(ctx context.Context, sites int) error {
	seed, err := c.launch("s1", "")
	if err != nil {
		return err
	}
	if err := seed.waitAPI(ctx); err != nil {
		return err
	}
	join, err := seed.gossipAddr(ctx)
	if err != nil {
		return err
	}
	for i := 2; i <= sites; i++ {
		if _, err := c.launch(fmt.Sprintf("s%d", i), join); err != nil {
			return err
		}
	}
	for _, n := range c.nodes {
		if err := n.waitAPI(ctx); err != nil {
			return err
		}
	}
	return nil
}

// waitAllAlive waits until every site's /v1/members shows every site
// alive.
func (c *cluster) waitAllAlive(ctx context.Context) error {
	what := fmt.Sprintf("all %d sites to see each other alive", len(c.nodes))
	return poll(ctx, what, joinTimeout, 50*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		var wrong []string
		for _, n := range c.nodes {
			if err := n.exitError(); err != nil {
				return false, "", err
			}
			wrong = append(wrong, n.notAlive(ctx, c.nodes)...)
		}
		return len(wrong) == 0, strings.Join(wrong, "; "), nil
	})
}

// site returns the process of the named site.
func (c *cluster) site(name string) *nodeProc {
	for _, n := range c.nodes {
		if n.site == name {
			return n
		}
	}
	panic("no site " + name)
}

// close stops every process. After a failure (not an interrupt) it
// keeps the temp dir for the node logs and says where it is; otherwise
// it removes it.
func (c *cluster) close(err error) error {
	c.stopAll()
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w (meshnode logs kept in %s)", err, c.dir)
	}
	if rmErr := os.RemoveAll(c.dir); rmErr != nil {
		return errors.Join(err, fmt.Errorf("remove %s: %w", c.dir, rmErr))
	}
	return err
}

// stopAll resumes any SIGSTOPped process, SIGTERMs every process (a
// graceful leave) and SIGKILLs any that outlive stopTimeout.
func (c *cluster) stopAll() {
	c.signalAll(syscall.SIGCONT)
	c.signalAll(syscall.SIGTERM)
	if c.waitExited(stopTimeout) {
		return
	}
	fmt.Fprintf(os.Stderr, "snap: meshnode still running %s after SIGTERM; killing it\n", stopTimeout)
	c.signalAll(syscall.SIGKILL)
	c.waitExited(stopTimeout)
}

func (c *cluster) signalAll(sig syscall.Signal) {
	for _, n := range c.nodes {
		if n.exitError() == nil {
			n.cmd.Process.Signal(sig)
		}
	}
}

// waitExited reports whether every process exited within timeout.
func (c *cluster) waitExited(timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for _, n := range c.nodes {
		select {
		case <-n.exited:
		case <-timer.C:
			return false
		}
	}
	return true
}
