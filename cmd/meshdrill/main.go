// Command meshdrill runs a disaster-recovery drill on a mesh of real
// nodes in this process (simulations): it writes a hot dataset,
// snapshots it, kills sites at once and reports the time to detect the
// loss, to fail over and to get the snapshot's redundancy back, and what
// was lost.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "meshdrill:", err)
		os.Exit(1)
	}
}
