package main

import (
	"context"
	"fmt"
	"time"

	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/node/api"
)

// catchUpTimeout bounds the wait for replicas to apply every write.
const catchUpTimeout = 10 * time.Minute

// createDataset defines name with s1 as primary and the given replicas,
// asking s1.
func createDataset(ctx context.Context, c *harness.Cluster, name, mode string, replicas ...string) error {
	req := api.CreateDataset{Name: name, Primary: "s1", Replicas: replicas, Mode: mode}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := c.Site("s1").API.CreateDataset(cctx, req); err != nil {
		return fmt.Errorf("create dataset %s: %w", name, err)
	}
	return nil
}
