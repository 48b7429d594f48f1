package dirsync_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/meshvault/meshvault/dirsync"
)

func TestSourceOnPrimaryAndMirrorOnReplicaEndEqual(t *testing.T) {
	c := startCluster(t, 2)
	s0, s1 := c.Names()[0], c.Names()[1]
	create(t, c, "db", s0, s1)
	a, b := t.TempDir(), filepath.Join(t.TempDir(), "dr")
	write(t, a, "etc/app.conf", "port=80\n")
	write(t, a, "data/1.bin", string(make([]byte, 300<<10)))
	must(t, os.Symlink("etc/app.conf", filepath.Join(a, "conf")))
	startSource(t, engine(c, s0), a, fast)
	m, err := dirsync.StartMirror(context.Background(), engine(c, s1), "db", b, logger(t))
	must(t, err)
	t.Cleanup(m.Stop)
	waitMirror(t, b, func() (map[string]string, error) { return tree(a) })

	write(t, a, "data/2.bin", "two")
	write(t, a, "etc/app.conf", "port=8080\n")
	must(t, os.Chmod(filepath.Join(a, "data/2.bin"), 0o600))
	must(t, os.Rename(filepath.Join(a, "data/1.bin"), filepath.Join(a, "data/old.bin")))
	must(t, os.Remove(filepath.Join(a, "conf")))
	waitMirror(t, b, func() (map[string]string, error) { return tree(a) })
}
