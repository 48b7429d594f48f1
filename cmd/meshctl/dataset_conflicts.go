package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newDatasetConflictsCmd(g *globals) *cobra.Command {
	return newDatasetQueryCmd(g, datasetQuery[[]api.Conflict]{
		use:   "conflicts NAME",
		short: "List writes an old primary acknowledged after a new epoch began (kept, never merged)",
		example: `  meshctl dataset conflicts web
  meshctl dataset conflicts web --json | jq -r '.[].path'`,
		jsonWhat: "an array of conflicts",
		fetch: func(c *api.Client, ctx context.Context, name string) ([]api.Conflict, error) {
			cs, err := c.Conflicts(ctx, name)
			return orEmpty(cs), err // [] rather than null in JSON
		},
		print: printConflicts,
	})
}

func printConflicts(out io.Writer, cs []api.Conflict) {
	if len(cs) == 0 {
		fmt.Fprintln(out, "no conflicts")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tEPOCH\tPOSITION\tOP\tPATH\tSIZE\tTIME")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%d\t%s\n", c.Site, c.Epoch, c.Position, c.Op, c.Path,
			c.Size, c.Time.Format(time.RFC3339))
	}
	tw.Flush()
}
