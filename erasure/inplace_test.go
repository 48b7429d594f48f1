package erasure

import (
	"bytes"
	"testing"
)

func TestEncodeInPlaceInADirtyReusedBufferGivesTheShardsOfEncodeWithoutCopyingThePack(t *testing.T) {
	s := Scheme{K: 3, M: 2}
	buf := bytes.Repeat([]byte{0xAA}, InPlaceSize(s, 10_000)) // old bytes everywhere
	for _, n := range []int{1, 2, 9_998, 10_000} {
		pack := testPack(n)
		copy(buf, pack)
		shards, err := EncodeInPlace(buf[:n], n, s)
		if err != nil {
			t.Fatal(err)
		}
		want := mustEncode(t, s, pack)
		for i := range shards {
			if got := shards[i].Bytes(); !bytes.Equal(got, want[i]) {
				t.Fatalf("pack of %d: shard %d differs from Encode's", n, i)
			}
			if _, err := Verify(shards[i].Bytes()); err != nil {
				t.Fatalf("pack of %d: shard %d: %v", n, i, err)
			}
		}
		if &shards[0].Payload[0] != &buf[0] {
			t.Fatalf("pack of %d: the first data payload is not the pack's own memory", n)
		}
	}
}

func TestEncodeInPlaceRefusesABufferTooSmallForItsParity(t *testing.T) {
	s := Scheme{K: 3, M: 2}
	pack := testPack(9_000)
	if _, err := EncodeInPlace(pack, len(pack), s); err == nil {
		t.Fatal("coded a pack in a buffer with no room for its parity")
	}
}
