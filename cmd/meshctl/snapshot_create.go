package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newSnapshotCreateCmd(g *globals) *cobra.Command {
	var tags []string
	cmd := &cobra.Command{
		Use:   "create NAME [--tag T]...",
		Short: "Snapshot a dataset now; returns once every alive site lists the snapshot",
		Example: `  meshctl snapshot create web
  meshctl snapshot create web --tag nightly --tag pre-upgrade
  meshctl snapshot create web --json | jq -r .id`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTags(args[0], tags); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			s, err := c.CreateSnapshot(cmd.Context(), api.CreateSnapshot{Dataset: args[0], Tags: tags})
			if err != nil {
				return err
			}
			return g.emit(cmd, s, func(out io.Writer) { printSnapshotCreated(out, s) })
		},
	}
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "tag the snapshot (repeat for several); forget --keep-tag keeps tagged snapshots")
	g.jsonFlag(cmd, "the new snapshot")
	return cmd
}

func checkTags(name string, tags []string) error {
	if err := checkName(name); err != nil {
		return err
	}
	for _, t := range tags {
		if strings.TrimSpace(t) == "" {
			return fmt.Errorf("--tag needs a non-empty tag, e.g. --tag nightly")
		}
	}
	return nil
}

func printSnapshotCreated(out io.Writer, s api.Snapshot) {
	dirs := ""
	if s.Dirs > 0 {
		dirs = fmt.Sprintf(" and %d directories", s.Dirs)
	}
	fmt.Fprintf(out, "snapshot %s of %s: %d files%s, %s\n", s.ID, s.Dataset, s.Files, dirs, bytesHuman(uint64(s.Bytes)))
	fmt.Fprintf(out, "  %s new, %s deduplicated, in %s\n", bytesHuman(uint64(s.NewBytes)),
		bytesHuman(uint64(s.DedupBytes)), seconds(s.Seconds))
}

// seconds renders a duration given in seconds, rounded for people.
func seconds(s float64) string {
	d := time.Duration(s * float64(time.Second))
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
