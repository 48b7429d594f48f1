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

func newDatasetShowCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a dataset's definition and its history of primaries and epochs",
		Example: `  meshctl dataset show web
  meshctl dataset show web --json | jq '.history[-1]'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkName(args[0]); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			d, err := c.Dataset(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return g.emit(cmd, d, func(out io.Writer) { printDataset(out, d) })
		},
	}
	g.jsonFlag(cmd, "the dataset")
	return cmd
}

func printDataset(out io.Writer, d api.Dataset) {
	fmt.Fprintf(out, "dataset:   %s\n", d.Name)
	fmt.Fprintf(out, "primary:   %s\n", d.Primary)
	fmt.Fprintf(out, "replicas:  %s\n", strings.Join(d.Replicas, ", "))
	fmt.Fprintf(out, "mode:      %s\n", d.Mode)
	fmt.Fprintf(out, "epoch:     %d (began at position %d)\n", d.Epoch, d.EpochStart)
	fmt.Fprintf(out, "created:   %s\n\n", d.Created.Format(time.RFC3339))
	printHistory(out, d.History)
}

func printHistory(out io.Writer, hs []api.DatasetEvent) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tEPOCH\tSTART\tPRIMARY\tREASON\tBY")
	for _, h := range hs {
		reason := h.Reason
		if h.Forced && !strings.Contains(reason, "forced") {
			reason += " (forced)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", h.Time.Format(time.RFC3339), h.Epoch, h.Start,
			h.Primary, reason, dash(h.By))
	}
	tw.Flush()
}
