package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

func TestChunksSweepFreesAnOverwrittenFilesBytesAndSaysHowMany(t *testing.T) {
	c := startCluster(t)
	if _, err := at(c, "paris", "dataset", "create", "vm", "--primary", "paris", "--replicas", "tokyo", "--mode", "sync"); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "disk.img")
	for range 2 { // the second put replaces the first's bytes
		b := make([]byte, 2<<20)
		rand.Read(b)
		os.WriteFile(src, b, 0o640)
		if _, err := at(c, "paris", "put", "vm", "disk.img", src); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.WaitReplicated(ctx, "paris", "vm"); err != nil {
		t.Fatal(err)
	}
	out, err := at(c, "paris", "chunks", "sweep", "--json")
	var res api.ChunkSweep
	if err != nil || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("chunks sweep --json: %v %s", err, out)
	}
	if res.Site != "paris" || res.FreedChunks == 0 || res.FreedBytes < 2<<20 || res.LiveChunks == 0 {
		t.Fatalf("sweep = %+v, want the first version's 2 MiB freed and the second's kept", res)
	}
	text, err := at(c, "tokyo", "chunks", "sweep")
	if err != nil || !strings.HasPrefix(text, "tokyo: freed ") {
		t.Fatalf("chunks sweep at the replica: %v %q", err, text)
	}
	got := filepath.Join(t.TempDir(), "got.img")
	if _, err := at(c, "tokyo", "get", "vm", "disk.img", "-o", got); err != nil {
		t.Fatal(err)
	}
	if a, b := mustRead(t, src), mustRead(t, got); string(a) != string(b) {
		t.Fatal("the replica's file differs from the last version put after the sweep")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
