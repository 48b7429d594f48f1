// Command meshctl is the operator's tool for a Meshvault mesh.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRootCmd(os.Getenv).Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "meshctl:", err)
		os.Exit(1)
	}
}
