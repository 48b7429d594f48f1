package dirsync

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/store"
)

// tmpPrefix starts the names of files being written into a mirror.
const tmpPrefix = ".meshvault-tmp-"

// tmpName is a fresh temporary name in the directory of p.
func tmpName(p string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return path.Join(path.Dir(p), tmpPrefix+hex.EncodeToString(b))
}

// writeEntry replaces p in root with en atomically; body writes the bytes.
func writeEntry(root *os.Root, en hot.Entry, body func(io.Writer) error) error {
	p := en.Path
	if err := root.MkdirAll(path.Dir(p), 0o755); err != nil {
		return err
	}
	tmp := tmpName(p)
	var err error
	if en.FileMode()&os.ModeSymlink != 0 {
		err = makeLink(root, tmp, en)
	} else {
		err = writeTemp(root, tmp, en, body)
	}
	if err == nil {
		err = root.Rename(tmp, p)
	}
	if err != nil {
		_ = root.Remove(tmp)
		return fmt.Errorf("write %s: %w", p, err)
	}
	return syncDir(root, path.Dir(p))
}

func writeTemp(root *os.Root, tmp string, en hot.Entry, body func(io.Writer) error) error {
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	err = body(f)
	if err == nil {
		err = f.Chmod(permBits(en.FileMode()))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Chtimes(tmp, en.MTime, en.MTime)
	}
	return err
}

// makeLink makes the symlink tmp with en's target and mtime, its
// directory opened through root so that no link on the way is followed.
func makeLink(root *os.Root, tmp string, en hot.Entry) error {
	if err := root.Symlink(en.Target, tmp); err != nil {
		return err
	}
	d, err := root.Open(path.Dir(tmp))
	if err != nil {
		return err
	}
	defer d.Close()
	return store.SetLinkTimeAt(d, path.Base(tmp), en.MTime)
}

func permBits(m os.FileMode) os.FileMode {
	return m & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)
}

func syncDir(root *os.Root, dir string) error {
	d, err := root.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeEntry deletes p from root and prunes parents left empty, up to
// the first the dataset keeps as a directory. A directory at p that still
// holds files is left: their removals prune it.
func removeEntry(root *os.Root, p string, keep func(dir string) bool) error {
	if err := root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) && !isNotEmpty(err) {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	for d := path.Dir(p); d != "." && !keep(d); d = path.Dir(d) {
		if root.Remove(d) != nil { // not empty, or gone
			break
		}
	}
	return nil
}
