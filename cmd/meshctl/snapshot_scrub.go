package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newSnapshotScrubCmd(g *globals) *cobra.Command {
	var repair bool
	cmd := &cobra.Command{
		Use:   "scrub",
		Short: "Have every alive site read and check the shards it holds, and rebuild the bad ones with --repair",
		Long: `Every shard of the packs that kept snapshots need is read at the site that
holds it and checked there, against its own checksum and against what
the catalog says it is (pack, index, scheme, length); only the verdict
crosses the network. A shard that is missing, truncated, rotten or
misplaced is listed with its site. With --repair, each bad shard of a
pack that still has k good ones is rebuilt from them and stored again
at its site, byte for byte as first written (the placement does not
change). Shards on sites that are down are counted as unchecked: see
'meshctl snapshot repair' for those.

It exits non-zero while any bad shard is left unrepaired or any check
could not run, so a cron job or a monitor can run it as is.`,
		Example: `  meshctl snapshot scrub
  meshctl snapshot scrub --repair
  meshctl snapshot scrub --json | jq '.bad[] | select(.repaired | not)'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			res, err := c.Scrub(cmd.Context(), repair)
			if err != nil {
				return err
			}
			if err := g.emit(cmd, res, func(out io.Writer) { printScrub(out, res) }); err != nil {
				return err
			}
			return scrubVerdict(res, repair)
		},
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "rebuild each bad shard from k good ones and store it again at its site")
	g.jsonFlag(cmd, "packs, shards and bytes checked, the bad shards with their site and problem, and what was repaired")
	return cmd
}

func printScrub(out io.Writer, r api.ScrubResult) {
	fmt.Fprintf(out, "checked %d shards, %s, of %d packs in %s: %d bad, %d repaired\n",
		r.Shards, bytesHuman(uint64(r.Bytes)), r.Packs, seconds(r.Seconds), len(r.Bad), r.Repaired)
	if r.Unchecked > 0 {
		fmt.Fprintf(out, "%d shards unchecked on sites down (%s)\n", r.Unchecked, strings.Join(r.Down, ", "))
	}
	for _, b := range r.Bad {
		state := "not repaired"
		switch {
		case b.Repaired:
			state = "repaired"
		case b.RepairError != "":
			state = "not repaired: " + b.RepairError
		}
		fmt.Fprintf(out, "bad: shard %d of pack %s at %s: %s (%s)\n", b.Index, b.Pack, b.Site, b.Problem, state)
	}
	for _, f := range r.Failed {
		fmt.Fprintf(out, "failed: %s\n", f)
	}
}

// scrubVerdict is the command's error: what is left to do, if anything.
func scrubVerdict(r api.ScrubResult, repair bool) error {
	left := 0
	for _, b := range r.Bad {
		if !b.Repaired {
			left++
		}
	}
	switch {
	case left > 0 && !repair:
		return fmt.Errorf("%d bad shards: run 'meshctl snapshot scrub --repair' to rebuild them", left)
	case left > 0:
		return fmt.Errorf("%d bad shards could not be repaired (see why above): bring back the sites down, then scrub --repair again", left)
	case len(r.Failed) > 0:
		return fmt.Errorf("%d shard checks could not run: scrub again once the sites named above answer", len(r.Failed))
	}
	return nil
}
