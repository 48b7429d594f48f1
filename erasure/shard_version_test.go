package erasure

import (
	"bytes"
	"strings"
	"testing"
)

// asVersion1 rewrites a shard as version 1 wrote it: BLAKE3-256 checksum.
func asVersion1(shard []byte) []byte {
	b := bytes.Clone(shard)
	b[4] = 1
	sum := checksumOf(b[:HeaderSize], b[HeaderSize:])
	copy(b[sumAt:HeaderSize], sum[:])
	return b
}

func TestShardsOfVersion1StillVerifyAndDecodeBesideVersion2(t *testing.T) {
	s, pack := Scheme{3, 2}, testPack(123_457)
	shards := mustEncode(t, s, pack)
	if shards[0][4] != 2 {
		t.Fatalf("a new shard has version %d, want 2", shards[0][4])
	}
	old := asVersion1(shards[1])
	if bytes.Equal(old[sumAt:HeaderSize], shards[1][sumAt:HeaderSize]) {
		t.Fatal("version 1 and 2 checksums are equal: the version does not pick the hash")
	}
	if idx, err := Verify(old); idx != 1 || err != nil {
		t.Fatalf("Verify(version 1 shard) = %d, %v", idx, err)
	}
	got, err := Decode(s, [][]byte{nil, old, asVersion1(shards[2]), shards[3], nil})
	if err != nil || !bytes.Equal(got, pack) {
		t.Fatalf("decode of mixed versions failed: %v", err)
	}
}

func TestAFlippedByteFailsTheChecksumOfEitherVersion(t *testing.T) {
	shards := mustEncode(t, Scheme{2, 1}, testPack(70_001))
	for _, sh := range [][]byte{shards[0], asVersion1(shards[0])} {
		for _, at := range []int{7, HeaderSize, HeaderSize + 20_000, len(sh) - 1} {
			b := bytes.Clone(sh)
			b[at] ^= 0x01
			if _, err := Verify(b); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
				t.Errorf("version %d, byte %d flipped: Verify error = %v", sh[4], at, err)
			}
		}
	}
}

func TestAShardOfAnUnknownVersionIsRefusedByName(t *testing.T) {
	b := mustEncode(t, Scheme{2, 1}, testPack(1000))[0]
	b[4] = 3
	if _, err := Verify(b); err == nil || !strings.Contains(err.Error(), "shard version 3, want 1 or 2") {
		t.Fatalf("Verify error = %v", err)
	}
}

// BenchmarkShardChecksum compares the two versions' checksums over a
// shard of a 4 MiB pack coded 3+2.
func BenchmarkShardChecksum(b *testing.B) {
	shard := mustEncode(b, Scheme{3, 2}, testPack(4<<20))[0]
	for _, v := range []byte{1, 2} {
		b.Run(map[byte]string{1: "v1-blake3", 2: "v2-xxh3"}[v], func(b *testing.B) {
			sh := bytes.Clone(shard)
			sh[4] = v
			b.SetBytes(int64(len(sh)))
			for b.Loop() {
				checksum(sh)
			}
		})
	}
}
