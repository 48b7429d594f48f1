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
	return newDatasetQueryCmd(g, datasetQuery[api.Dataset]{
		use:   "show NAME",
		short: "Show a dataset's definition and its history of primaries and epochs",
		example: `  meshctl dataset show web
  meshctl dataset show web --json | jq '.history[-1]'`,
		jsonWhat: "the dataset",
		fetch:    (*api.Client).Dataset,
		print:    printDataset,
	})
}

func printDataset(out io.Writer, d api.Dataset) {
	fmt.Fprintf(out, "dataset:   %s\n", d.Name)
	fmt.Fprintf(out, "primary:   %s\n", d.Primary)
	fmt.Fprintf(out, "replicas:  %s\n", strings.Join(d.Replicas, ", "))
	fmt.Fprintf(out, "mode:      %s\n", d.Mode)
	fmt.Fprintf(out, "epoch:     %d (began at position %d)\n", d.Epoch, d.EpochStart)
	fmt.Fprintf(out, "coding:    snapshots %s\n", coding(d.EC))
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
