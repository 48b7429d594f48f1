package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newDatasetLsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List the hot datasets with their primary, replicas, mode and epoch",
		Example: `  meshctl dataset ls
  meshctl dataset ls --json | jq -r '.[] | select(.primary == "paris") | .name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			ds, err := c.Datasets(cmd.Context())
			if err != nil {
				return err
			}
			return g.emit(cmd, orEmpty(ds), func(out io.Writer) { printDatasets(out, ds) })
		},
	}
	g.jsonFlag(cmd, "an array of datasets")
	return cmd
}

func printDatasets(out io.Writer, ds []api.Dataset) {
	if len(ds) == 0 {
		fmt.Fprintln(out, "no datasets; create one with: meshctl dataset create NAME --primary SITE --replicas SITE,...")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPRIMARY\tREPLICAS\tMODE\tEPOCH\tEC\tCREATED")
	for _, d := range ds {
		ec := d.EC
		if ec == "" {
			ec = "default"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.Name, d.Primary, strings.Join(d.Replicas, ","),
			d.Mode, d.Epoch, ec, d.Created.Format(time.RFC3339))
	}
	tw.Flush()
}
