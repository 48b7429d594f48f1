package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newSnapshotPruneCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Delete the packs no snapshot references any more, at every site; safe beside snapshots being taken",
		Example: `  meshctl snapshot forget web --keep-daily 7 && meshctl snapshot prune
  meshctl snapshot prune --json | jq .bytes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			res, err := c.Prune(cmd.Context())
			if err != nil {
				return err
			}
			return g.emit(cmd, res, func(out io.Writer) { printPrune(out, res) })
		},
	}
	g.jsonFlag(cmd, "packs and bytes freed")
	return cmd
}

func printPrune(out io.Writer, r api.PruneResult) {
	fmt.Fprintf(out, "freed %d packs, %s; %d packs still referenced\n", r.Packs, bytesHuman(uint64(r.Bytes)), r.Kept)
	if r.Pending > 0 {
		fmt.Fprintf(out, "%d unreferenced packs have shards on sites that are down: prune again once they are back\n", r.Pending)
	}
	if r.Young > 0 {
		fmt.Fprintf(out, "%d unreferenced packs are under %gs old and may belong to a snapshot being taken: prune again in %gs\n", r.Young, r.Grace, r.Grace)
	}
	if r.Orphans > 0 {
		fmt.Fprintf(out, "swept %d shards that no pack records (left by a snapshot that crashed or was cancelled)\n", r.Orphans)
	}
}
