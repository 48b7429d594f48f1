package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newDatasetCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dataset",
		Short: "Define hot datasets and watch their replication (create, ls, show, rm, status, conflicts, source, mirror)",
		Long: `A hot dataset is a tree of files written at one site, its primary, and
replicated to the sites listed as its replicas, synchronously or not. Use
put, get, rm and ls to work with its files, and failover or switchover to
move the primary.`,
		Example: `  meshctl dataset create web --primary paris --replicas tokyo,lima
  meshctl dataset status web
  meshctl dataset show web --json | jq .history`,
	}
	cmd.AddCommand(newDatasetCreateCmd(g), newDatasetLsCmd(g), newDatasetShowCmd(g), newDatasetRmCmd(g),
		newDatasetStatusCmd(g), newDatasetConflictsCmd(g), newDatasetSourceCmd(g), newDatasetMirrorCmd(g),
		newDatasetUpdateCmd(g))
	return cmd
}

// emit prints v as JSON with --json, or else the way human does.
func (g *globals) emit(cmd *cobra.Command, v any, human func(io.Writer)) error {
	if g.json {
		return writeJSON(cmd.OutOrStdout(), v)
	}
	human(cmd.OutOrStdout())
	return nil
}

// jsonFlag adds --json, whose help says what it prints.
func (g *globals) jsonFlag(cmd *cobra.Command, what string) {
	cmd.Flags().BoolVar(&g.json, "json", false, "print "+what+" as JSON")
}

// orEmpty makes a nil slice an empty one, so that --json prints [] rather
// than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
