package main

import (
	"context"
	"fmt"
	"time"
)

// poll calls check every interval until it reports done or fails, or
// timeout passes. On timeout the error names what was awaited and what
// check last saw.
func poll(parent context.Context, what string, timeout, every time.Duration, check func(context.Context) (bool, string, error)) error {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	t := time.NewTicker(every)
	defer t.Stop()
	saw := "nothing"
	for {
		done, s, err := check(ctx)
		if done || err != nil {
			return err
		}
		saw = s
		select {
		case <-ctx.Done():
			if parent.Err() != nil {
				return fmt.Errorf("interrupted while waiting for %s: %w", what, parent.Err())
			}
			return fmt.Errorf("gave up after %s waiting for %s; last saw: %s", timeout, what, saw)
		case <-t.C:
		}
	}
}
