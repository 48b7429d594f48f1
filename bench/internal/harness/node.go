package harness

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/meshvault/meshvault/node"
	"github.com/meshvault/meshvault/node/api"
)

// RequestTimeout bounds one API request.
const RequestTimeout = 2 * time.Second

// Node is one meshnode process and a client for its API.
type Node struct {
	Site string      // site name: s1, s2, ...
	Dir  string      // data dir
	Cmd  *exec.Cmd   // the running process
	API  *api.Client // set once the node has written its API address

	apiAddr, apiToken string

	logPath string
	exited  chan struct{} // closed once the process is reaped
	exitErr error
}

// launch starts meshnode for site with port 0 everywhere, joining join
// unless it is empty. Its output goes to DIR/SITE.log.
func (c *Cluster) launch(site, join string) (*Node, error) {
	n := &Node{Site: site, Dir: filepath.Join(c.dir, site), logPath: filepath.Join(c.dir, site+".log"), exited: make(chan struct{})}
	logf, err := os.Create(n.logPath)
	if err != nil {
		return nil, fmt.Errorf("create log for %s: %w", site, err)
	}
	n.Cmd = exec.Command(c.cfg.Meshnode, c.args(n, join)...)
	n.Cmd.Stdout, n.Cmd.Stderr = logf, logf
	n.Cmd.Env, n.Cmd.SysProcAttr = childEnv(), childProcAttr()
	if err := n.Cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start meshnode %s: %w", site, err)
	}
	c.Nodes = append(c.Nodes, n)
	go n.reap(logf)
	return n, nil
}

func (c *Cluster) args(n *Node, join string) []string {
	args := []string{"run", "--data", n.Dir, "--site", n.Site, "--mesh-key-file", c.keyFile,
		"--gossip", "127.0.0.1:0", "--p2p", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0",
		"--profile", c.cfg.Profile}
	if join != "" {
		args = append(args, "--join", join)
	}
	return append(args, c.cfg.Args...)
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

func (n *Node) reap(logf *os.File) {
	n.exitErr = n.Cmd.Wait()
	logf.Close()
	close(n.exited)
}

// Exited is closed once the process has exited and been reaped.
func (n *Node) Exited() <-chan struct{} { return n.exited }

// ExitError is nil while the process runs, and says how it ended after.
func (n *Node) ExitError() error {
	select {
	case <-n.exited:
		return fmt.Errorf("meshnode %s exited (%v): see %s", n.Site, n.exitErr, n.logPath)
	default:
		return nil
	}
}

// waitAPI waits for DIR/api.addr and makes the API client.
func (n *Node) waitAPI(ctx context.Context) error {
	what := fmt.Sprintf("meshnode %s to write %s", n.Site, node.APIAddrFile)
	return Poll(ctx, what, apiTimeout, 20*time.Millisecond, func(context.Context) (bool, string, error) {
		if err := n.ExitError(); err != nil {
			return false, "", err
		}
		return n.connectAPI()
	})
}

func (n *Node) connectAPI() (bool, string, error) {
	addr, err := os.ReadFile(filepath.Join(n.Dir, node.APIAddrFile))
	if err != nil {
		return false, err.Error(), nil
	}
	token, err := os.ReadFile(filepath.Join(n.Dir, node.APITokenFile))
	if err != nil {
		return false, err.Error(), nil
	}
	n.apiAddr, n.apiToken = strings.TrimSpace(string(addr)), strings.TrimSpace(string(token))
	n.API = api.NewClient(n.apiAddr, n.apiToken)
	return true, "", nil
}

// Do sends a request to path on n's API with its token, outside the
// API client (whose timeout a long request may outlast), and fails
// unless the answer is 200 OK. The caller closes the body.
func (n *Node) Do(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+n.apiAddr+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+n.apiToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s at %s: %s", method, path, n.Site, resp.Status)
	}
	return resp, nil
}

// gossipAddr asks the node's /v1/status for its gossip address.
func (n *Node) gossipAddr(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	st, err := n.API.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("status of %s: %w", n.Site, err)
	}
	return st.GossipAddr, nil
}

// States maps each site in the node's /v1/members to its state.
func (n *Node) States(ctx context.Context) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	ms, err := n.API.Members(ctx)
	if err != nil {
		return nil, fmt.Errorf("members seen by %s: %w", n.Site, err)
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		out[m.Site] = m.State
	}
	return out, nil
}

// notAlive describes each of sites that n does not see alive.
func (n *Node) notAlive(ctx context.Context, sites []*Node) []string {
	states, err := n.States(ctx)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, s := range sites {
		if st := states[s.Site]; st != "alive" {
			out = append(out, fmt.Sprintf("%s sees %s %q", n.Site, s.Site, st))
		}
	}
	return out
}

// WaitCaughtUp polls the primary n's status of dataset every 10 ms
// until every replica has applied its position, for up to timeout.
func (n *Node) WaitCaughtUp(ctx context.Context, dataset string, timeout time.Duration) error {
	what := fmt.Sprintf("every replica of %s to apply %s's position", dataset, n.Site)
	return Poll(ctx, what, timeout, 10*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		st, err := n.DatasetStatus(ctx, dataset)
		if err != nil {
			return false, err.Error(), nil
		}
		return caughtUp(st), fmt.Sprintf("%+v", st), nil
	})
}

func caughtUp(st api.DatasetStatus) bool {
	for _, r := range st.Replicas {
		if r.Applied < st.Position {
			return false
		}
	}
	return true
}

// DatasetStatus asks n for the replication status of dataset, bounded
// by RequestTimeout.
func (n *Node) DatasetStatus(ctx context.Context, dataset string) (api.DatasetStatus, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	return n.API.DatasetStatus(ctx, dataset)
}
