package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/meshvault/meshvault/bench/internal/harness"
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
	resp, err := n.Do(ctx, http.MethodGet, fmt.Sprintf("/debug/pprof/profile?seconds=%d", secs), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
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
