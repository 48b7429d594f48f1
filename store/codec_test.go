package store_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/klauspost/compress/zstd"

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

// words is text drawn from a small vocabulary, as the benchmark tree's
// text files are: compressible, with only short repeats.
func words(seed uint64, n int) []byte {
	vocab := strings.Fields("replica primary epoch chunk mesh site vote log the a of and to in is write")
	rng := rand.New(rand.NewPCG(seed, 7))
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(vocab[rng.IntN(len(vocab))])
		b.WriteByte(" \n"[min(rng.IntN(12), 1)^1])
	}
	return b.Bytes()[:n]
}

func TestCodecRoundTripsChunksOfEverySizeAroundTheProbe(t *testing.T) {
	c, err := store.NewCodec()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	text := words(1, store.ChunkMax)
	for _, n := range []int{0, 1, 32 << 10, 128<<10 - 1, 128 << 10, 128<<10 + 1, 512 << 10, store.ChunkMax} {
		for name, data := range map[string][]byte{"text": text[:n], "random": randomChunk(uint64(n), n)} {
			got, err := c.Decode(c.Encode(data))
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%s of %d bytes: round trip failed (%v)", name, n, err)
			}
		}
	}
}

func TestCodecKeepsTheProbeAsAFrameAtAlmostNoCostInSize(t *testing.T) {
	c, err := store.NewCodec()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	text := words(2, 512<<10)
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithWindowSize(store.ChunkMax), zstd.WithEncoderCRC(false))
	oneFrame := len(enc.EncodeAll(text, nil)) + 1
	stored := c.Encode(text)
	if stored[0] != store.StoredZstd || len(stored) > oneFrame+oneFrame/100 {
		t.Fatalf("text stored as format %d in %d bytes; as one frame it takes %d", stored[0], len(stored), oneFrame)
	}
}

func BenchmarkCodecEncodeText(b *testing.B) {
	c, err := store.NewCodec()
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	text, dst := words(3, 512<<10), make([]byte, 0, store.ChunkMax+64)
	b.SetBytes(int64(len(text)))
	var n int
	for b.Loop() {
		n = len(c.EncodeTo(dst, text))
	}
	b.ReportMetric(float64(n)/float64(len(text)), "ratio")
}
