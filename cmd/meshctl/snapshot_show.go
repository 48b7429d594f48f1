package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newSnapshotShowCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a snapshot: files, sizes, k+m, where its shards are, and how many more site losses it survives",
		Example: `  meshctl snapshot show 3f9a1c
  meshctl snapshot show 3f9a1c --json | jq .health.survives`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			d, err := c.Snapshot(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return g.emit(cmd, d, func(out io.Writer) { printSnapshotDetail(out, d) })
		},
	}
	g.jsonFlag(cmd, "the snapshot with its health and placement")
	return cmd
}

func printSnapshotDetail(out io.Writer, d api.SnapshotDetail) {
	s, h := d.Snapshot, d.Health
	fmt.Fprintf(out, "snapshot:  %s\n", s.ID)
	fmt.Fprintf(out, "dataset:   %s (position %d, epoch %d, taken at %s)\n", s.Dataset, s.Position, s.Epoch, s.Site)
	fmt.Fprintf(out, "time:      %s (took %s)\n", s.Time.Local().Format(time.RFC3339), seconds(s.Seconds))
	fmt.Fprintf(out, "tags:      %s\n", dash(strings.Join(s.Tags, ", ")))
	fmt.Fprintf(out, "files:     %d, %s\n", s.Files, bytesHuman(uint64(s.Bytes)))
	fmt.Fprintf(out, "stored:    %s new, %s deduplicated\n", bytesHuman(uint64(s.NewBytes)), bytesHuman(uint64(s.DedupBytes)))
	fmt.Fprintf(out, "coding:    %s (k+m), %d packs, %d degraded\n", s.Scheme, h.Packs, h.Degraded)
	fmt.Fprintf(out, "placement: %s\n", placementLine(d.Placement))
	fmt.Fprintf(out, "survives:  %s\n", survivesLine(h))
}

func placementLine(ps []api.SiteShards) string {
	var parts []string
	for _, p := range ps {
		state := ""
		if p.State != "alive" {
			state = ", " + p.State
		}
		parts = append(parts, fmt.Sprintf("%s %d shards%s", p.Site, p.Shards, state))
	}
	return dash(strings.Join(parts, "; "))
}

func survivesLine(h api.SnapshotHealth) string {
	if h.Survives < 0 {
		return "NOT restorable now: some pack has fewer than k shards on live sites"
	}
	return fmt.Sprintf("%d more site %s now (%d as placed)", h.Survives, plural(h.Survives, "loss", "losses"), h.Designed)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
