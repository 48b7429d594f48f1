package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/policy"
)

type forgetFlags struct {
	req    api.Forget
	within string
}

func newSnapshotForgetCmd(g *globals) *cobra.Command {
	var f forgetFlags
	cmd := &cobra.Command{
		Use:   "forget NAME --keep-last N | --keep-hourly N | ... [--dry-run]",
		Short: "Drop the snapshots of a dataset that no --keep-* rule keeps (restic's rules); prune then frees their packs",
		Example: `  meshctl snapshot forget web --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --dry-run
  meshctl snapshot forget web --keep-last 3 --keep-tag release
  meshctl snapshot forget web --keep-within 30d --json | jq -r '.[] | select(.keep | not) | .snapshot.id'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.req.Dataset = args[0]
			if err := f.check(); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			ds, err := c.ForgetSnapshots(cmd.Context(), f.req)
			if err != nil {
				return err
			}
			return g.emit(cmd, orEmpty(ds), func(out io.Writer) { printDecisions(out, ds, f.req.DryRun) })
		},
	}
	fl := cmd.Flags()
	for _, k := range []struct {
		name string
		p    *int
		what string
	}{{"keep-last", &f.req.KeepLast, "the N newest snapshots"}, {"keep-hourly", &f.req.KeepHourly, "the newest snapshot of each of the last N hours that have one"},
		{"keep-daily", &f.req.KeepDaily, "... of the last N days"}, {"keep-weekly", &f.req.KeepWeekly, "... of the last N weeks"},
		{"keep-monthly", &f.req.KeepMonthly, "... of the last N months"}, {"keep-yearly", &f.req.KeepYearly, "... of the last N years"}} {
		fl.IntVar(k.p, k.name, 0, "keep "+k.what+" (-1: unlimited)")
	}
	fl.StringVar(&f.within, "keep-within", "", "keep every snapshot taken within D of the newest, e.g. 72h or 30d")
	fl.StringArrayVar(&f.req.KeepTags, "keep-tag", nil, "keep every snapshot with tag T (repeat for several)")
	fl.BoolVar(&f.req.DryRun, "dry-run", false, "only print what would be kept and forgotten")
	g.jsonFlag(cmd, "each snapshot's decision, newest first")
	return cmd
}

// check parses --keep-within and refuses rules that keep nothing.
func (f *forgetFlags) check() error {
	if err := checkName(f.req.Dataset); err != nil {
		return err
	}
	r := policy.Retention{Last: f.req.KeepLast, Hourly: f.req.KeepHourly, Daily: f.req.KeepDaily,
		Weekly: f.req.KeepWeekly, Monthly: f.req.KeepMonthly, Yearly: f.req.KeepYearly, Tags: f.req.KeepTags}
	if f.within != "" {
		d, err := parseWithin(f.within)
		if err != nil {
			return err
		}
		r.Within, f.req.KeepWithin = d, d.String()
	}
	return r.Validate()
}

// parseWithin reads a Go duration, allowing a leading number of days:
// 30d, 1d12h, 72h.
func parseWithin(s string) (time.Duration, error) {
	bad := fmt.Errorf("--keep-within %q is not a duration: use e.g. 72h, 30d or 1d12h", s)
	var days time.Duration
	rest := s
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, bad
		}
		days, rest = time.Duration(n)*24*time.Hour, s[i+1:]
	}
	if rest == "" {
		return days, nil
	}
	d, err := time.ParseDuration(rest)
	if err != nil {
		return 0, bad
	}
	return days + d, nil
}

func printDecisions(out io.Writer, ds []api.ForgetDecision, dryRun bool) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tTAGS\tACTION\tREASONS")
	forgot := 0
	for _, d := range ds {
		action := "keep"
		if !d.Keep {
			action, forgot = "forget", forgot+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shortID(d.Snapshot.ID), d.Snapshot.Time.Local().Format(time.DateTime),
			dash(strings.Join(d.Snapshot.Tags, ",")), action, dash(strings.Join(d.Reasons, ", ")))
	}
	tw.Flush()
	switch {
	case dryRun:
		fmt.Fprintf(out, "dry run: would keep %d, forget %d; nothing was changed\n", len(ds)-forgot, forgot)
	case forgot > 0:
		fmt.Fprintf(out, "kept %d, forgot %d; run 'meshctl snapshot prune' to free their packs\n", len(ds)-forgot, forgot)
	default:
		fmt.Fprintf(out, "kept all %d\n", len(ds))
	}
}
