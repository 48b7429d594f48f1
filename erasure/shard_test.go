package erasure

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

func testPack(n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(n)})
	r.Read(b)
	return b
}

func mustEncode(t testing.TB, s Scheme, pack []byte) [][]byte {
	shards, err := Encode(s, pack)
	if err != nil {
		t.Fatal(err)
	}
	return shards
}

func TestEncodeDecodeRoundTripsAnySchemeAndSize(t *testing.T) {
	for _, s := range []Scheme{{1, 1}, {2, 1}, {2, 2}, {3, 2}, {4, 2}, {10, 4}} {
		for _, size := range []int{0, 1, 2, 1000, 4<<20 + 13} {
			pack := testPack(size)
			shards := mustEncode(t, s, pack)
			if len(shards) != s.Shards() {
				t.Fatalf("%s: %d shards", s, len(shards))
			}
			for i, sh := range shards {
				if idx, err := Verify(sh); idx != i || err != nil {
					t.Fatalf("%s size %d: Verify(shard %d) = %d, %v", s, size, i, idx, err)
				}
			}
			got, err := Decode(s, shards)
			if err != nil || !bytes.Equal(got, pack) {
				t.Fatalf("%s size %d: round trip failed: %v", s, size, err)
			}
		}
	}
}

func TestDecodeRebuildsWithAnyMShardsMissing(t *testing.T) {
	s, pack := Scheme{3, 2}, testPack(100_003)
	shards := mustEncode(t, s, pack)
	for a := range 5 {
		for b := a; b < 5; b++ { // b == a: one missing
			in := append([][]byte(nil), shards...)
			in[a], in[b] = nil, nil
			got, err := Decode(s, in)
			if err != nil || !bytes.Equal(got, pack) {
				t.Fatalf("missing %d,%d: %v", a, b, err)
			}
		}
	}
}

func TestDecodeDetectsAndRoutesAroundCorruptTruncatedOrForeignShards(t *testing.T) {
	s, pack := Scheme{3, 2}, testPack(9_999)
	other := mustEncode(t, Scheme{2, 3}, testPack(9_999))
	for _, tc := range []struct {
		name   string
		damage func(b []byte) []byte
		errHas string
	}{
		{"flipped payload byte", func(b []byte) []byte { b[HeaderSize+5] ^= 0x10; return b }, "checksum mismatch"},
		{"flipped pack length", func(b []byte) []byte { b[15] ^= 1; return b }, "checksum mismatch"},
		{"flipped index", func(b []byte) []byte { b[7] ^= 1; return b }, "checksum mismatch"},
		{"truncated", func(b []byte) []byte { return b[:len(b)-1] }, "truncated"},
		{"header only", func(b []byte) []byte { return b[:HeaderSize-1] }, "not a shard"},
		{"bad magic", func(b []byte) []byte { b[0] = 'X'; return b }, "not a shard"},
		{"bad version", func(b []byte) []byte { b[4] = 9; return b }, "version"},
		{"from another scheme", func([]byte) []byte { return bytes.Clone(other[4]) }, ""},
	} {
		shards := mustEncode(t, s, pack)
		shards[0], shards[1] = tc.damage(shards[0]), nil
		if _, err := Verify(shards[0]); tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)) {
			t.Errorf("%s: Verify error = %v, want %q", tc.name, err, tc.errHas)
		}
		got, err := Decode(s, shards)
		if err != nil || !bytes.Equal(got, pack) {
			t.Errorf("%s: decode around it failed: %v", tc.name, err)
		}
	}
}

func TestDecodeAcceptsShardsInAnyOrderAndIgnoresDuplicates(t *testing.T) {
	s, pack := Scheme{4, 2}, testPack(77_777)
	shards := mustEncode(t, s, pack)
	in := [][]byte{shards[5], shards[3], shards[3], nil, shards[0], shards[4]}
	if got, err := Decode(s, in); err != nil || !bytes.Equal(got, pack) {
		t.Fatalf("decode failed: %v", err)
	}
}

func TestDecodeWithMPlusOneMissingFailsSayingHowManyItHasAndNeeds(t *testing.T) {
	s := Scheme{3, 2}
	shards := mustEncode(t, s, testPack(5000))
	shards[0], shards[2] = nil, nil
	shards[4][HeaderSize] ^= 1
	_, err := Decode(s, shards)
	want := "cannot rebuild 3+2 pack: 2 valid shards of 5 given, need 3"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want it to contain %q", err, want)
	}
}

func TestEncodeAndDecodeRejectInvalidSchemes(t *testing.T) {
	if _, err := Encode(Scheme{0, 2}, []byte("x")); err == nil {
		t.Error("Encode accepted 0+2")
	}
	if _, err := Decode(Scheme{3, 0}, nil); err == nil {
		t.Error("Decode accepted 3+0")
	}
}

func BenchmarkEncode4plus2_4MiB(b *testing.B) {
	pack := testPack(4 << 20)
	b.SetBytes(int64(len(pack)))
	for b.Loop() {
		mustEncode(b, Scheme{4, 2}, pack)
	}
}

func BenchmarkDecodeWith2Missing(b *testing.B) {
	s, pack := Scheme{4, 2}, testPack(4<<20)
	shards := mustEncode(b, s, pack)
	shards[0], shards[2] = nil, nil
	b.SetBytes(int64(len(pack)))
	for b.Loop() {
		if _, err := Decode(s, shards); err != nil {
			b.Fatal(err)
		}
	}
}

// DecodePartsVerified trusts checksums already checked, not headers: a
// shard of another scheme, a truncated one or a duplicate is still dropped.
func TestDecodePartsVerifiedRebuildsAndStillDropsForeignTruncatedOrRepeatedShards(t *testing.T) {
	s, pack := Scheme{3, 2}, testPack(9_999)
	other := mustEncode(t, Scheme{2, 3}, testPack(9_999))
	shards := mustEncode(t, s, pack)
	shards[0] = bytes.Clone(other[4])               // another scheme
	shards[1] = shards[1][:len(shards[1])-1]        // truncated
	shards = append(shards, bytes.Clone(shards[2])) // a repeat of index 2
	got, err := DecodePartsVerified(s, shards)
	if err != nil || !bytes.Equal(got.Bytes(), pack) {
		t.Fatalf("rebuild from shards 2, 3, 4: %v", err)
	}
	shards[4] = nil
	if _, err := DecodePartsVerified(s, shards); err == nil || !strings.Contains(err.Error(), "2 valid shards") {
		t.Fatalf("with only 2 good shards: %v, want an error counting 2 valid shards", err)
	}
}

func TestInspectSaysWhatAShardsHeaderHoldsAndRefusesADamagedOne(t *testing.T) {
	s, pack := Scheme{3, 2}, testPack(100_003)
	shards := mustEncode(t, s, pack)
	info, err := Inspect(shards[4])
	if err != nil || info != (ShardInfo{Scheme: s, Index: 4, PackLen: len(pack)}) {
		t.Fatalf("Inspect(shard 4) = %+v, %v; want scheme 3+2, index 4, length %d", info, err, len(pack))
	}
	if _, err := Inspect(shards[1][:len(shards[1])-1]); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("Inspect of a truncated shard: %v, want truncated", err)
	}
	shards[2][HeaderSize+7] ^= 1
	if _, err := Inspect(shards[2]); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Fatalf("Inspect of a flipped shard: %v, want checksum mismatch", err)
	}
}
