package simulations

import (
	"context"
	"testing"
	"time"
)

// Start is the way tests get a running cluster: it fills Options.Dir
// with a temporary directory if empty, starts every site, waits until
// each sees every other alive, closes the cluster when the test ends and
// logs the seed if the test failed, so the run can be replayed.
func Start(t testing.TB, opts Options) *Cluster {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay with simulations.Options{Seed: %d}", c.Seed())
		}
		c.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitStates(ctx, c.Names(), AllAlive(c.Names())); err != nil {
		t.Fatal(err)
	}
	return c
}
