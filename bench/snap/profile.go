package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/node"
)

// profileSites takes a CPU profile of every site for secs seconds, from
// each node's /debug/pprof/profile, into DIR/PHASE-SITE.pprof. It
// returns at once; wait blocks until every profile is written.
func profileSites(ctx context.Context, c *harness.Cluster, dir, phase string, secs int) (wait func()) {
	var wg sync.WaitGroup
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "cpu profiles: %v\n", err)
		return wg.Wait
	}
	for _, n := range c.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := filepath.Join(dir, phase+"-"+n.Site+".pprof")
			if err := profileNode(ctx, n, path, secs); err != nil {
				fmt.Fprintf(os.Stderr, "cpu profile of %s: %v\n", n.Site, err)
			}
		}()
	}
	return wg.Wait
}

func profileNode(ctx context.Context, n *harness.Node, path string, secs int) error {
	addr, err := os.ReadFile(filepath.Join(n.Dir, node.APIAddrFile))
	if err != nil {
		return err
	}
	token, err := os.ReadFile(filepath.Join(n.Dir, node.APITokenFile))
	if err != nil {
		return err
	}
	url := fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", strings.TrimSpace(string(addr)), secs)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return writeFile(path, resp.Body)
}

func writeFile(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
