package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

// datasetQuery is a read-only command on one dataset: what it asks the
// node for and how it prints the answer; --json prints the answer as
// the API gave it.
type datasetQuery[T any] struct {
	use, short, example string
	jsonWhat            string                                                           // what --json prints, for its help
	fetch               func(c *api.Client, ctx context.Context, name string) (T, error) // a method expression: (*api.Client).Dataset
	print               func(io.Writer, T)
}

func newDatasetQueryCmd[T any](g *globals, q datasetQuery[T]) *cobra.Command {
	cmd := &cobra.Command{
		Use: q.use, Short: q.short, Example: q.example,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.datasetClient(cmd, args[0])
			if err != nil {
				return err
			}
			v, err := q.fetch(c, cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return g.emit(cmd, v, func(out io.Writer) { q.print(out, v) })
		},
	}
	g.jsonFlag(cmd, q.jsonWhat)
	return cmd
}
