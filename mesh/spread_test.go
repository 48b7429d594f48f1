package mesh_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/meshvault/meshvault/mesh"
)

// dropDatagrams loses every gossip datagram: only memberlist's reliable
// (TCP) channel carries state.
type dropDatagrams struct{}

func (dropDatagrams) Link(from, to string) mesh.Link { return mesh.Link{Drop: true} }

func TestSpreadDeliversABurstOfEntriesWithoutGossipOrPushPull(t *testing.T) {
	key := newKey(t)
	quiet := func(c *mesh.Config) {
		c.Profile.PushPullInterval = time.Hour // no periodic full-state exchange
		c.Faults = dropDatagrams{}
	}
	a := startMesh(t, testSite{site: "a", key: key, tune: quiet})
	b := startMesh(t, testSite{site: "b", key: key, join: []string{a.GossipAddr()}, tune: quiet})
	waitAlive(t, a, "b")
	waitAlive(t, b, "a")
	keys := make([]string, 700) // more than one spread message
	for i := range keys {
		keys[i] = fmt.Sprintf("pack-%03d", i)
		if _, err := a.Cluster().Set("pack", keys[i], []byte(`{"sites":["a","b"]}`)); err != nil {
			t.Fatal(err)
		}
	}
	a.Cluster().Spread("pack", keys)
	deadline := time.Now().Add(10 * time.Second)
	for len(b.Cluster().List("pack")) < len(keys) {
		if time.Now().After(deadline) {
			t.Fatalf("b holds %d of the %d spread entries", len(b.Cluster().List("pack")), len(keys))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
