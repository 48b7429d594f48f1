package harness

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
	JoinTimeout = 60 * time.Second // all sites seeing each other alive
	stopTimeout = 20 * time.Second // SIGTERM to exit (leave waits up to 10 s)
)

// Config says which meshnode to run, with which profile, for which
// benchmark.
type Config struct {
	// Program names the benchmark: the temp dir is
	// meshvault-PROGRAM-PROFILE-*, and warnings start "PROGRAM: ".
	Program  string
	Meshnode string   // path to the meshnode binary
	Profile  string   // timing profile of every site
	Args     []string // more flags for every site's meshnode run
}

// Cluster is one measurement's meshnode processes and their temp dir.
type Cluster struct {
	Nodes []*Node // in start order: Nodes[0] is the seed s1

	cfg          Config
	dir, keyFile string
}

// Start makes a temp dir and mesh key, starts sites processes (s1 is
// the seed) and waits until they all see each other alive. On failure
// it stops what it started. Stop the cluster when done with it.
func Start(ctx context.Context, cfg Config, sites int) (*Cluster, error) {
	c, err := newCluster(cfg)
	if err != nil {
		return nil, err
	}
	if err := c.start(ctx, sites); err != nil {
		return nil, c.Stop(err)
	}
	if err := c.waitAllAlive(ctx); err != nil {
		return nil, c.Stop(err)
	}
	return c, nil
}

// newCluster makes the temp dir and mesh key; it starts nothing.
func newCluster(cfg Config) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "meshvault-"+cfg.Program+"-"+cfg.Profile+"-")
	if err != nil {
		return nil, fmt.Errorf("make temp dir: %w", err)
	}
	c := &Cluster{cfg: cfg, dir: dir, keyFile: filepath.Join(dir, "mesh.key")}
	if err := mesh.NewKeyFile(c.keyFile); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("write mesh key: %w", err)
	}
	return c, nil
}

// start starts the seed s1, reads its gossip address, then starts
// s2..sN joining it.
func (c *Cluster) start(ctx context.Context, sites int) error {
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
	for _, n := range c.Nodes {
		if err := n.waitAPI(ctx); err != nil {
			return err
		}
	}
	return nil
}

// waitAllAlive waits until every site's /v1/members shows every site
// alive.
func (c *Cluster) waitAllAlive(ctx context.Context) error {
	what := fmt.Sprintf("all %d sites to see each other alive", len(c.Nodes))
	return Poll(ctx, what, JoinTimeout, 50*time.Millisecond, c.allAlive)
}

func (c *Cluster) allAlive(ctx context.Context) (bool, string, error) {
	var wrong []string
	for _, n := range c.Nodes {
		if err := n.ExitError(); err != nil {
			return false, "", err
		}
		wrong = append(wrong, n.notAlive(ctx, c.Nodes)...)
	}
	return len(wrong) == 0, strings.Join(wrong, "; "), nil
}

// Profile is the timing profile every site runs with.
func (c *Cluster) Profile() string { return c.cfg.Profile }

// Site returns the process of the named site.
func (c *Cluster) Site(name string) *Node {
	for _, n := range c.Nodes {
		if n.Site == name {
			return n
		}
	}
	panic("no site " + name)
}

// Others lists every site but n.
func (c *Cluster) Others(n *Node) []*Node {
	var out []*Node
	for _, o := range c.Nodes {
		if o != n {
			out = append(out, o)
		}
	}
	return out
}

// Stop stops every process and returns err, the measurement's outcome.
// After a failure (not an interrupt) it keeps the temp dir for the node
// logs and adds where it is to err; otherwise it removes it.
func (c *Cluster) Stop(err error) error {
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
func (c *Cluster) stopAll() {
	c.signalAll(syscall.SIGCONT)
	c.signalAll(syscall.SIGTERM)
	if c.waitExited(stopTimeout) {
		return
	}
	fmt.Fprintf(os.Stderr, "%s: meshnode still running %s after SIGTERM; killing it\n", c.cfg.Program, stopTimeout)
	c.signalAll(syscall.SIGKILL)
	c.waitExited(stopTimeout)
}

func (c *Cluster) signalAll(sig syscall.Signal) {
	for _, n := range c.Nodes {
		if n.ExitError() == nil {
			n.Cmd.Process.Signal(sig)
		}
	}
}

// waitExited reports whether every process exited within timeout.
func (c *Cluster) waitExited(timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for _, n := range c.Nodes {
		select {
		case <-n.exited:
		case <-timer.C:
			return false
		}
	}
	return true
}
