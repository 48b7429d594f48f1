package hot_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
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

func create(t *testing.T, c *simulations.Cluster, name, primary, mode string, replicas ...string) {
	t.Helper()
	_, err := engine(c, primary).Create(context.Background(), api.CreateDataset{Name: name, Primary: primary, Replicas: replicas, Mode: mode})
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

func put(t *testing.T, c *simulations.Cluster, site, name, path string, data []byte) hot.Op {
	t.Helper()
	op, err := engine(c, site).Put(context.Background(), name, path, hot.File{Mode: 0o640, MTime: time.Unix(1700000000, 5), Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func read(t *testing.T, c *simulations.Cluster, site, name, path string) []byte {
	t.Helper()
	f, err := engine(c, site).Open(name, path)
	if err != nil {
		t.Fatalf("%s: %v", site, err)
	}
	defer f.Close()
	var b bytes.Buffer
	if err := f.Copy(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// waitSameDigest waits until every site holds the same tree as want.
func waitSameDigest(t *testing.T, c *simulations.Cluster, name, from string, sites ...string) {
	t.Helper()
	waitFor(t, name+" equal everywhere", func() (bool, string) {
		want, n, _ := engine(c, from).Digest(name)
		var saw []string
		ok := true
		for _, s := range sites {
			got, m, _ := engine(c, s).Digest(name)
			saw = append(saw, fmt.Sprintf("%s:%d files %.8s", s, m, got))
			ok = ok && got == want
		}
		return ok, fmt.Sprintf("%s has %d files %.8s; %s", from, n, want, strings.Join(saw, " "))
	})
}

func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}
