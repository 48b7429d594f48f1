package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

func newSnapshotLsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ls [NAME]",
		Short: "List the snapshots, of one dataset or of all, oldest first",
		Example: `  meshctl snapshot ls
  meshctl snapshot ls web
  meshctl snapshot ls web --json | jq -r '.[-1].id'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
				if err := checkName(name); err != nil {
					return err
				}
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			ss, err := c.Snapshots(cmd.Context(), name)
			if err != nil {
				return err
			}
			return g.emit(cmd, orEmpty(ss), func(out io.Writer) {
				if len(ss) == 0 {
					fmt.Fprintln(out, "no snapshots: take one with 'meshctl snapshot create NAME'")
					return
				}
				printSnapshots(out, ss)
			})
		},
	}
	g.jsonFlag(cmd, "an array of snapshots")
	return cmd
}
