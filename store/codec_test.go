package store_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store"
)

func TestCodecCompressesTextAndKeepsRandomBytesAsTheyAre(t *testing.T) {
	c, err := store.NewCodec()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	text := []byte(strings.Repeat("a line of a log file, repeated\n", 20000))
	random := randomChunk(3, 600<<10)
	for name, data := range map[string][]byte{"text": text, "random": random} {
		stored := c.Encode(data)
		got, err := c.Decode(stored)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s: round trip failed: %v", name, err)
		}
		switch {
		case name == "text" && (stored[0] != store.StoredZstd || len(stored) > len(data)/10):
			t.Errorf("text stored as format %d in %d bytes of %d", stored[0], len(stored), len(data))
		case name == "random" && (stored[0] != store.StoredRaw || len(stored) != len(data)+1):
			t.Errorf("random bytes stored as format %d in %d bytes of %d", stored[0], len(stored), len(data))
		}
	}
}

func TestStoredChunkFromAPeerIsRefusedWhenItDoesNotMatchItsHash(t *testing.T) {
	db := openMem(t, vfs.NewMem())
	defer db.Close()
	c, _ := store.NewCodec()
	defer c.Close()
	data := []byte(strings.Repeat("chunk bytes ", 10000))
	stored := c.Encode(data)
	wrong := store.HashOf([]byte("something else"))
	if _, err := db.PutStoredChunk(db.NewBatch(), wrong, stored); err == nil {
		t.Fatal("a stored chunk whose bytes do not match its hash was accepted")
	}
	b := db.NewBatch()
	if ok, err := db.PutStoredChunk(b, store.HashOf(data), stored); !ok || err != nil {
		t.Fatalf("a good stored chunk was not kept: %v", err)
	}
	b.Commit()
	if got, err := db.Chunk(store.HashOf(data)); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %v", err)
	}
}
