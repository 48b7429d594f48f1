package main

import (
	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "meshnode",
		Short: "Meshvault site daemon: membership, replication and snapshots without a central server",
		Example: `  # a local mesh of 3 sites on loopback, to try meshctl against
  meshnode dev

  # one real site
  meshnode run --data /var/lib/meshvault --site paris --mesh-key-file /etc/meshvault/mesh.key --join 10.0.0.2:7946`,
		Version:       api.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(runNode), newDevCmd())
	return root
}
