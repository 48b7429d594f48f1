package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/simulations"
)

func newRootCmd() *cobra.Command {
	var o simulations.DrillOptions
	var fileKiB int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "meshdrill [--sites N] [--kill SITE,...] [--json]",
		Short: "Run a DR drill on a local mesh: kill sites, then time detection, failover, restore and repair",
		Long: `Starts a mesh of real nodes on 127.0.0.1 in this process (sites s1..sN),
creates a sync hot dataset (primary s1, replica s2), writes files to it,
takes an erasure-coded snapshot, then kills the --kill sites at once. It
reports the time until every survivor saw them dead, until a survivor
was promoted primary (and whether it then took writes), the acknowledged
files the new primary lacks (must be 0 for sync), the snapshot's restore
at a survivor and the files it did not bring back byte for byte (must be
0 with at most m sites killed), and the repair that gives the snapshot
its redundancy back. Nothing outside a temporary directory is touched.`,
		Example: `  meshdrill                          # 5 sites; kill the primary s1 and s3
  meshdrill --kill s1,s2             # every hot copy: only the snapshot brings the files back
  meshdrill --sites 6 --kill s1,s4 --json | jq .detect_s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.FileSize = fileKiB << 10
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			rep, err := simulations.RunDrill(ctx, o)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			printReport(cmd.OutOrStdout(), rep)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Sites, "sites", 5, "sites in the mesh (s1..sN)")
	f.StringSliceVar(&o.Kill, "kill", []string{"s1", "s3"}, "sites to kill at once")
	f.IntVar(&o.Files, "files", 200, "files written to the dataset")
	f.IntVar(&fileKiB, "file-kib", 64, "size of each file in KiB")
	f.Int64Var(&o.Seed, "seed", 0, "seed of the data and of random faults (0: from the clock; the report gives it)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func printReport(out io.Writer, r simulations.DrillReport) {
	fmt.Fprintf(out, "drill: %d sites, killed %v, snapshot scheme %s (seed %d)\n", r.Sites, r.Killed, r.Scheme, r.Seed)
	fmt.Fprintf(out, "  loss detected by every survivor   %.3f s\n", r.DetectSeconds)
	switch {
	case r.NewPrimary != "":
		fmt.Fprintf(out, "  failed over to %-18s %.3f s (writes after: %s)\n", r.NewPrimary, r.FailoverSeconds, writes(r))
	case r.HotFilesLost > 0:
		fmt.Fprintf(out, "  no hot copy survived: no failover\n")
	default:
		fmt.Fprintf(out, "  primary survived: no failover\n")
	}
	fmt.Fprintf(out, "  hot files lost                    %d\n", r.HotFilesLost)
	fmt.Fprintf(out, "  snapshot restored at %-12s %.3f s, files lost %d\n", r.RestoreAt, r.RestoreSeconds, r.SnapshotFilesLost)
	fmt.Fprintf(out, "  snapshot survives %d more losses as designed, %d after the kill, %d after repairing %d shards in %.3f s\n",
		r.SurvivesDesigned, r.SurvivesAfterLoss, r.SurvivesAfterRepair, r.RepairedShards, r.RepairSeconds)
	if r.FullRedundancy {
		fmt.Fprintf(out, "  back to full redundancy           %.3f s after the kill (detection + repair)\n", r.FullRedundancySeconds)
	} else {
		fmt.Fprintf(out, "  repaired %.3f s after the kill (detection + repair), to %d of the %d losses designed: too few sites left for full redundancy\n",
			r.FullRedundancySeconds, r.SurvivesAfterRepair, r.SurvivesDesigned)
	}
}

func writes(r simulations.DrillReport) string {
	if r.WritesAfterFailover {
		return "acknowledged"
	}
	return "refused: " + r.WriteRefused
}
