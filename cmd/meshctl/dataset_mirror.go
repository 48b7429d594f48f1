package main

import (
	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newDatasetMirrorCmd(g *globals) *cobra.Command {
	cmd := newDatasetDirCmd(g, "mirror", (*api.Client).Mirror)
	cmd.Short = "Keep a copy of the dataset in a directory on the node's machine"
	cmd.Long = `Tell the node to keep DIR, a directory on the node's own machine, a copy
of the dataset as it replicates. meshctl makes DIR absolute against its own
working directory, so run it on that machine or pass an absolute DIR.`
	cmd.Example = `  meshctl dataset mirror web --dir /srv/www-replica`
	return cmd
}
