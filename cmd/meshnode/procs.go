package main

import (
	"fmt"
	"runtime"
)

// setProcs sets how many goroutines run Go code at once (GOMAXPROCS).
// Zero keeps Go's default, one per core (or GOMAXPROCS from the
// environment). More than the cores lets a site keep computing while
// some of its threads wait in a direct read or write, which holds its
// processor until the runtime takes it back.
func setProcs(n int) error {
	if n < 0 {
		return fmt.Errorf("--procs %d: give 0 (one per core) or a positive count", n)
	}
	if n > 0 {
		runtime.GOMAXPROCS(n)
	}
	return nil
}
