package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newDatasetCreateCmd(g *globals) *cobra.Command {
	var req api.CreateDataset
	cmd := &cobra.Command{
		Use:   "create NAME --primary SITE --replicas SITE[,SITE...] [--mode sync|async]",
		Short: "Define a hot dataset: the site that takes its writes, the sites that replicate it, and how",
		Example: `  meshctl dataset create web --primary paris --replicas tokyo,lima
  meshctl dataset create logs --primary paris --replicas tokyo --mode async
  meshctl dataset create db --primary paris --replicas tokyo --ec 4+2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Name = args[0]
			if err := checkCreate(&req); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			d, err := c.CreateDataset(cmd.Context(), req)
			if err != nil {
				return err
			}
			return g.emit(cmd, d, func(out io.Writer) { printCreated(out, d) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Primary, "primary", "", "the site that takes the dataset's writes (required)")
	f.StringSliceVar(&req.Replicas, "replicas", nil, "the sites that replicate it, comma-separated (required)")
	f.StringVar(&req.Mode, "mode", "sync", "sync: a write returns once the replicas have it; async: at once")
	f.StringVar(&req.EC, "ec", "", "erasure coding of its snapshots, K+M (default: from the mesh size, e.g. 3+2 on 5 sites)")
	g.jsonFlag(cmd, "the new dataset")
	return cmd
}

// checkCreate validates req, trimming the spaces around site names.
func checkCreate(req *api.CreateDataset) error {
	req.Primary = strings.TrimSpace(req.Primary)
	for i, s := range req.Replicas {
		req.Replicas[i] = strings.TrimSpace(s)
	}
	if err := checkName(req.Name); err != nil {
		return err
	}
	if req.Primary == "" {
		return errors.New("--primary is required: the site that takes the dataset's writes, e.g. --primary paris")
	}
	if err := checkSites(req.Replicas); err != nil {
		return err
	}
	return checkMode(req.Mode)
}

func printCreated(out io.Writer, d api.Dataset) {
	fmt.Fprintf(out, "created dataset %s: primary %s, replicas %s, mode %s, epoch %d; snapshots coded %s\n",
		d.Name, d.Primary, strings.Join(d.Replicas, ","), d.Mode, d.Epoch, coding(d.EC))
}

// coding says how a dataset's snapshots are erasure-coded.
func coding(ec string) string {
	if ec == "" {
		return "by the default for the mesh size (2+1 on 3 sites, 2+2 on 4, 3+2 on 5, 4+2 on 6 or more)"
	}
	return ec
}
