package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

type restoreFlags struct {
	req api.Restore
	at  string
}

func newRestoreCmd(g *globals) *cobra.Command {
	var f restoreFlags
	cmd := &cobra.Command{
		Use:   "restore NAME --to DIR [--snapshot ID | --at TIME] [--path PREFIX] [--overwrite] [--verify]",
		Short: "Restore a dataset's latest snapshot, or one by ID or time, into DIR on the node's machine",
		Long: `The node meshctl talks to rebuilds the snapshot from the shards on the
live sites and writes its files under DIR on its own machine: a file at
a/b in the dataset lands at DIR/a/b. Each file gets its mode and mtime,
each symlink its target, and each directory the snapshot holds (a
followed source's, empty ones too) its mode and mtime, set last. Nothing
is written if a file would be replaced, unless --overwrite, or if a pack
cannot be rebuilt; an existing directory is no conflict.`,
		Example: `  meshctl restore web --to /srv/web-restored
  meshctl restore web --snapshot 3f9a1c --to /srv/web --overwrite --verify
  meshctl restore web --at "2026-11-20 18:00:00" --path images/ --to /tmp/images`,
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
			res, err := g.restore(cmd, c, f.req)
			if err != nil {
				return err
			}
			return g.emit(cmd, res, func(out io.Writer) { printRestored(out, res, f.req.Dir) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.req.Dir, "to", "", "the directory to restore into, on the node's machine (required)")
	fl.StringVar(&f.req.Snapshot, "snapshot", "", "the snapshot ID or a unique prefix of it (default: the latest)")
	fl.StringVar(&f.at, "at", "", `the latest snapshot taken at or before TIME: RFC 3339, or local "2006-01-02 15:04:05" or "2006-01-02" (its 00:00)`)
	fl.StringVar(&f.req.Prefix, "path", "", "restore only the files under PREFIX")
	fl.BoolVar(&f.req.Overwrite, "overwrite", false, "replace files that exist under DIR")
	fl.BoolVar(&f.req.Verify, "verify", false, "re-read every file written and check its hashes")
	cmd.MarkFlagsMutuallyExclusive("snapshot", "at")
	g.jsonFlag(cmd, "only the summary")
	return cmd
}

// check validates the flags and makes --to absolute.
func (f *restoreFlags) check() error {
	if err := checkName(f.req.Dataset); err != nil {
		return err
	}
	if f.req.Dir == "" {
		return errors.New("--to is required: the directory to restore into, e.g. --to /srv/restore")
	}
	dir, err := filepath.Abs(f.req.Dir)
	if err != nil {
		return err
	}
	f.req.Dir = dir
	if err := checkPrefix(f.req.Prefix); err != nil {
		return err
	}
	if f.at != "" {
		f.req.At, err = parseAt(f.at)
	}
	return err
}

func parseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{time.DateTime, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf(`--at %q is not a time: use RFC 3339 (2026-11-20T18:00:00Z) or local "2026-11-20 18:00:00" or "2026-11-20"`, s)
}

// restore runs the restore, drawing a bar once the node reports the total.
func (g *globals) restore(cmd *cobra.Command, c *api.Client, req api.Restore) (api.RestoreResult, error) {
	var bar *progress
	defer func() { bar.done() }()
	return c.Restore(cmd.Context(), req, func(done, total int64) {
		if bar == nil {
			bar = newProgress(cmd, g.json, total, "restore "+req.Dataset)
		}
		bar.set(done)
	})
}

// set moves the bar to done bytes.
func (p *progress) set(done int64) {
	if p != nil {
		p.bar.Set64(done)
	}
}

func printRestored(out io.Writer, r api.RestoreResult, dir string) {
	verified := ""
	if r.Verified {
		verified = ", verified"
	}
	dirs := ""
	if r.Dirs > 0 {
		dirs = fmt.Sprintf(" and %d directories", r.Dirs)
	}
	fmt.Fprintf(out, "restored %d files%s, %s, of snapshot %s to %s in %s%s\n", r.Files, dirs,
		bytesHuman(uint64(r.Bytes)), r.Snapshot, dir, seconds(r.Seconds), verified)
	if len(r.ShardsAsked) > 0 {
		fmt.Fprintf(out, "  shards from %s\n", shardsFromLine(r.ShardsFrom, r.ShardsAsked))
	}
}

// shardsFromLine is "site-a 12, site-b 10, site-c 0 of 3 asked", sites
// sorted: a site asked more often than it gave says so.
func shardsFromLine(from, asked map[string]int) string {
	var parts []string
	for _, site := range slices.Sorted(maps.Keys(asked)) {
		part := fmt.Sprintf("%s %d", site, from[site])
		if asked[site] > from[site] {
			part += fmt.Sprintf(" of %d asked", asked[site])
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}
