package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newDatasetRmCmd(g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "rm NAME [--force]",
		Short: "Delete a dataset; the node refuses while it holds files unless --force",
		Example: `  meshctl dataset rm scratch
  meshctl dataset rm web --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.datasetClient(cmd, args[0])
			if err != nil {
				return err
			}
			if err := c.DeleteDataset(cmd.Context(), args[0], force); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted dataset %s\n", args[0])
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "delete it even though it holds files")
	return cmd
}
