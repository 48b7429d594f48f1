package snapshot_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/policy"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

// BenchmarkSnapshotAndRestore64MiB measures a first snapshot of 64 MiB
// (16 files, half compressible) on 5 in-process sites, and its restore.
func BenchmarkSnapshotAndRestore64MiB(b *testing.B) {
	c, err := simulations.New(simulations.Options{Dir: b.TempDir(), N: 5})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	e := c.Node("s1").Hot()
	if _, err := e.Create(ctx, api.CreateDataset{Name: "d", Primary: "s1", Replicas: []string{"s2"}, Mode: hot.ModeAsync}); err != nil {
		b.Fatal(err)
	}
	for i := range 16 {
		data := randomBytes(uint64(i), 4<<20)
		if i%2 == 0 {
			data = bytes.Repeat([]byte(fmt.Sprintf("line %d of a log\n", i)), 4<<20/16)[:4<<20]
		}
		e.Put(ctx, "d", fmt.Sprintf("f%d", i), hot.File{Mode: 0o644, MTime: time.Unix(1e9, 0), Body: bytes.NewReader(data)})
	}
	b.SetBytes(64 << 20)
	b.ResetTimer()
	for range b.N {
		dedup := c.Node("s1").Snapshots()
		s, err := dedup.Create(ctx, "d", nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Node("s1").Snapshots().Restore(ctx, snapshot.RestoreOptions{Snapshot: s.ID, Dir: b.TempDir()}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c.Node("s1").Snapshots().Forget(ctx, "d", policyKeepNone(), false)
		b.StartTimer()
	}
}

func policyKeepNone() policy.Retention { return policy.Retention{Tags: []string{"none"}} }
