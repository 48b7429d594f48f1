package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newDatasetStatusCmd(g *globals) *cobra.Command {
	return newDatasetQueryCmd(g, datasetQuery[api.DatasetStatus]{
		use:   "status NAME",
		short: "Show a dataset's replication as its primary sees it: each replica's state, position and lag",
		example: `  meshctl dataset status web
  meshctl dataset status web --json | jq '.replicas[] | select(.sync != "streaming")'`,
		jsonWhat: "the status",
		fetch:    (*api.Client).DatasetStatus,
		print:    printDatasetStatus,
	})
}

func printDatasetStatus(out io.Writer, st api.DatasetStatus) {
	fmt.Fprintf(out, "dataset:   %s\n", st.Dataset)
	fmt.Fprintf(out, "primary:   %s\n", st.Primary)
	fmt.Fprintf(out, "epoch:     %d\n", st.Epoch)
	fmt.Fprintf(out, "mode:      %s\n", st.Mode)
	fmt.Fprintf(out, "position:  %d\n", st.Position)
	if st.Degraded != "" {
		fmt.Fprintf(out, "degraded:  %s\n", st.Degraded)
	}
	fmt.Fprintln(out)
	printReplicas(out, st.Replicas)
}

func printReplicas(out io.Writer, rs []api.ReplicaStatus) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tSTATE\tSYNC\tAPPLIED\tLAG OPS\tLAG BYTES\tLAG SECONDS\tERROR")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%.1f\t%s\n", r.Site, r.State, r.Sync, r.Applied,
			r.LagOps, bytesHuman(r.LagBytes), r.LagSeconds, dash(r.LastError))
	}
	tw.Flush()
}
