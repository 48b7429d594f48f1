package erasure

import (
	"bytes"
	"testing"
)

// CopyAt reads the same bytes as the pack, whether they lie inside one
// payload or span several, with any m shards missing; a range outside
// the pack is refused.
func TestPartsCopyAtReadsThePacksBytesWithinOrAcrossPayloads(t *testing.T) {
	s, pack := Scheme{3, 2}, testPack(10_007)
	shards := mustEncode(t, s, pack)
	shards[0], shards[4] = nil, nil
	p, err := DecodePartsVerified(s, shards)
	if err != nil {
		t.Fatal(err)
	}
	if p.Len() != len(pack) || !bytes.Equal(p.Bytes(), pack) {
		t.Fatalf("pack of %d bytes decoded as %d", len(pack), p.Len())
	}
	for _, r := range [][2]int{{0, 0}, {0, 1}, {0, 3336}, {3330, 10}, {3000, 4000}, {1, 10_006}, {10_000, 7}, {10_007, 0}} {
		got := make([]byte, r[1])
		if err := p.CopyAt(got, r[0]); err != nil || !bytes.Equal(got, pack[r[0]:r[0]+r[1]]) {
			t.Errorf("bytes %d+%d: %v, differ from the pack's", r[0], r[1], err)
		}
	}
	if err := p.CopyAt(make([]byte, 8), 10_000); err == nil {
		t.Error("a range past the pack's end was copied")
	}
	if err := p.CopyAt(make([]byte, 8), -1); err == nil {
		t.Error("a range before the pack's start was copied")
	}
}
