package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node"
)

// newRunCmd builds "meshnode run"; run is what it does with the layered
// config (runNode, or a test's probe).
func newRunCmd(run func(node.Config) error) *cobra.Command {
	cfg := node.DefaultConfig()
	var configFile string
	var gcPercent, procs int
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run this site's node until SIGTERM or Ctrl-C, then leave the mesh",
		Long: `Run this site's node. Every flag can also come from a YAML file (--config,
keys are the flag names) and from MESHVAULT_* environment variables
(--mesh-key-file is MESHVAULT_MESH_KEY_FILE). Flags win over the
environment, the environment over the file.

On SIGTERM or Ctrl-C the site leaves the mesh gracefully (the others see
it "left") and exits 0.`,
		Example: `  meshnode run --data /var/lib/meshvault --site paris --zone eu-west \
    --mesh-key-file /etc/meshvault/mesh.key --join 10.0.0.2:7946,10.0.0.3:7946

  MESHVAULT_PROFILE=wan meshnode run --config /etc/meshvault/meshnode.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := layerConfig(cmd, configFile, os.Getenv); err != nil {
				return err
			}
			setGCPercent(cmd.Flags().Changed("gc-percent"), gcPercent, os.Getenv("GOGC"))
			if err := setProcs(procs); err != nil {
				return err
			}
			return run(cfg)
		},
	}
	bindConfigFlags(cmd.Flags(), &cfg)
	cmd.Flags().StringVar(&configFile, "config", "", "YAML file with flag values (keys are flag names)")
	cmd.Flags().IntVar(&gcPercent, "gc-percent", defaultGCPercent,
		"Go's GC target: the heap may grow this % over live memory before a collection (GOGC in the environment wins unless this flag is given)")
	cmd.Flags().IntVar(&procs, "procs", 0,
		"goroutines running Go code at once (GOMAXPROCS); 0 is one per core")
	return cmd
}

// runNode starts the node and blocks until SIGINT or SIGTERM, then
// leaves the mesh and shuts down.
func runNode(cfg node.Config) error {
	n, err := node.New(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := n.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	return leaveAndStop(n)
}

// leaveAndStop is the graceful exit: leave, then shut down.
func leaveAndStop(n *node.Node) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.Leave(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "meshnode: leave:", err)
	}
	return n.Shutdown(ctx)
}
