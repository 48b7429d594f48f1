package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/meshvault/meshvault/node"
	"github.com/meshvault/meshvault/node/api"
)

// requestTimeout bounds one API request.
const requestTimeout = 2 * time.Second

// nodeProc is one meshnode process and a client for its API.
type nodeProc struct {
	site, dir, logPath string
	cmd                *exec.Cmd
	exited             chan struct{} // closed once the process is reaped
	exitErr            error
	api                *api.Client
}

// launch starts meshnode for site with port 0 everywhere, joining join
// unless it is empty. Its output goes to DIR/SITE.log.
func (c *cluster) launch(site, join string) (*nodeProc, error) {
	n := &nodeProc{site: site, dir: filepath.Join(c.dir, site), logPath: filepath.Join(c.dir, site+".log"), exited: make(chan struct{})}
	logf, err := os.Create(n.logPath)
	if err != nil {
		return nil, fmt.Errorf("create log for %s: %w", site, err)
	}
	n.cmd = exec.Command(c.bin, c.args(n, join)...)
	n.cmd.Stdout, n.cmd.Stderr = logf, logf
	n.cmd.Env, n.cmd.SysProcAttr = childEnv(), childProcAttr()
	if err := n.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start meshnode %s: %w", site, err)
	}
	c.nodes = append(c.nodes, n)
	go n.reap(logf)
	return n, nil
}

func (c *cluster) args(n *nodeProc, join string) []string {
	args := []string{"run", "--data", n.dir, "--site", n.site, "--mesh-key-file", c.keyFile,
		"--gossip", "127.0.0.1:0", "--p2p", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0",
		"--profile", c.profile}
	if join != "" {
		args = append(args, "--join", join)
	}
	return args
}

// childEnv is this environment without MESHVAULT_* variables, which
// meshnode would read as flags.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MESHVAULT_") {
			env = append(env, kv)
		}
	}
	return env
}

func (n *nodeProc) reap(logf *os.File) {
	n.exitErr = n.cmd.Wait()
	logf.Close()
	close(n.exited)
}

// exitError is nil while the process runs, and says how it ended after.
func (n *nodeProc) exitError() error {
	select {
	case <-n.exited:
		return fmt.Errorf("meshnode %s exited (%v): see %s", n.site, n.exitErr, n.logPath)
	default:
		return nil
	}
}

// waitAPI waits for DIR/api.addr and makes the API client.
func (n *nodeProc) waitAPI(ctx context.Context) error {
	what := fmt.Sprintf("meshnode %s to write %s", n.site, node.APIAddrFile)
	return poll(ctx, what, apiTimeout, 20*time.Millisecond, func(context.Context) (bool, string, error) {
		if err := n.exitError(); err != nil {
			return false, "", err
		}
		return n.connectAPI()
	})
}

func (n *nodeProc) connectAPI() (bool, string, error) {
	addr, err := os.ReadFile(filepath.Join(n.dir, node.APIAddrFile))
	if err != nil {
		return false, err.Error(), nil
	}
	token, err := os.ReadFile(filepath.Join(n.dir, node.APITokenFile))
	if err != nil {
		return false, err.Error(), nil
	}
	n.api = api.NewClient(strings.TrimSpace(string(addr)), strings.TrimSpace(string(token)))
	return true, "", nil
}

// gossipAddr asks the node's /v1/status for its gossip address.
func (n *nodeProc) gossipAddr(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	st, err := n.api.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("status of %s: %w", n.site, err)
	}
	return st.GossipAddr, nil
}

// states maps each site in the node's /v1/members to its state.
func (n *nodeProc) states(ctx context.Context) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	ms, err := n.api.Members(ctx)
	if err != nil {
		return nil, fmt.Errorf("members seen by %s: %w", n.site, err)
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.Site] = m.State
	}
	return out, nil
}

// notAlive describes each of sites that n does not see alive.
func (n *nodeProc) notAlive(ctx context.Context, sites []*nodeProc) []string {
	states, err := n.states(ctx)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, s := range sites {
		if st := states[s.site]; st != "alive" {
			out = append(out, fmt.Sprintf("%s sees %s %q", n.site, s.site, st))
		}
	}
	return out
}
