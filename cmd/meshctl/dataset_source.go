package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

type dirSetter func(c *api.Client, ctx context.Context, name string, d api.Directory) (api.Directory, error)

func newDatasetSourceCmd(g *globals) *cobra.Command {
	cmd := newDatasetDirCmd(g, "source", (*api.Client).Source)
	cmd.Short = "Feed the dataset from a directory on the node's machine"
	cmd.Long = `Tell the node to feed the dataset from DIR, a directory on the node's own
machine. meshctl makes DIR absolute against its own working directory, so
run it on that machine or pass an absolute DIR.`
	cmd.Example = `  meshctl dataset source web --dir /srv/www`
	return cmd
}

// newDatasetDirCmd builds source and mirror, which both send one
// directory, made absolute, and print what the node answered.
func newDatasetDirCmd(g *globals, verb string, set dirSetter) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:  verb + " NAME --dir DIR",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := checkDir(args[0], dir)
			if err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			got, err := set(c, cmd.Context(), args[0], d)
			if err != nil {
				return err
			}
			return g.emit(cmd, got, func(out io.Writer) { fmt.Fprintf(out, "%s of %s: %s\n", verb, args[0], got.Dir) })
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "the directory, on the node's machine (required)")
	g.jsonFlag(cmd, "the node's answer")
	return cmd
}

func checkDir(name, dir string) (api.Directory, error) {
	if err := checkName(name); err != nil {
		return api.Directory{}, err
	}
	if dir == "" {
		return api.Directory{}, errors.New("--dir is required: the directory on the node's machine, e.g. --dir /srv/data")
	}
	abs, err := filepath.Abs(dir)
	return api.Directory{Dir: abs}, err
}
