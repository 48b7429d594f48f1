package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newSnapshotRepairCmd(g *globals) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "repair",
		Short: "Rebuild, on alive sites, the shards that sites now down held, so snapshots survive m site losses again",
		Long: `Every pack a kept snapshot needs that has shards on a site that is down
(dead or left) is rebuilt from any k of its other shards, and the lost
shards are stored on alive sites: in the zones that hold the fewest of
the pack's shards, on the sites there that hold the fewest. The catalog
then places them there, and 'snapshot show' reports the redundancy
regained. Run it once
a site is lost for good: a site that comes back afterwards keeps stale
shards until the next 'snapshot prune' sweeps them. Running it again
is safe.`,
		Example: `  meshctl snapshot repair --dry-run
  meshctl snapshot repair
  meshctl snapshot repair --json | jq .shards`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			res, err := c.Repair(cmd.Context(), dryRun)
			if err != nil {
				return err
			}
			if err := g.emit(cmd, res, func(out io.Writer) { printRepair(out, res) }); err != nil {
				return err
			}
			if len(res.Failed) > 0 {
				return fmt.Errorf("repair of %d packs failed: run it again once the sites named above answer", len(res.Failed))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "only count the shards that would be rebuilt")
	g.jsonFlag(cmd, "sites lost, packs, shards and bytes rebuilt")
	return cmd
}

func printRepair(out io.Writer, r api.RepairResult) {
	if len(r.Lost) == 0 {
		fmt.Fprintln(out, "no site that holds shards is down: nothing to repair")
		return
	}
	verb := "rebuilt"
	if r.DryRun {
		verb = "would rebuild"
	}
	fmt.Fprintf(out, "%s %d shards, %s, of %d packs that %s held, in %s\n", verb, r.Shards,
		bytesHuman(uint64(r.Bytes)), r.Packs, strings.Join(r.Lost, ", "), seconds(r.Seconds))
	if n := len(r.Unrepairable); n > 0 {
		fmt.Fprintf(out, "%d packs have fewer than k shards on live sites and cannot be rebuilt: bring back a site that holds them (%s)\n",
			n, strings.Join(r.Unrepairable, ", "))
	}
	for _, f := range r.Failed {
		fmt.Fprintf(out, "failed: %s\n", f)
	}
}
