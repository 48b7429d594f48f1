package hot_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
)

func TestConcurrentWritesTakeEveryPositionOnceAndAllLandOnTheReplica(t *testing.T) {
	c := startCluster(t, 2)
	create(t, c, "d", "s1", hot.ModeSync, "s2")
	const writers, each = 8, 30
	var mu sync.Mutex
	seen := map[uint64]string{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				p := fmt.Sprintf("w%d/f%02d", w, i)
				op, err := engine(c, "s1").Put(context.Background(), "d", p, hot.File{Mode: 0o644, MTime: time.Unix(1e9, 0), Body: bytes.NewReader([]byte(p))})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if other, dup := seen[op.Pos]; dup {
					t.Errorf("position %d given to %s and %s", op.Pos, other, p)
				}
				seen[op.Pos] = p
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for pos := uint64(1); pos <= writers*each; pos++ {
		if _, ok := seen[pos]; !ok {
			t.Fatalf("position %d was never given: %d writes took %d positions", pos, writers*each, len(seen))
		}
	}
	st, err := engine(c, "s1").Status("d")
	if err != nil || st.Position != writers*each {
		t.Fatalf("primary at position %d (%v), want %d", st.Position, err, writers*each)
	}
	waitSameDigest(t, c, "d", "s1", "s2")
	for pos, p := range seen {
		if got := read(t, c, "s2", "d", p); string(got) != p {
			t.Fatalf("%s (position %d) on the replica holds %q", p, pos, got)
		}
	}
}
