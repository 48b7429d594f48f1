package dirsync_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// Through the node's API, with only fsnotify to follow the source (the
// default rescan is 30s, longer than the wait).
func TestNodeAPIStartsSourceAndMirror(t *testing.T) {
	c := startCluster(t, 2)
	s0, s1 := c.Names()[0], c.Names()[1]
	create(t, c, "db", s0, s1)
	client := func(s string) *api.Client { return api.NewClient(c.Node(s).APIAddr(), c.Node(s).Token()) }
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, b := t.TempDir(), t.TempDir()
	write(t, b, "stale.txt", "x")
	if _, err := client(s1).Mirror(ctx, "db", api.Directory{Dir: b}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("mirror into non-empty dir: err = %v", err)
	}
	must(t, os.Remove(filepath.Join(b, "stale.txt")))
	if got, err := client(s0).Source(ctx, "db", api.Directory{Dir: a}); err != nil || got.Dir != a {
		t.Fatalf("source: %v %v", got, err)
	}
	if _, err := client(s1).Mirror(ctx, "db", api.Directory{Dir: b}); err != nil {
		t.Fatal(err)
	}
	write(t, a, "x/y.txt", "why")
	waitMirror(t, b, func() (map[string]string, error) { return tree(a) })
	must(t, os.Rename(filepath.Join(a, "x"), filepath.Join(a, "z")))
	waitMirror(t, b, func() (map[string]string, error) { return tree(a) })
}
