package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newLsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ls NAME [PREFIX]",
		Short: "List a dataset's files (mode, size, mtime, path, symlink target), optionally under PREFIX",
		Example: `  meshctl ls web
  meshctl ls web images/
  meshctl ls web --json | jq -r '.[] | select(.size > 1e9) | .path'`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, prefix := args[0], ""
			if len(args) == 2 {
				prefix = args[1]
			}
			if err := checkLs(name, prefix); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			es, err := c.List(cmd.Context(), name, prefix)
			if err != nil {
				return err
			}
			return g.emit(cmd, orEmpty(es), func(out io.Writer) { printEntries(out, es) })
		},
	}
	g.jsonFlag(cmd, "an array of entries")
	return cmd
}

func checkLs(name, prefix string) error {
	if err := checkName(name); err != nil {
		return err
	}
	return checkPrefix(prefix)
}

// printEntries prints one line per entry, like ls -l: mode, size (right
// aligned), local mtime, path and "-> target" for a symlink.
func printEntries(out io.Writer, es []api.FileEntry) {
	width := 1
	for _, e := range es {
		width = max(width, len(strconv.FormatInt(e.Size, 10)))
	}
	for _, e := range es {
		link := ""
		if e.Target != "" {
			link = " -> " + e.Target
		}
		fmt.Fprintf(out, "%s %*d %s %s%s\n", os.FileMode(e.Mode), width, e.Size,
			e.MTime.Local().Format(time.DateTime), e.Path, link)
	}
}
