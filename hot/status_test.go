package hot_test

import (
	"context"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
)

func TestStatusOfAStoppedReplicaCountsTheOpsBytesAndSecondsItLacks(t *testing.T) {
	c := startCluster(t, 2)
	create(t, c, "d", "s1", hot.ModeAsync, "s2")
	put(t, c, "s1", "d", "applied", randomBytes(1, 1000))
	if err := c.WaitReplicated(ctxFor(t, 20*time.Second), "s1", "d"); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(context.Background(), "s2"); err != nil {
		t.Fatal(err)
	}
	written := time.Now()
	put(t, c, "s1", "d", "a", randomBytes(2, 300<<10))
	put(t, c, "s1", "d", "b", randomBytes(3, 700))
	time.Sleep(50 * time.Millisecond)
	st, err := engine(c, "s1").Status("d")
	if err != nil || len(st.Replicas) != 1 {
		t.Fatalf("status: %+v, %v", st, err)
	}
	r, since := st.Replicas[0], time.Since(written).Seconds()
	if r.LagOps != 2 || r.LagBytes != 300<<10+700 || r.LagSeconds < 0.05 || r.LagSeconds > since {
		t.Fatalf("replica lags %d ops, %d bytes, %.3f s; want 2 ops, %d bytes, 0.05–%.3f s", r.LagOps, r.LagBytes, r.LagSeconds, 300<<10+700, since)
	}
}
