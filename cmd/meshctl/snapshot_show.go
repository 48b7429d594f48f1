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
	var prefix string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a snapshot: files, sizes, k+m, where its shards are, and how many more site losses it survives",
		Example: `  meshctl snapshot show 3f9a1c
  meshctl snapshot show 3f9a1c --path images/
  meshctl snapshot show 3f9a1c --json | jq .health.survives
  meshctl snapshot show 3f9a1c --json | jq -r '.files[].path'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			detail, err := c.Snapshot(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			d := snapshotShown{SnapshotDetail: detail, Files: []api.FileEntry{}}
			if fs, err := c.SnapshotFiles(cmd.Context(), detail.Snapshot.ID, prefix); err == nil {
				d.Files = fs
			} else {
				d.FilesError = err.Error() // health matters most when too many sites are down to list files
			}
			return g.emit(cmd, d, func(out io.Writer) { printSnapshotDetail(out, d) })
		},
	}
	g.jsonFlag(cmd, "the snapshot with its health, placement and files")
	cmd.Flags().StringVar(&prefix, "path", "", "list only the files under PREFIX")
	return cmd
}

// snapshotShown is what show prints: the node's detail and the files.
type snapshotShown struct {
	api.SnapshotDetail
	Files      []api.FileEntry `json:"files"`
	FilesError string          `json:"files_error,omitempty"` // why Files is empty when it is not
}

func printSnapshotDetail(out io.Writer, d snapshotShown) {
	s, h := d.Snapshot, d.Health
	fmt.Fprintf(out, "snapshot:  %s\n", s.ID)
	fmt.Fprintf(out, "dataset:   %s (position %d, epoch %d, taken at %s)\n", s.Dataset, s.Position, s.Epoch, s.Site)
	fmt.Fprintf(out, "time:      %s (took %s)\n", s.Time.Local().Format(time.RFC3339), seconds(s.Seconds))
	fmt.Fprintf(out, "tags:      %s\n", dash(strings.Join(s.Tags, ", ")))
	fmt.Fprintf(out, "files:     %d, %s\n", s.Files, bytesHuman(uint64(s.Bytes)))
	fmt.Fprintf(out, "stored:    %s new, %s deduplicated\n", bytesHuman(uint64(s.NewBytes)), bytesHuman(uint64(s.DedupBytes)))
	fmt.Fprintf(out, "coding:    %s (k+m), %d packs, %d degraded%s\n", s.Scheme, h.Packs, h.Degraded, badLine(h.BadShards))
	fmt.Fprintf(out, "placement: %s\n", placementLine(d.Placement))
	fmt.Fprintf(out, "survives:  %s\n", survivesLine(h))
	if d.FilesError != "" {
		fmt.Fprintf(out, "\nfiles: cannot be listed now: %s\n", d.FilesError)
		return
	}
	if len(d.Files) == 0 {
		fmt.Fprintf(out, "\nno files there\n")
		return
	}
	fmt.Fprintf(out, "\n")
	printEntries(out, d.Files)
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

// badLine names the shards the last scrub left bad, and the fix.
func badLine(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d bad %s found by the last scrub (repair: meshctl snapshot scrub --repair)", n, plural(n, "shard", "shards"))
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
