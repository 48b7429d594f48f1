package hot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/meshvault/meshvault/hot"
)

func TestSyncWriteIsOnEveryReplicaWhenAcknowledged(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeSync, "s2", "s3")
	data := randomBytes(1, 3<<20)
	put(t, c, "s1", "docs", "a/b/report.bin", data)
	for _, s := range []string{"s2", "s3"} {
		if got := read(t, c, s, "docs", "a/b/report.bin"); !bytes.Equal(got, data) {
			t.Fatalf("%s holds %d bytes that differ from the %d acknowledged", s, len(got), len(data))
		}
	}
}

func TestAsyncReplicasConvergeToThePrimarysTree(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "logs", "s1", hot.ModeAsync, "s2", "s3")
	for i := range 20 {
		put(t, c, "s1", "logs", strings.Repeat("d/", i%4)+"f"+string(rune('a'+i)), randomBytes(uint64(i), 10_000*i))
	}
	if _, err := engine(c, "s1").Remove(context.Background(), "logs", "d/fb"); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "logs", "s1", "s2", "s3")
}

func TestSyncWriteWithNoReplicaReachableIsRefusedAndChangesNothing(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeSync, "s2", "s3")
	put(t, c, "s1", "docs", "keep", []byte("v1"))
	c.Kill("s2")
	c.Kill("s3")
	waitFor(t, "s1 sees both replicas dead", func() (bool, string) {
		st := c.StatesSeenBy("s1")
		return st["s2"] == "dead" && st["s3"] == "dead", string(st["s2"]) + " " + string(st["s3"])
	})
	before, _ := engine(c, "s1").Position("docs")
	_, err := engine(c, "s1").Put(context.Background(), "docs", "keep", hot.File{Body: strings.NewReader("v2")})
	if err == nil || !strings.Contains(err.Error(), "no replica can be reached") {
		t.Fatalf("sync write with no replica: %v", err)
	}
	if after, _ := engine(c, "s1").Position("docs"); after != before || string(read(t, c, "s1", "docs", "keep")) != "v1" {
		t.Fatal("the refused write changed the dataset")
	}
}

func TestBadPathsAreRefusedWithAMessageNamingTheProblem(t *testing.T) {
	c := startCluster(t, 2)
	create(t, c, "docs", "s1", hot.ModeAsync, "s2")
	for _, p := range []string{"../etc/passwd", "/abs", "a/../../b", ""} {
		_, err := engine(c, "s1").Put(context.Background(), "docs", p, hot.File{Body: strings.NewReader("x")})
		if err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
}

func TestReplicaThatWasDownCatchesUpFromTheLog(t *testing.T) {
	c := startCluster(t, 3)
	create(t, c, "docs", "s1", hot.ModeAsync, "s2", "s3")
	put(t, c, "s1", "docs", "before", []byte("1"))
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
	c.Kill("s3")
	for i := range 10 {
		put(t, c, "s1", "docs", "while-down/"+string(rune('a'+i)), randomBytes(uint64(i), 100_000))
	}
	if err := c.Restart(ctxFor(t, 20e9), "s3"); err != nil {
		t.Fatal(err)
	}
	waitSameDigest(t, c, "docs", "s1", "s2", "s3")
}
