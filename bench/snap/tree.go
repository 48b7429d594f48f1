package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// fileMeta is what the ingest wait compares: size and mtime, and
// whether it is a directory (whose size is 0, as the dataset keeps it).
type fileMeta struct {
	size  int64
	mtime time.Time
	dir   bool
}

// scanTree maps each regular file and directory under root (slash
// paths) to its meta.
func scanTree(root string) (map[string]fileMeta, error) {
	out := map[string]fileMeta{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		m := fileMeta{size: info.Size(), mtime: info.ModTime(), dir: d.IsDir()}
		if m.dir {
			m.size = 0
		}
		out[filepath.ToSlash(rel)] = m
		return nil
	})
	return out, err
}

// differs counts the entries of got that are not in want with the same
// size and mtime (to the millisecond), and says how many are missing.
func differs(want map[string]fileMeta, got []api.FileEntry) (bad int, summary string) {
	seen := 0
	for _, e := range got {
		m, ok := want[e.Path]
		d := e.MTime.Sub(m.mtime)
		if !ok || m.size != e.Size || d > time.Millisecond || d < -time.Millisecond {
			bad++
			continue
		}
		seen++
	}
	missing := len(want) - seen
	return bad + missing, fmt.Sprintf("%d of %d files and directories present and equal, %d wrong or extra", seen, len(want), bad)
}

// dirBytes is the apparent size of every file under dir, like du -sb.
func dirBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil // Pebble removes files as it compacts
			}
			return err
		}
		if info, ierr := d.Info(); ierr == nil && !d.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n, err
}

// sameContent compares every file of want with the file of the same
// name under got, byte for byte, every directory's mtime, and that got
// has nothing else.
func sameContent(want, got string) error {
	w, err := scanTree(want)
	if err != nil {
		return err
	}
	g, err := scanTree(got)
	if err != nil {
		return err
	}
	if len(w) != len(g) {
		return fmt.Errorf("%s has %d files, %s has %d", got, len(g), want, len(w))
	}
	for p, m := range w {
		if m.dir {
			if gm := g[p]; !gm.dir || !gm.mtime.Equal(m.mtime) {
				return fmt.Errorf("%s: restored as %+v, want directory with mtime %v", p, gm, m.mtime)
			}
			continue
		}
		if err := sameFile(filepath.Join(want, p), filepath.Join(got, p)); err != nil {
			return err
		}
	}
	return nil
}

func sameFile(a, b string) error {
	fa, err := os.Open(a)
	if err != nil {
		return err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return err
	}
	defer fb.Close()
	ba, bb := make([]byte, 1<<20), make([]byte, 1<<20)
	for {
		na, ea := io.ReadFull(fa, ba)
		nb, eb := io.ReadFull(fb, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return fmt.Errorf("%s differs from %s", b, a)
		}
		if ea != nil || eb != nil {
			return nil
		}
	}
}
