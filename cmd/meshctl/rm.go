package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

func newRmCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "rm NAME PATH",
		Short:   "Delete the file PATH from a dataset",
		Example: `  meshctl rm web old/index.html`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkNamePath(args[0], args[1]); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			res, err := c.Remove(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			return g.emit(cmd, res, func(out io.Writer) {
				fmt.Fprintf(out, "removed %s at position %d, epoch %d\n", res.Path, res.Position, res.Epoch)
			})
		},
	}
	g.jsonFlag(cmd, "the write's path, position and epoch")
	return cmd
}
