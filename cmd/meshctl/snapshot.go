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

func newSnapshotCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Take, list and inspect snapshots, apply retention, check and repair (create, ls, show, forget, prune, repair, scrub)",
		Long: `A snapshot is an immutable point-in-time version of a dataset, deduplicated,
encrypted and erasure-coded across the sites. Any site can take one and
any site can restore one (meshctl restore).`,
		Example: `  meshctl snapshot create web --tag nightly
  meshctl snapshot ls web
  meshctl snapshot forget web --keep-daily 7 --keep-weekly 4 --dry-run`,
	}
	cmd.AddCommand(newSnapshotCreateCmd(g), newSnapshotLsCmd(g), newSnapshotShowCmd(g),
		newSnapshotForgetCmd(g), newSnapshotPruneCmd(g), newSnapshotRepairCmd(g), newSnapshotScrubCmd(g))
	return cmd
}

// shortID is how tables show a snapshot ID; any unique prefix names it.
func shortID(id string) string {
	return id[:min(len(id), 12)]
}

func printSnapshots(out io.Writer, ss []api.Snapshot) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATASET\tTIME\tFILES\tSIZE\tNEW\tSITE\tTAGS")
	for _, s := range ss {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", shortID(s.ID), s.Dataset,
			s.Time.Local().Format(time.DateTime), s.Files, bytesHuman(uint64(s.Bytes)),
			bytesHuman(uint64(s.NewBytes)), s.Site, dash(strings.Join(s.Tags, ",")))
	}
	tw.Flush()
}
