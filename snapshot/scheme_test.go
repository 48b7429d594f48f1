package snapshot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
)

func TestDatasetECSchemeIsUsedAndHealthCountsSitesReallyLost(t *testing.T) {
	c := startCluster(t, 3)
	e := c.Node("s1").Hot()
	if _, err := e.Create(context.Background(), api.CreateDataset{Name: "db", Primary: "s1", Replicas: []string{"s2"}, Mode: hot.ModeSync, EC: "4+2"}); err != nil {
		t.Fatal(err)
	}
	putFile(t, c, "db", "f", randomBytes(9, 1<<20))
	s := snap(t, c, "db")
	if s.Scheme != "4+2" {
		t.Fatalf("scheme %s, want the dataset's 4+2", s.Scheme)
	}
	// 6 shards on 3 sites: 2 each; losing any one site leaves 4 = k.
	if h := c.Node("s1").Snapshots().Health(s); h.Survives != 1 || h.Designed != 1 || h.Degraded != 0 {
		t.Fatalf("health %+v, want survives 1 of designed 1", h)
	}
	c.Kill("s3")
	waitDead(t, c, "s1", "s3")
	if h := c.Node("s1").Snapshots().Health(s); h.Survives != 0 || h.Degraded == 0 {
		t.Fatalf("health with a site down %+v, want survives 0", h)
	}
}

func TestInvalidECSchemeIsRefusedNamingTheFlag(t *testing.T) {
	c := startCluster(t, 2)
	_, err := c.Node("s1").Hot().Create(context.Background(), api.CreateDataset{Name: "db", Primary: "s1", Replicas: []string{"s2"}, EC: "4-2"})
	if err == nil {
		t.Fatal("an invalid --ec was accepted")
	}
	if want := "--ec"; !contains(err.Error(), want) {
		t.Fatalf("error %q does not name %s", err, want)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
