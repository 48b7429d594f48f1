package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newFailoverCmd(g *globals) *cobra.Command {
	var req api.Failover
	cmd := &cobra.Command{
		Use:   "failover NAME [--to SITE] [--force]",
		Short: "Make a replica the dataset's primary now, in a new epoch (when the primary is down)",
		Long: `Make a replica the dataset's primary, in a new epoch. Without --to the
node chooses the replica. Writes the old primary acknowledged after the new
epoch began are kept as conflicts (see meshctl dataset conflicts). --force
asks the node to go ahead where it would otherwise refuse.`,
		Example: `  meshctl failover web
  meshctl failover web --to tokyo --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.datasetClient(cmd, args[0])
			if err != nil {
				return err
			}
			d, err := c.Failover(cmd.Context(), args[0], req)
			if err != nil {
				return err
			}
			return g.emit(cmd, d, func(out io.Writer) { printPrimary(out, d) })
		},
	}
	cmd.Flags().StringVar(&req.To, "to", "", "the replica to promote (default: the node chooses)")
	cmd.Flags().BoolVar(&req.Force, "force", false, "go ahead where the node would otherwise refuse")
	g.jsonFlag(cmd, "the dataset")
	return cmd
}

func printPrimary(out io.Writer, d api.Dataset) {
	fmt.Fprintf(out, "%s: primary is now %s (epoch %d)\n", d.Name, d.Primary, d.Epoch)
}
