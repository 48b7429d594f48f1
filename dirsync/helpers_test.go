package dirsync_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
)

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func startCluster(t *testing.T, n int) *simulations.Cluster {
	t.Helper()
	return simulations.Start(t, simulations.Options{N: n})
}

func engine(c *simulations.Cluster, site string) *hot.Engine { return c.Node(site).Hot() }

func create(t *testing.T, c *simulations.Cluster, name, primary string, replicas ...string) {
	t.Helper()
	_, err := engine(c, primary).Create(context.Background(), api.CreateDataset{Name: name, Primary: primary, Replicas: replicas, Mode: hot.ModeSync})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "every site knows "+name, func() (bool, string) {
		for _, s := range c.Running() {
			if _, err := engine(c, s).Dataset(name); err != nil {
				return false, s + ": " + err.Error()
			}
		}
		return true, ""
	})
}

func waitFor(t *testing.T, what string, check func() (bool, string)) {
	t.Helper()
	if err := simulations.WaitFor(ctxFor(t, 20*time.Second), what, check); err != nil {
		t.Fatal(err)
	}
}

var mtime = time.Unix(1700000000, 5)

func put(t *testing.T, e *hot.Engine, name, path, body string, mode os.FileMode) {
	t.Helper()
	_, err := e.Put(context.Background(), name, path, hot.File{Mode: mode, MTime: mtime, Body: bytes.NewReader([]byte(body))})
	if err != nil {
		t.Fatal(err)
	}
}

func logger(t *testing.T) *slog.Logger { return slog.New(slog.NewTextHandler(testWriter{t}, nil)) }

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(bytes.TrimSpace(b)))
	return len(b), nil
}

// tree describes everything under dir: path → mode, mtime, and a file's
// content, or a link's target and its own mtime.
func tree(dir string) (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if fi.IsDir() {
			out[filepath.ToSlash(rel)] = fmt.Sprintf("%v %d", fi.Mode(), fi.ModTime().UnixNano())
			return nil
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			out[filepath.ToSlash(rel)] = fmt.Sprintf("-> %s %d", target, fi.ModTime().UnixNano())
			return err
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = fmt.Sprintf("%v %d %q", fi.Mode(), fi.ModTime().UnixNano(), b)
		return err
	})
	return out, err
}

// datasetTree describes the dataset at a site the same way.
func datasetTree(e *hot.Engine, name string) (map[string]string, error) {
	list, err := e.List(name, "")
	out := map[string]string{}
	for _, fe := range list {
		if fe.Target != "" {
			out[fe.Path] = fmt.Sprintf("-> %s %d", fe.Target, fe.MTime.UnixNano())
			continue
		}
		if os.FileMode(fe.Mode).IsDir() {
			out[fe.Path] = fmt.Sprintf("%v %d", os.FileMode(fe.Mode), fe.MTime.UnixNano())
			continue
		}
		f, err := e.Open(name, fe.Path)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		err = f.Copy(&b)
		f.Close()
		if err != nil {
			return nil, err
		}
		out[fe.Path] = fmt.Sprintf("%v %d %q", os.FileMode(fe.Mode), fe.MTime.UnixNano(), b.Bytes())
	}
	return out, err
}

// sameMirror compares a mirror's tree with its dataset's, leaving out
// the directories the mirror made for paths the dataset has no
// directory entry for.
func sameMirror(mirror, dataset map[string]string) (bool, string) {
	for p, v := range mirror {
		if _, ok := dataset[p]; !ok && strings.HasPrefix(v, "d") {
			delete(mirror, p)
		}
	}
	return same(mirror, dataset)
}

func same(a, b map[string]string) (bool, string) {
	if fmt.Sprint(a) == fmt.Sprint(b) {
		return true, ""
	}
	return false, fmt.Sprintf("\n got %v\nwant %v", a, b)
}

func hotLink(target string) hot.File { return hot.File{MTime: mtime, Target: target} }
