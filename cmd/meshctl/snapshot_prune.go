package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newSnapshotPruneCmd(g *globals) *cobra.Command {
	var maxUnused string
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Delete the packs no snapshot references any more, at every site, repacking mostly unused ones; safe beside snapshots being taken",
		Long: `Delete the packs no kept snapshot references, at every site. A pack is
freed whole or not at all, so one that still holds a chunk a kept
snapshot needs would keep the forgotten snapshots' chunks beside it;
prune first copies the chunks still needed out of the emptiest such
packs into new ones (and points the snapshots at them), until what stays
unused is at most --max-unused of what is used, as restic's prune does.

Snapshots go on meanwhile at every site. Prune asks each live site
directly which of the packs it would delete that site still reads (a
snapshot or restore there, even one whose news has not spread yet), and
waits for the snapshots it has under way; those packs are left for a
later prune. A site counted down may only be cut off, still taking
snapshots of the datasets it holds a copy of: their packs wait until it
answers again (or is taken out of the dataset's replicas). One prune
runs in the mesh at a time: a second is refused.`,
		Example: `  meshctl snapshot forget web --keep-daily 7 && meshctl snapshot prune
  meshctl snapshot prune --max-unused 0%          # repack every partly used pack
  meshctl snapshot prune --max-unused unlimited   # free whole packs only, copy nothing
  meshctl snapshot prune --json | jq .bytes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			share, err := parseMaxUnused(maxUnused)
			if err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			res, err := c.Prune(cmd.Context(), api.Prune{MaxUnused: &share})
			if err != nil {
				return err
			}
			return g.emit(cmd, res, func(out io.Writer) { printPrune(out, res) })
		},
	}
	cmd.Flags().StringVar(&maxUnused, "max-unused", "5%", "unused pack bytes to tolerate, as a percentage of the used ones, before repacking (or 'unlimited')")
	g.jsonFlag(cmd, "packs and bytes freed, packs repacked")
	return cmd
}

// parseMaxUnused reads --max-unused: a percentage ("5%", "0%") or
// "unlimited" (never repack, returned as -1).
func parseMaxUnused(s string) (float64, error) {
	if s == "unlimited" {
		return -1, nil
	}
	pct, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || !strings.HasSuffix(s, "%") || pct < 0 {
		return 0, fmt.Errorf("--max-unused %q is not valid: give a percentage such as 5%% (0%% repacks every partly used pack) or 'unlimited' (never repack)", s)
	}
	return pct / 100, nil
}

func printPrune(out io.Writer, r api.PruneResult) {
	fmt.Fprintf(out, "freed %d packs, %s; %d packs still referenced\n", r.Packs, bytesHuman(uint64(r.Bytes)), r.Kept)
	if r.RepackedPacks > 0 {
		fmt.Fprintf(out, "repacked %d partly used packs: copied the %s kept snapshots still use into new packs\n", r.RepackedPacks, bytesHuman(uint64(r.RepackedBytes)))
	}
	for _, why := range r.RepackSkipped {
		fmt.Fprintf(out, "not repacked now: %s\n", why)
	}
	if r.Pending > 0 {
		fmt.Fprintf(out, "%d unreferenced packs have shards on sites that are down: prune again once they are back\n", r.Pending)
	}
	if r.UnfencedPacks > 0 {
		fmt.Fprintf(out, "%d unreferenced packs wait for %s: down, but holding a copy of their dataset (a site cut off may still be snapshotting against them); prune again once back, or take a site lost for good out of the dataset's replicas (meshctl dataset update NAME --replicas ...)\n", r.UnfencedPacks, strings.Join(r.WaitingFor, ", "))
	}
	if r.Held > 0 {
		fmt.Fprintf(out, "%d unreferenced packs are still read at another site (a snapshot or restore whose news had not reached this one) or it had not heard they are condemned: prune again later\n", r.Held)
	}
	if r.Young > 0 {
		fmt.Fprintf(out, "%d unreferenced packs are under %gs old and may belong to a snapshot being taken: prune again in %gs\n", r.Young, r.Grace, r.Grace)
	}
	if r.Orphans > 0 {
		fmt.Fprintf(out, "swept %d shards that no pack records (left by a snapshot that crashed or was cancelled)\n", r.Orphans)
	}
}
