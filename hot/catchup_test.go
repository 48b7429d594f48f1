package hot_test

import (
	"context"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
)

func TestReplicaBehindTheRetainedLogCatchesUpByStateTransferDeletesIncluded(t *testing.T) {
	c := simulations.Start(t, simulations.Options{N: 3, HotLogRetain: 4})
	create(t, c, "docs", "s1", hot.ModeAsync, "s2", "s3")
	put(t, c, "s1", "docs", "doomed", []byte("deleted while s3 is down"))
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	c.Kill("s3")
	if _, err := engine(c, "s1").Remove(context.Background(), "docs", "doomed"); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		put(t, c, "s1", "docs", string(rune('a'+i)), randomBytes(uint64(i), 20_000))
	}
	if err := c.Restart(ctxFor(t, 20*time.Second), "s3"); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	if _, err := engine(c, "s3").Stat("docs", "doomed"); err == nil {
		t.Fatal("a file deleted while the replica was down survived the state transfer")
	}
}

func TestReplicaAddedToADatasetCatchesUp(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeSync, "s2")
	for i := range 5 {
		put(t, c, "s1", "docs", string(rune('a'+i)), randomBytes(uint64(i), 30_000))
	}
	if _, err := engine(c, "s1").Update(context.Background(), "docs", api.UpdateDataset{Replicas: []string{"s2", "s3"}}); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
}

func TestReplicaKilledWhileReceivingALargeFileConvergesWithNoPartialFile(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "big", "s1", hot.ModeAsync, "s2", "s3")
	big := randomBytes(7, 48<<20)
	put(t, c, "s1", "big", "large.bin", big)
	c.Kill("s3") // most likely mid-transfer: the 48 MiB file is still being shipped
	if err := c.Restart(ctxFor(t, 20*time.Second), "s3"); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "big", "s1", "s2", "s3")
	if got := read(t, c, "s3", "big", "large.bin"); len(got) != len(big) {
		t.Fatalf("s3 holds %d bytes of %d", len(got), len(big))
	}
}
