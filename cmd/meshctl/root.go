package main

import (
	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node"
	"github.com/meshvault/meshvault/node/api"
)

// globals are the flags every command that talks to a node shares.
type globals struct {
	data   string
	api    string
	token  string
	json   bool
	getenv func(string) string
}

func newRootCmd(getenv func(string) string) *cobra.Command {
	g := &globals{getenv: getenv}
	root := &cobra.Command{
		Use:   "meshctl",
		Short: "Operate a Meshvault mesh: members, status, datasets, snapshots, failover",
		Long: `meshctl talks to one node's API. It finds the node with --data DIR (it reads
DIR/api.addr and DIR/api.token), or with --api ADDR --token TOKEN (also
MESHCTL_API and MESHCTL_TOKEN).`,
		Example: `  meshctl mesh init --key-file /etc/meshvault/mesh.key
  meshctl --data /var/lib/meshvault members
  meshctl --api 127.0.0.1:7480 --token "$(cat /var/lib/meshvault/api.token)" status --json`,
		Version:       api.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.data, "data", node.DefaultDataDir(), "the node's data dir (meshctl reads api.addr and api.token there)")
	pf.StringVar(&g.api, "api", "", "node API address HOST:PORT (env MESHCTL_API); overrides --data")
	pf.StringVar(&g.token, "token", "", "node API bearer token (env MESHCTL_TOKEN); overrides --data")
	root.AddCommand(newMeshCmd(), newMembersCmd(g), newStatusCmd(g), newPingCmd(g), newDatasetCmd(g), newChunksCmd(g),
		newPutCmd(g), newGetCmd(g), newRmCmd(g), newLsCmd(g), newFailoverCmd(g), newSwitchoverCmd(g), newSnapshotCmd(g), newRestoreCmd(g))
	return root
}
