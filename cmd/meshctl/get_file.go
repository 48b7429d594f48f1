package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/store"
)

// writeFileAtomic writes r to dst through a temporary file in dst's
// directory that gets e's mode and mtime and is synced before it takes
// dst's name; on failure dst is untouched and the temporary file is gone.
// Without force an existing dst is never replaced.
func writeFileAtomic(dst string, r io.Reader, e api.FileEntry, force bool) error {
	tmp, err := makeTemp(dst, r, e)
	if err != nil {
		return err
	}
	if err := publish(tmp, dst, force); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(dst))
}

// makeTemp writes the content, or the symlink, next to dst and returns
// the temporary name.
func makeTemp(dst string, r io.Reader, e api.FileEntry) (string, error) {
	if e.Target != "" {
		tmp := filepath.Join(filepath.Dir(dst), fmt.Sprintf(".%s.meshctl-%d", filepath.Base(dst), rand.Uint64()))
		if err := os.Symlink(e.Target, tmp); err != nil || e.MTime.IsZero() {
			return tmp, err
		}
		return tmp, store.SetLinkTime(tmp, e.MTime)
	}
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".meshctl-*")
	if err != nil {
		return "", err
	}
	if err := fill(f, r, e); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// fill copies r into f, sets mode and mtime, syncs and closes f.
func fill(f *os.File, r io.Reader, e api.FileEntry) error {
	n, err := io.Copy(f, r)
	if err != nil {
		err = fmt.Errorf("get %s: %w", e.Path, err)
	} else {
		err = checkLength(n, e.Size)
	}
	if err == nil {
		err = f.Chmod(os.FileMode(e.Mode).Perm())
	}
	if err == nil && !e.MTime.IsZero() {
		err = os.Chtimes(f.Name(), e.MTime, e.MTime)
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// publish gives tmp the name dst. Without force it links rather than
// renames, so that a dst created meanwhile is not replaced either.
func publish(tmp, dst string, force bool) error {
	if force {
		return os.Rename(tmp, dst)
	}
	err := os.Link(tmp, dst)
	if errors.Is(err, fs.ErrExist) {
		return refuseOverwrite(dst)
	}
	if err != nil { // no hard links on this file system
		if _, serr := os.Lstat(dst); serr == nil {
			return refuseOverwrite(dst)
		}
		return os.Rename(tmp, dst)
	}
	os.Remove(tmp)
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
