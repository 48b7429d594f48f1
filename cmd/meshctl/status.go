package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newStatusCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show this node (site, peer ID, addresses, version, uptime, disk) and a mesh summary",
		Example: `  meshctl --data /var/lib/meshvault status
  meshctl status --json | jq .mesh`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			st, err := c.Status(cmd.Context())
			if err != nil {
				return err
			}
			if g.json {
				return writeJSON(cmd.OutOrStdout(), st)
			}
			printStatus(cmd.OutOrStdout(), st)
			return nil
		},
	}
	cmd.Flags().BoolVar(&g.json, "json", false, "print JSON")
	return cmd
}

func printStatus(out io.Writer, st api.Status) {
	fmt.Fprintf(out, "site:      %s (zone %s)\n", st.Site, dash(st.Zone))
	fmt.Fprintf(out, "peer ID:   %s\n", st.PeerID)
	fmt.Fprintf(out, "gossip:    %s\n", st.GossipAddr)
	fmt.Fprintf(out, "p2p:       %s\n", strings.Join(st.ListenAddrs, " "))
	fmt.Fprintf(out, "api:       %s\n", st.API)
	fmt.Fprintf(out, "version:   %s (profile %s)\n", st.Version, st.Profile)
	fmt.Fprintf(out, "uptime:    %s (since %s)\n", ago(time.Duration(st.UptimeSeconds*float64(time.Second))), st.StartedAt.Format(time.RFC3339))
	fmt.Fprintf(out, "data dir:  %s (%s used, %s free)\n", st.DataDir, bytesHuman(uint64(st.DataDirBytes)), bytesHuman(st.FreeBytes))
	m := st.Mesh
	fmt.Fprintf(out, "mesh:      %d sites: %d alive, %d suspect, %d dead, %d left\n", m.Sites, m.Alive, m.Suspect, m.Dead, m.Left)
}

func bytesHuman(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for x := n / unit; x >= unit; x /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
