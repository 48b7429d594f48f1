package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newPingCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "ping SITE",
		Short:   "Ping another site over a libp2p stream, from the node meshctl talks to",
		Example: `  meshctl --data /var/lib/meshvault ping site-b`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			res, err := c.Ping(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s (%s): %.2f ms\n", res.Site, res.PeerID, res.RTTMillis)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
