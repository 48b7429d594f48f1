package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/node/api"
)

// putFiles writes each file of root named in rel to the dataset "delta"
// at n, one after another, and returns the bytes sent.
func putFiles(ctx context.Context, n *harness.Node, root string, rel []string) (int64, error) {
	var sent int64
	for _, p := range rel {
		size, err := putFile(ctx, n, root, p)
		if err != nil {
			return sent, fmt.Errorf("put %s: %w", p, err)
		}
		sent += size
	}
	return sent, nil
}

func putFile(ctx context.Context, n *harness.Node, root, rel string) (int64, error) {
	f, err := os.Open(filepath.Join(root, rel))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	_, err = n.API.Put(ctx, "delta", rel, f, st.Size(), st.Mode(), st.ModTime())
	return st.Size(), err
}

// checkTree compares the dataset as n lists it with the files under
// root: same paths and sizes.
func checkTree(ctx context.Context, n *harness.Node, root string) error {
	want := map[string]int64{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		rel, _ := filepath.Rel(root, p)
		want[filepath.ToSlash(rel)] = info.Size()
		return err
	})
	if err != nil {
		return err
	}
	got, err := n.API.List(ctx, "delta", "")
	if err != nil {
		return fmt.Errorf("list at %s: %w", n.Site, err)
	}
	return compareTree(n.Site, want, got)
}

func compareTree(site string, want map[string]int64, got []api.FileEntry) error {
	bad := 0
	files := 0
	for _, e := range got {
		if os.FileMode(e.Mode).IsDir() {
			continue // the source keeps directories too; the tree compared is its files'
		}
		files++
		if size, ok := want[e.Path]; !ok || size != e.Size {
			bad++
		}
	}
	if bad > 0 || files != len(want) {
		return fmt.Errorf("%s's copy differs from the source tree: %d files, want %d; %d wrong", site, files, len(want), bad)
	}
	return nil
}

// dataDirBytes is the size of n's data dir as its /v1/status reports it.
func dataDirBytes(ctx context.Context, n *harness.Node) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, harness.RequestTimeout)
	defer cancel()
	st, err := n.API.Status(ctx)
	return st.DataDirBytes, err
}
