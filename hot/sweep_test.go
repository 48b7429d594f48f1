package hot_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/store"
)

// chunksOf counts the distinct chunks of a put's entry.
func chunksOf(op hot.Op) int {
	seen := map[store.Hash]bool{}
	for _, c := range op.Entry.Chunks {
		seen[c.Hash] = true
	}
	return len(seen)
}

// waitAcked waits until the primary has every replica's ack of its head.
func waitAcked(t *testing.T, c *simulations.Cluster, primary, name string) {
	t.Helper()
	if err := c.WaitReplicated(ctxFor(t, 20*time.Second), primary, name); err != nil {
		t.Fatal(err)
	}
}

func sweepAt(t *testing.T, c *simulations.Cluster, site string) store.SweepStats {
	t.Helper()
	st, err := engine(c, site).SweepChunks(ctxFor(t, 20*time.Second))
	if err != nil {
		t.Fatalf("sweep at %s: %v", site, err)
	}
	return st
}

func TestAFilesOldBytesAreFreedAtEverySiteOnceEveryReplicaAppliedTheChange(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeAsync, "s2", "s3")
	old := put(t, c, "s1", "docs", "f", randomBytes(1, 3<<20))
	gone := put(t, c, "s1", "docs", "g", randomBytes(2, 2<<20))
	put(t, c, "s1", "docs", "f", randomBytes(3, 3<<20))
	if _, err := engine(c, "s1").Remove(context.Background(), "docs", "g"); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	waitAcked(t, c, "s1", "docs")
	want := chunksOf(old) + chunksOf(gone)
	for _, s := range []string{"s1", "s2", "s3"} {
		if st := sweepAt(t, c, s); st.Freed != want || st.FreedBytes < 5<<20 {
			t.Errorf("sweep at %s = %+v, want the %d chunks (5 MiB) of the overwritten and the deleted file", s, st, want)
		}
		if got := read(t, c, s, "docs", "f"); !bytes.Equal(got, randomBytes(3, 3<<20)) {
			t.Fatalf("%s: f reads %d bytes, not its current content", s, len(got))
		}
	}
}

func TestAReplicaThatIsDownKeepsTheChunksOfOpsItStillNeedsAtThePrimary(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeAsync, "s2", "s3")
	v1 := put(t, c, "s1", "docs", "f", randomBytes(10, 2<<20))
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	waitAcked(t, c, "s1", "docs")
	c.Kill("s3")
	v2 := put(t, c, "s1", "docs", "f", randomBytes(11, 2<<20))
	put(t, c, "s1", "docs", "f", randomBytes(12, 2<<20))
	if st := sweepAt(t, c, "s1"); st.Freed != chunksOf(v1) {
		t.Fatalf("sweep with s3 down = %+v, want only v1's %d chunks freed: v2's are in an op s3 has not applied", st, chunksOf(v1))
	}
	if err := c.Restart(ctxFor(t, 20*time.Second), "s3"); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	waitAcked(t, c, "s1", "docs")
	if st := sweepAt(t, c, "s1"); st.Freed != chunksOf(v2) {
		t.Fatalf("sweep once s3 caught up = %+v, want v2's %d chunks freed", st, chunksOf(v2))
	}
	if got := read(t, c, "s3", "docs", "f"); !bytes.Equal(got, randomBytes(12, 2<<20)) {
		t.Fatal("s3 does not hold f's current content")
	}
}

// A site that keeps no log op's chunks (SweepTreesOnly) has ops to ship
// whose chunks are gone: the shipper finds one missing and sends the
// replica the tree instead, and the replica converges.
func TestAReplicaWhoseMissedOpsLostTheirChunksCatchesUpByStateTransfer(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeAsync, "s2", "s3")
	put(t, c, "s1", "docs", "f", randomBytes(20, 1<<20))
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	c.Kill("s3")
	v2 := put(t, c, "s1", "docs", "f", randomBytes(21, 2<<20))
	put(t, c, "s1", "docs", "f", randomBytes(22, 2<<20))
	put(t, c, "s1", "docs", "other", randomBytes(23, 100_000))
	st, err := engine(c, "s1").SweepTreesOnly(ctxFor(t, 20*time.Second))
	if err != nil || st.Freed < chunksOf(v2) {
		t.Fatalf("sweep = %+v, %v: want v2's %d chunks freed though s3 has not applied it", st, err, chunksOf(v2))
	}
	if err := c.Restart(ctxFor(t, 20*time.Second), "s3"); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	if got := read(t, c, "s3", "docs", "f"); !bytes.Equal(got, randomBytes(22, 2<<20)) {
		t.Fatal("s3 does not hold f's current content")
	}
}

func TestADeletedDatasetsChunksAreFreedAtOnceWhereverItWasHeld(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "scratch", "s1", hot.ModeAsync, "s2")
	op := put(t, c, "s1", "scratch", "big", randomBytes(30, 3<<20))
	waitSameDigest(t, c, "scratch", "s1", "s2")
	if err := engine(c, "s1").Delete(context.Background(), "scratch", true); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"s1", "s2"} {
		waitFor(t, s+" freed the dataset's chunks", func() (bool, string) {
			tot := engine(c, s).SweepTotals()
			return tot.FreedChunks >= uint64(chunksOf(op)), fmt.Sprintf("%+v", tot)
		})
	}
}

func TestAFileOpenedBeforeItIsOverwrittenAndSweptReadsWholeAsItWas(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeSync, "s2")
	v1 := randomBytes(40, 2<<20)
	old := put(t, c, "s1", "docs", "f", v1)
	f, err := engine(c, "s2").Open("docs", "f")
	if err != nil {
		t.Fatal(err)
	}
	put(t, c, "s1", "docs", "f", randomBytes(41, 2<<20)) // sync: on s2 when acknowledged
	if st := sweepAt(t, c, "s2"); st.Freed != 0 {
		t.Fatalf("sweep with the old version open = %+v: it freed chunks an open file reads", st)
	}
	var got bytes.Buffer
	if err := f.Copy(&got); err != nil || !bytes.Equal(got.Bytes(), v1) {
		t.Fatalf("the open file read %d bytes (%v), want its version as opened", got.Len(), err)
	}
	f.Close()
	if st := sweepAt(t, c, "s2"); st.Freed != chunksOf(old) {
		t.Fatalf("sweep once it was closed = %+v, want the old version's %d chunks freed", st, chunksOf(old))
	}
}
