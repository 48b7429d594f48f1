package main

import (
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newSwitchoverCmd(g *globals) *cobra.Command {
	var req api.Failover
	cmd := &cobra.Command{
		Use:   "switchover NAME --to SITE",
		Short: "Hand the dataset's primary role to a replica, in a planned way (both sites up)",
		Example: `  meshctl switchover web --to tokyo
  meshctl switchover web --to paris --json | jq .epoch`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkSwitchover(args[0], req.To); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			d, err := c.Switchover(cmd.Context(), args[0], req)
			if err != nil {
				return err
			}
			return g.emit(cmd, d, func(out io.Writer) { printPrimary(out, d) })
		},
	}
	cmd.Flags().StringVar(&req.To, "to", "", "the replica to hand the primary role to (required)")
	g.jsonFlag(cmd, "the dataset")
	return cmd
}

func checkSwitchover(name, to string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if to == "" {
		return errors.New("--to is required: the replica to hand the primary role to, e.g. --to tokyo (to promote a replica while the primary is down, use meshctl failover)")
	}
	return nil
}
