package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newDatasetUpdateCmd(g *globals) *cobra.Command {
	var req api.UpdateDataset
	cmd := &cobra.Command{
		Use:   "update NAME [--replicas SITE[,SITE...]] [--mode sync|async] [--ec K+M]",
		Short: "Change a dataset's replica sites or mode; a new replica catches up by itself",
		Example: `  meshctl dataset update web --replicas tokyo,lima,oslo
  meshctl dataset update web --mode async
  meshctl dataset update web --ec 4+2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkUpdate(args[0], req); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			d, err := c.UpdateDataset(cmd.Context(), args[0], req)
			if err != nil {
				return err
			}
			return g.emit(cmd, d, func(out io.Writer) {
				fmt.Fprintf(out, "dataset %s: primary %s, replicas %s, mode %s\n", d.Name, d.Primary, strings.Join(d.Replicas, ","), d.Mode)
			})
		},
	}
	cmd.Flags().StringSliceVar(&req.Replicas, "replicas", nil, "the full new list of replica sites")
	cmd.Flags().StringVar(&req.Mode, "mode", "", "sync or async")
	cmd.Flags().StringVar(&req.EC, "ec", "", "erasure coding of later snapshots, K+M")
	g.jsonFlag(cmd, "the updated dataset")
	return cmd
}

func checkUpdate(name string, req api.UpdateDataset) error {
	if err := checkName(name); err != nil {
		return err
	}
	if req.Replicas == nil && req.Mode == "" && req.EC == "" {
		return errors.New("nothing to update: give --replicas, --mode or --ec")
	}
	if req.Mode != "" {
		if err := checkMode(req.Mode); err != nil {
			return err
		}
	}
	if req.Replicas != nil {
		return checkSites(req.Replicas)
	}
	return nil
}
