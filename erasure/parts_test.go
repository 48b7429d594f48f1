package erasure

import (
	"bytes"
	"testing"
)

// A slice of a decoded pack reads the same bytes as the pack, whether it
// lies inside one payload (in place) or spans several (copied), with any
// m shards missing; a range outside the pack is refused.
func TestPartsSliceReadsThePacksBytesInPlaceOrAcrossPayloads(t *testing.T) {
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
	var scratch []byte
	for _, r := range [][2]int{{0, 0}, {0, 1}, {0, 3336}, {3330, 10}, {3000, 4000}, {1, 10_006}, {10_000, 7}, {10_007, 0}} {
		got, err := p.Slice(r[0], r[1], &scratch)
		if err != nil || !bytes.Equal(got, pack[r[0]:r[0]+r[1]]) {
			t.Errorf("bytes %d+%d: %v, differ from the pack's", r[0], r[1], err)
		}
	}
	if _, err := p.Slice(10_000, 8, &scratch); err == nil {
		t.Error("a range past the pack's end was returned")
	}
}
