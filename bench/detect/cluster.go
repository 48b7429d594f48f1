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

// cluster is one run's meshnode processes and their temp dir.
type cluster struct {
	bin, dir, profile, keyFile string
	nodes                      []*nodeProc
}

// newCluster makes the run's temp dir and mesh key; it starts nothing.
func newCluster(bin, profile string) (*cluster, error) {
	dir, err := os.MkdirTemp("", "meshvault-detect-"+profile+"-")
	if err != nil {
		return nil, fmt.Errorf("make temp dir: %w", err)
	}
	c := &cluster{bin: bin, dir: dir, profile: profile, keyFile: filepath.Join(dir, "mesh.key")}
	if err := mesh.NewKeyFile(c.keyFile); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("write mesh key: %w", err)
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
	return c.waitAPIs(ctx)
}

func (c *cluster) waitAPIs(ctx context.Context) error {
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
	return poll(ctx, what, joinTimeout, 50*time.Millisecond, c.allAlive)
}

func (c *cluster) allAlive(ctx context.Context) (bool, string, error) {
	var wrong []string
	for _, n := range c.nodes {
		if err := n.exitError(); err != nil {
			return false, "", err
		}
		wrong = append(wrong, n.notAlive(ctx, c.nodes)...)
	}
	return len(wrong) == 0, strings.Join(wrong, "; "), nil
}

// others lists every site but n.
func (c *cluster) others(n *nodeProc) []*nodeProc {
	var out []*nodeProc
	for _, o := range c.nodes {
		if o != n {
			out = append(out, o)
		}
	}
	return out
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

// stopAll SIGTERMs every process (a graceful leave) and SIGKILLs any
// that outlive stopTimeout.
func (c *cluster) stopAll() {
	c.signalAll(syscall.SIGTERM)
	if c.waitExited(stopTimeout) {
		return
	}
	fmt.Fprintf(os.Stderr, "detect: meshnode still running %s after SIGTERM; killing it\n", stopTimeout)
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
