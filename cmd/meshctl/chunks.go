package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newChunksCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "chunks",
		Short: "The site's chunk store, where hot datasets' bytes live (sweep)",
		Long: `Every site keeps the chunks of the hot datasets it holds once, whatever
dataset or file they belong to. A chunk no file, conflict, unshipped
log op or snapshot being taken references any more is freed by a
sweep, which each site runs on its own (meshnode --sweep-chunks-every,
10m by default, and as soon as a dataset is dropped).`,
		Example: `  meshctl chunks sweep
  meshctl chunks sweep --api 127.0.0.1:7481 --json`,
	}
	cmd.AddCommand(newChunksSweepCmd(g))
	return cmd
}

func newChunksSweepCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sweep",
		Short: "Free now, at this site, the chunks nothing references any more; safe beside writes, replication and snapshots",
		Example: `  meshctl dataset rm old-logs && meshctl chunks sweep
  meshctl chunks sweep --json | jq .freed_bytes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			res, err := c.SweepChunks(cmd.Context())
			if err != nil {
				return err
			}
			return g.emit(cmd, res, func(out io.Writer) { printSweep(out, res) })
		},
	}
	g.jsonFlag(cmd, "chunks and bytes freed")
	return cmd
}

func printSweep(out io.Writer, r api.ChunkSweep) {
	fmt.Fprintf(out, "%s: freed %d chunks, %s stored; %d chunks still referenced", r.Site, r.FreedChunks, bytesHuman(uint64(r.FreedBytes)), r.LiveChunks)
	if r.SegmentsRemoved > 0 {
		fmt.Fprintf(out, "; removed %d empty segment files", r.SegmentsRemoved)
	}
	fmt.Fprintf(out, " (%.2fs)\n", r.Seconds)
}
