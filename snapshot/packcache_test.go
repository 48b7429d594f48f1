package snapshot

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/meshvault/meshvault/erasure"
	"github.com/meshvault/meshvault/store/bufpool"
)

// heldPack is a 3+2 pack of 3×part bytes whose data shards sit in pool
// buffers, as a restore's fetch leaves them.
func heldPack(t *testing.T, pool *bufpool.Pool, part int) (erasure.Parts, *fetch, []byte) {
	t.Helper()
	pack := make([]byte, 3*part)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range pack {
		pack[i] = byte(rng.Uint32())
	}
	s := erasure.Scheme{K: 3, M: 2}
	shards, err := erasure.Encode(s, pack)
	if err != nil {
		t.Fatal(err)
	}
	f := &fetch{bufs: pool, held: make([][]byte, 3)}
	for i := range 3 {
		f.held[i] = pool.Get()[:0]
		shards[i] = append(f.held[i], shards[i]...)
	}
	parts, err := erasure.DecodePartsVerified(s, shards)
	if err != nil {
		t.Fatal(err)
	}
	return parts, f, pack
}

func TestARestoreLetsGoOfEachPartOfAPackAfterItsLastRead(t *testing.T) {
	const part = 100 << 10
	pool := bufpool.New(part+erasure.HeaderSize, 8)
	defer pool.Close()
	parts, f, pack := heldPack(t, pool, part)
	a := &chunkRef{Off: 0, Len: 50 << 10}         // part 0
	b := &chunkRef{Off: 50 << 10, Len: 100 << 10} // parts 0 and 1
	again := &chunkRef{Off: 0, Len: 50 << 10}     // a, deduplicated into a later file
	c := &packCache{slots: map[string]*packSlot{}, bufs: pool}
	s := &packSlot{data: parts, fetched: f, refs: []*chunkRef{a, b, again}, uses: 3}
	c.countPartReads(s)
	if pool.Out() != 2 {
		t.Fatalf("%d shard buffers out once the pack came, want 2: no read needs part 2", pool.Out())
	}
	steps := []struct {
		ref     *chunkRef
		out     int
		dropped int // a part now refused, or -1
	}{{a, 2, -1}, {b, 1, 1}, {again, 0, 0}}
	for _, st := range steps {
		got := make([]byte, st.ref.Len)
		if err := s.data.CopyAt(got, st.ref.Off); err != nil || !bytes.Equal(got, pack[st.ref.Off:st.ref.Off+st.ref.Len]) {
			t.Fatalf("read of %d+%d: %v", st.ref.Off, st.ref.Len, err)
		}
		c.end(s, st.ref)
		if pool.Out() != st.out {
			t.Fatalf("after the read of %d+%d, %d shard buffers out, want %d", st.ref.Off, st.ref.Len, pool.Out(), st.out)
		}
		if st.dropped >= 0 && parts.CopyAt(make([]byte, 1), st.dropped*part) == nil {
			t.Fatalf("part %d can still be read after its last read", st.dropped)
		}
	}
}
