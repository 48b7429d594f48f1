package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node"
)

func newDevCmd() *cobra.Command {
	var dir, profile string
	var sites int
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run a local mesh of several sites on loopback, for trying meshctl",
		Long: `Run a local mesh on 127.0.0.1: a fresh mesh key and one sub-folder per
site under a data folder (a new temporary one unless --dir is given),
all in this process. It prints the folder and the meshctl commands to
try. Ctrl-C makes every site leave and stops them.`,
		Example: `  meshnode dev
  meshnode dev --sites 5 --dir /tmp/mv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			setGCPercent(false, defaultGCPercent, os.Getenv("GOGC"))
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runDev(ctx, cmd.OutOrStdout(), dir, profile, sites)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "data folder (default: a new temporary folder)")
	cmd.Flags().StringVar(&profile, "profile", "fast", "memberlist timings: lan, wan or fast")
	cmd.Flags().IntVar(&sites, "sites", 3, "number of sites")
	return cmd
}

func runDev(ctx context.Context, out io.Writer, dir, profile string, count int) error {
	if count < 1 {
		return errors.New("--sites must be at least 1")
	}
	dir, err := devDir(dir)
	if err != nil {
		return err
	}
	keyFile := filepath.Join(dir, "mesh.key")
	if _, err := os.Stat(keyFile); err != nil {
		if err := mesh.NewKeyFile(keyFile); err != nil {
			return err
		}
	}
	nodes, err := startDevSites(ctx, dir, keyFile, profile, count)
	defer stopDevSites(nodes)
	if err != nil {
		return err
	}
	printDevHelp(out, dir, nodes)
	<-ctx.Done()
	fmt.Fprintln(out, "\nstopping: every site leaves the mesh")
	return nil
}

func devDir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "meshvault-dev-")
	}
	return dir, os.MkdirAll(dir, 0o700)
}

func startDevSites(ctx context.Context, dir, keyFile, profile string, count int) ([]*node.Node, error) {
	var nodes []*node.Node
	var seed []string
	for i := range count {
		name := fmt.Sprintf("site-%c", 'a'+i)
		cfg := node.DefaultConfig()
		cfg.DataDir, cfg.Site, cfg.Zone = filepath.Join(dir, name), name, fmt.Sprintf("zone-%d", i+1)
		cfg.MeshKeyFile, cfg.Profile, cfg.Join = keyFile, profile, seed
		cfg.Gossip, cfg.API = "127.0.0.1:0", "127.0.0.1:0"
		cfg.P2P = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
		n, err := node.New(cfg)
		if err == nil {
			err = n.Start(ctx)
		}
		if err != nil {
			return nodes, fmt.Errorf("start %s: %w", name, err)
		}
		nodes = append(nodes, n)
		if seed == nil {
			seed = []string{n.Mesh().GossipAddr()}
		}
	}
	return nodes, nil
}

func stopDevSites(nodes []*node.Node) {
	for _, n := range nodes {
		leaveAndStop(n)
	}
}

func printDevHelp(out io.Writer, dir string, nodes []*node.Node) {
	fmt.Fprintf(out, "\nA local mesh of %d sites is running. Data under %s (one folder per site).\n\n", len(nodes), dir)
	for _, n := range nodes {
		fmt.Fprintf(out, "  %-8s api %-21s gossip %s\n", n.Identity().Site, n.APIAddr(), n.Mesh().GossipAddr())
	}
	first := nodes[0].DataDir()
	fmt.Fprintf(out, "\nTry, in another terminal:\n")
	fmt.Fprintf(out, "  go run ./cmd/meshctl --data %s members\n", first)
	fmt.Fprintf(out, "  go run ./cmd/meshctl --data %s status\n", first)
	fmt.Fprintf(out, "  go run ./cmd/meshctl --data %s members --json\n", first)
	if len(nodes) > 1 {
		fmt.Fprintf(out, "  go run ./cmd/meshctl --data %s ping %s\n", first, nodes[1].Identity().Site)
		printDatasetTour(out, first, nodes)
	}
	fmt.Fprintf(out, "\nCtrl-C stops the mesh.\n")
}

// printDatasetTour shows the hot-dataset and snapshot commands.
func printDatasetTour(out io.Writer, first string, nodes []*node.Node) {
	primary, replica := nodes[0].Identity().Site, nodes[1].Identity().Site
	ctl := "go run ./cmd/meshctl --data " + first
	fmt.Fprintf(out, "\nA hot dataset, replicated, then an erasure-coded snapshot and a restore:\n")
	fmt.Fprintf(out, "  %s dataset create docs --primary %s --replicas %s\n", ctl, primary, replica)
	fmt.Fprintf(out, "  %s put docs readme.md ./README.md\n", ctl)
	fmt.Fprintf(out, "  %s dataset status docs\n", ctl)
	fmt.Fprintf(out, "  %s snapshot create docs\n", ctl)
	fmt.Fprintf(out, "  %s restore docs --to /tmp/meshvault-restore\n", ctl)
}
