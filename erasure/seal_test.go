package erasure

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func newTestSealer(t testing.TB, meshKey, dataset string) *Sealer {
	s, err := NewSealer(DeriveKey([]byte(meshKey), dataset))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestDeriveKeyDependsOnMeshKeyAndDataset(t *testing.T) {
	a := DeriveKey([]byte("mesh"), "photos")
	if a != DeriveKey([]byte("mesh"), "photos") {
		t.Fatal("not deterministic")
	}
	if a == DeriveKey([]byte("mesh"), "mail") || a == DeriveKey([]byte("mesh2"), "photos") {
		t.Fatal("keys collide across datasets or mesh keys")
	}
}

func TestSealOpenRoundTripsAndIncompressibleDataBarelyGrows(t *testing.T) {
	s := newTestSealer(t, "mesh", "photos")
	random := make([]byte, 1<<20+7)
	rand.Read(random)
	for _, tc := range []struct {
		name    string
		in      []byte
		maxSize int
	}{
		{"empty", nil, SealOverhead},
		{"one byte", []byte{42}, 1 + SealOverhead},
		{"compressible 1 MiB", bytes.Repeat([]byte("meshvault "), 1<<17), 1 << 12},
		{"random 1 MiB+7", random, len(random) + SealOverhead},
	} {
		sealed := s.Seal(tc.in, []byte("pack-1"))
		if len(sealed) > tc.maxSize {
			t.Errorf("%s: sealed %d bytes into %d, want ≤ %d", tc.name, len(tc.in), len(sealed), tc.maxSize)
		}
		got, err := s.Open(sealed, []byte("pack-1"))
		if err != nil || !bytes.Equal(got, tc.in) {
			t.Errorf("%s: round trip failed: %v", tc.name, err)
		}
	}
}

func TestOpenFailsOnWrongKeyTamperingOrWrongAdditionalData(t *testing.T) {
	s := newTestSealer(t, "mesh", "photos")
	sealed := s.Seal([]byte("the family photos, 2019"), []byte("pack-1"))
	flipped := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 1
		return b
	}
	for _, tc := range []struct {
		name   string
		opener *Sealer
		in, ad []byte
	}{
		{"wrong mesh key", newTestSealer(t, "other mesh", "photos"), sealed, []byte("pack-1")},
		{"other dataset's key", newTestSealer(t, "mesh", "mail"), sealed, []byte("pack-1")},
		{"flipped nonce byte", s, flipped(3), []byte("pack-1")},
		{"flipped ciphertext byte", s, flipped(30), []byte("pack-1")},
		{"flipped tag byte", s, flipped(len(sealed) - 1), []byte("pack-1")},
		{"truncated", s, sealed[:len(sealed)-1], []byte("pack-1")},
		{"too short", s, sealed[:10], []byte("pack-1")},
		{"wrong additional data", s, sealed, []byte("pack-2")},
	} {
		_, err := tc.opener.Open(tc.in, tc.ad)
		if !errors.Is(err, ErrAuth) {
			t.Errorf("%s: Open error = %v, want ErrAuth", tc.name, err)
		}
	}
	if ErrAuth.Error() != "erasure: authentication failed: wrong mesh key or corrupted data" {
		t.Errorf("unexpected message %q", ErrAuth)
	}
}

func BenchmarkSeal(b *testing.B) {
	s := newTestSealer(b, "mesh", "photos")
	chunk := make([]byte, 1<<20)
	rand.Read(chunk[:len(chunk)/2]) // half random, half zeros
	b.SetBytes(int64(len(chunk)))
	for b.Loop() {
		s.Seal(chunk, nil)
	}
}

// Open leaves its input as it was (a chunk may be opened again), while
// OpenInPlace decrypts in the sealed bytes' memory and decompresses into
// the buffer it is given, which the next chunk may reuse.
func TestOpenKeepsItsInputAndOpenInPlaceReusesTheCallersMemory(t *testing.T) {
	s := newTestSealer(t, "mesh", "photos")
	random := make([]byte, 300_001)
	rand.Read(random)
	text := bytes.Repeat([]byte("meshvault "), 40_000)
	plainBuf := make([]byte, 1<<20)
	for _, in := range [][]byte{text, random, text[:1000]} {
		sealed := s.Seal(in, []byte("c"))
		kept := bytes.Clone(sealed)
		if got, err := s.Open(sealed, []byte("c")); err != nil || !bytes.Equal(got, in) || !bytes.Equal(sealed, kept) {
			t.Fatalf("Open of %d bytes: %v, or it changed its input", len(in), err)
		}
		got, err := s.OpenInPlace(sealed, plainBuf, []byte("c"))
		if err != nil || !bytes.Equal(got, in) {
			t.Fatalf("OpenInPlace of %d bytes: %v, or the bytes differ", len(in), err)
		}
		inPlain := &got[0] == &plainBuf[0]
		inSealed := &got[0] == &sealed[SealOverhead-16]
		if !inPlain && !inSealed {
			t.Fatalf("OpenInPlace of %d bytes returned new memory", len(in))
		}
	}
}
