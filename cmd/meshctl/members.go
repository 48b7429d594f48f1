package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newMembersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "members",
		Short: "List every site the node has seen, with its state (alive, suspect, dead, left)",
		Example: `  meshctl --data /var/lib/meshvault members
  meshctl members --json | jq -r '.[] | select(.state != "alive") | .site'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			ms, err := c.Members(cmd.Context())
			if err != nil {
				return err
			}
			if g.json {
				return writeJSON(cmd.OutOrStdout(), ms)
			}
			printMembers(cmd.OutOrStdout(), ms, time.Now())
			return nil
		},
	}
	cmd.Flags().BoolVar(&g.json, "json", false, "print a JSON array")
	return cmd
}

func printMembers(out io.Writer, ms []api.Member, now time.Time) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tZONE\tSTATE\tSINCE\tPEER ID\tADDRESSES")
	for _, m := range ms {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s ago\t%s\t%s\n", m.Site, dash(m.Zone), m.State,
			ago(now.Sub(m.Since)), m.PeerID, strings.Join(append([]string{m.GossipAddr}, m.Addrs...), " "))
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	case d < time.Hour:
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}
