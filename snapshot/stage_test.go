package snapshot

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func stagingEngine(t *testing.T) *Engine {
	return &Engine{cfg: Config{ShardDir: t.TempDir()}, site: "s1"}
}

func TestAStagedShardIsUnderItsFinalNameOnlyOnceCommitted(t *testing.T) {
	e := stagingEngine(t)
	const pack = "ab0123456789"
	if err := e.stageShard(pack, 2, []byte("head"), []byte("payload")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.getShard(nil, pack, 2); err == nil || e.ShardCount() != 0 {
		t.Fatalf("a staged shard is readable before its commit (count %d)", e.ShardCount())
	}
	if err := e.commitShards([]shardKey{{pack, 2}}); err != nil {
		t.Fatal(err)
	}
	got, err := e.getShard(nil, pack, 2)
	if err != nil || !bytes.Equal(got, []byte("headpayload")) {
		t.Fatalf("committed shard: %q, %v", got, err)
	}
	if _, err := os.Stat(e.stagedPath(pack, 2)); !os.IsNotExist(err) {
		t.Fatalf("the staged file is still there after the commit: %v", err)
	}
}

func TestACommitOfAShardNeverStagedHereFailsNamingItAndCommitsNothing(t *testing.T) {
	e := stagingEngine(t) // as after a restart that lost what was staged
	if err := e.stageShard("ab01", 0, []byte("kept")); err != nil {
		t.Fatal(err)
	}
	err := e.commitShards([]shardKey{{"ab01", 0}, {"cd02", 1}})
	if err == nil || !strings.Contains(err.Error(), "cd02.001") {
		t.Fatalf("commit of a missing shard: %v; want an error naming cd02's shard 1", err)
	}
	if _, err := e.getShard(nil, "ab01", 0); err == nil {
		t.Fatal("a failed commit left a shard under its final name")
	}
}
