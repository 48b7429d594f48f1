package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

type getFlags struct {
	out   string
	force bool
}

func newGetCmd(g *globals) *cobra.Command {
	var f getFlags
	cmd := &cobra.Command{
		Use:   "get NAME PATH [-o FILE] [--force]",
		Short: "Read PATH from a dataset to stdout, or to FILE atomically with its mode and mtime",
		Example: `  meshctl get web index.html
  meshctl get web backups/site.tar -o /tmp/site.tar
  meshctl get web index.html -o index.html --force --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(args[0], args[1], g.json); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			return g.get(cmd, c, args[0], args[1], f)
		},
	}
	cmd.Flags().StringVarP(&f.out, "output", "o", "", "write to FILE (through a temporary file, renamed once complete) instead of stdout")
	cmd.Flags().BoolVar(&f.force, "force", false, "replace FILE if it exists")
	g.jsonFlag(cmd, "(with -o) the file's entry")
	return cmd
}

// check refuses bad arguments, and an existing -o FILE without --force,
// before anything is fetched.
func (f getFlags) check(name, path string, asJSON bool) error {
	if err := checkNamePath(name, path); err != nil {
		return err
	}
	if f.out == "" {
		if asJSON {
			return errors.New("--json prints the file's entry and needs -o FILE: without -o the file's bytes go to stdout")
		}
		return nil
	}
	info, err := os.Lstat(f.out)
	switch {
	case err == nil && info.IsDir():
		return fmt.Errorf("%s is a directory: -o takes the file to write, e.g. -o %s/NAME", f.out, f.out)
	case err == nil && !f.force:
		return refuseOverwrite(f.out)
	}
	return nil
}

func (g *globals) get(cmd *cobra.Command, c *api.Client, name, path string, f getFlags) error {
	body, e, err := c.Get(cmd.Context(), name, path)
	if err != nil {
		return err
	}
	defer body.Close()
	bar := newProgress(cmd, g.json, e.Size, "get "+path)
	defer bar.done()
	if f.out == "" {
		return toStdout(cmd.OutOrStdout(), bar.reader(body), e)
	}
	if err := writeFileAtomic(f.out, bar.reader(body), e, f.force); err != nil {
		return err
	}
	if g.json {
		return writeJSON(cmd.OutOrStdout(), e)
	}
	return nil
}

func toStdout(out io.Writer, body io.Reader, e api.FileEntry) error {
	if e.Target != "" {
		return fmt.Errorf("%s is a symlink to %s and has no content: get its target, or use -o FILE to make the link", e.Path, e.Target)
	}
	n, err := io.Copy(out, body)
	if err != nil {
		err = fmt.Errorf("get %s: %w", e.Path, err)
	} else {
		err = checkLength(n, e.Size)
	}
	return err
}

func checkLength(got, want int64) error {
	if want >= 0 && got != want {
		return fmt.Errorf("got %d bytes of %d: the transfer was cut short; try again", got, want)
	}
	return nil
}

func refuseOverwrite(path string) error {
	return fmt.Errorf("%s exists: refusing to overwrite it; pass --force to replace it", path)
}
