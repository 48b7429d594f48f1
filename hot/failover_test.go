package hot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/simulations"
)

// waitPrimary waits until every running site sees a primary other than
// old, and returns it.
func waitPrimary(t *testing.T, c *simulations.Cluster, name, old string) string {
	t.Helper()
	var primary string
	waitFor(t, "a new primary of "+name, func() (bool, string) {
		var saw []string
		agreed := true
		primary = ""
		for _, s := range c.Running() {
			d, err := engine(c, s).Dataset(name)
			if err != nil {
				return false, err.Error()
			}
			saw = append(saw, fmt.Sprintf("%s: %s@%d", s, d.Primary, d.Epoch))
			if primary == "" {
				primary = d.Primary
			}
			agreed = agreed && d.Primary == primary && d.Primary != old
		}
		return agreed, strings.Join(saw, ", ")
	})
	return primary
}

func TestPrimaryDeathPromotesAReplicaThatHoldsEverySyncWrite(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeSync, "s2", "s3")
	acked := map[string][]byte{}
	for i := range 8 {
		p := fmt.Sprintf("f%d", i)
		acked[p] = randomBytes(uint64(i), 50_000)
		put(t, c, "s1", "docs", p, acked[p])
	}
	c.Kill("s1")
	primary := waitPrimary(t, c, "docs", "s1")
	for p, want := range acked {
		if got := read(t, c, primary, "docs", p); string(got) != string(want) {
			t.Fatalf("acknowledged write %s lost at the new primary %s", p, primary)
		}
	}
	put(t, c, primary, "docs", "after-failover", []byte("new epoch"))
	if d, _ := engine(c, primary).Dataset("docs"); d.Epoch < 2 || d.History[len(d.History)-1].Reason != "failover" {
		t.Fatalf("definition after failover: %+v", d)
	}
}

func TestReturningOldPrimaryBecomesAReplicaAndCatchesUp(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeSync, "s2", "s3")
	put(t, c, "s1", "docs", "a", []byte("1"))
	c.Kill("s1")
	primary := waitPrimary(t, c, "docs", "s1")
	put(t, c, primary, "docs", "b", []byte("2"))
	if err := c.Restart(ctxFor(t, 20*time.Second), "s1"); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "docs", primary, "s1", "s2", "s3")
	_, err := engine(c, "s1").Put(context.Background(), "docs", "c", hot.File{Body: strings.NewReader("x")})
	if err == nil || !strings.Contains(err.Error(), "not its primary") {
		t.Fatalf("old primary accepted a write after the new epoch: %v", err)
	}
}

func TestPartitionedOldPrimaryCannotAcknowledgeSyncWritesAfterNewEpoch(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeSync, "s2", "s3")
	put(t, c, "s1", "docs", "a", []byte("1"))
	c.Isolate("s1")
	waitFor(t, "s2 and s3 elect a new primary", func() (bool, string) {
		d, _ := engine(c, "s3").Dataset("docs")
		return d.Primary != "s1", d.Primary
	})
	_, err := engine(c, "s1").Put(context.Background(), "docs", "late", hot.File{Body: strings.NewReader("x")})
	if err == nil {
		t.Fatal("a partitioned old primary acknowledged a sync write after a new epoch began")
	}
}

func TestAsyncWritesOfAPartitionedOldPrimaryBecomeExactlyItsConflictSet(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeAsync, "s2", "s3")
	put(t, c, "s1", "docs", "shared", []byte("1"))
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	c.Isolate("s1")
	waitFor(t, "s2 and s3 elect a new primary", func() (bool, string) {
		d, _ := engine(c, "s2").Dataset("docs")
		return d.Primary != "s1", d.Primary
	})
	var late []string
	for i := range 3 {
		p := fmt.Sprintf("late-%d", i)
		put(t, c, "s1", "docs", p, []byte("written in the partition"))
		late = append(late, p)
	}
	c.Heal()
	d, _ := engine(c, "s2").Dataset("docs")
	waitSameDigest(t, c, "docs", d.Primary, "s1", "s2", "s3")
	conflicts, err := engine(c, "s1").Conflicts("docs")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, cf := range conflicts {
		got = append(got, cf.Path)
	}
	if strings.Join(got, ",") != strings.Join(late, ",") {
		t.Fatalf("conflict set %v, want exactly %v", got, late)
	}
}
