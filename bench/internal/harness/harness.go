// Package harness owns the benchmarks' meshnode processes on loopback:
// it starts a mesh of sites in a fresh temp dir with a new mesh key,
// waits until they all see each other alive, gives each site an API
// client, and stops them again, keeping the temp dir and node logs
// after a failure. It also owns the bounded polling every wait of the
// benchmarks uses, and the main function and -meshnode flag that
// bench/detect, bench/hot and bench/snap share.
package harness

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Main is a benchmark program's main: parse reads the options from
// args, then run runs with them under a context that SIGINT or SIGTERM
// cancels. It returns the exit code: 0, 2 after a flag error or 1 after
// a failed run, whose error it prints to stderr as "PROGRAM: error".
func Main[O any](program string, args []string, parse func([]string) (O, error), run func(context.Context, O) error) int {
	opts, err := parse(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, program+":", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, opts)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, program+":", err)
		return 1
	}
	return 0
}

// MeshnodeFlag defines the -meshnode flag, the path to a meshnode
// binary, in fs, storing it in p.
func MeshnodeFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "meshnode", "", "path to a meshnode binary (go build -o /tmp/meshnode ./cmd/meshnode)")
}

// CheckMeshnode checks the -meshnode flag's value: given, and a file
// that exists.
func CheckMeshnode(path string) error {
	if path == "" {
		return errors.New("-meshnode is required: build one with 'go build -o /tmp/meshnode ./cmd/meshnode'")
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("-meshnode: %w", err)
	}
	return nil
}

// Poll calls check at once and then every every until it reports done
// or fails, or timeout passes. check returns whether it is done, what it saw (for
// the timeout error) and an error that ends the wait at once. On
// timeout the error names what was awaited and what check last saw.
func Poll(parent context.Context, what string, timeout, every time.Duration, check func(context.Context) (bool, string, error)) error {
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
