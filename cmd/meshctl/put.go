package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node/api"
)

func newPutCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "put NAME PATH FILE",
		Short: "Write FILE (- for stdin) as PATH in a dataset, with its mode and mtime; a symlink goes as a symlink",
		Example: `  meshctl put web index.html ./site/index.html
  tar -c site | meshctl put web backups/site.tar -
  meshctl put web current ./current   # ./current is a symlink: PATH becomes one too`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkNamePath(args[0], args[1]); err != nil {
				return err
			}
			c, err := g.client(cmd)
			if err != nil {
				return err
			}
			res, err := g.put(cmd, c, args[0], args[1], args[2])
			if err != nil {
				return err
			}
			return g.emit(cmd, res, func(out io.Writer) { printWrite(out, "wrote", res) })
		},
	}
	g.jsonFlag(cmd, "the write's path, size, position and epoch")
	return cmd
}

// put sends file, stdin if "-", as the dataset's path.
func (g *globals) put(cmd *cobra.Command, c *api.Client, name, path, file string) (api.WriteResult, error) {
	if file == "-" {
		return g.upload(cmd, c, name, path, cmd.InOrStdin(), -1, 0o644, time.Now())
	}
	info, err := os.Lstat(file)
	switch {
	case err != nil:
		return api.WriteResult{}, err
	case info.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(file)
		if err != nil {
			return api.WriteResult{}, err
		}
		return c.Symlink(cmd.Context(), name, path, target)
	case info.IsDir():
		return api.WriteResult{}, fmt.Errorf("%s is a directory: put sends one file; to feed a dataset from a directory use: meshctl dataset source %s --dir %s", file, name, file)
	}
	return g.putFile(cmd, c, name, path, file)
}

func (g *globals) putFile(cmd *cobra.Command, c *api.Client, name, path, file string) (api.WriteResult, error) {
	f, err := os.Open(file)
	if err != nil {
		return api.WriteResult{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return api.WriteResult{}, err
	}
	size := info.Size()
	if !info.Mode().IsRegular() {
		size = -1
	}
	return g.upload(cmd, c, name, path, f, size, info.Mode(), info.ModTime())
}

func (g *globals) upload(cmd *cobra.Command, c *api.Client, name, path string, r io.Reader, size int64, mode os.FileMode, mtime time.Time) (api.WriteResult, error) {
	bar := newProgress(cmd, g.json, size, "put "+path)
	defer bar.done()
	return c.Put(cmd.Context(), name, path, bar.reader(r), size, mode, mtime)
}

func printWrite(out io.Writer, verb string, res api.WriteResult) {
	fmt.Fprintf(out, "%s %s (%s) at position %d, epoch %d\n", verb, res.Path, bytesHuman(uint64(res.Size)), res.Position, res.Epoch)
}

func checkNamePath(name, path string) error {
	if err := checkName(name); err != nil {
		return err
	}
	return checkPath(path)
}
