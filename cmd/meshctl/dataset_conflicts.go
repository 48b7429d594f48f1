package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newDatasetConflictsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "conflicts NAME",
		Short: "List writes an old primary acknowledged after a new epoch began (kept, never merged)",
		Example: `  meshctl dataset conflicts web
  meshctl dataset conflicts web --json | jq -r '.[].path'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkName(args[0]); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			cs, err := c.Conflicts(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return g.emit(cmd, orEmpty(cs), func(out io.Writer) { printConflicts(out, cs) })
		},
	}
	g.jsonFlag(cmd, "an array of conflicts")
	return cmd
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
