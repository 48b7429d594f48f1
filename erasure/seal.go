package erasure

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"

	"github.com/meshvault/meshvault/store"
)

// ErrAuth is returned by Open when the sealed bytes do not authenticate.
var ErrAuth = errors.New("erasure: authentication failed: wrong mesh key or corrupted data")

// SealOverhead is the most Seal adds to a plaintext: a 24-byte nonce, a
// 1-byte format flag (store.Codec's) and the 16-byte Poly1305 tag. Incompressible data is
// stored as is, so a sealed chunk is never longer than this plus the input.
const SealOverhead = chacha20poly1305.NonceSizeX + 1 + chacha20poly1305.Overhead

// DeriveKey derives the 32-byte snapshot key of a dataset from the mesh key
// with HKDF-SHA256 (info "meshvault snapshot key v1 " + dataset), so any
// site holding the mesh key can re-derive it, and datasets never share a key.
func DeriveKey(meshKey []byte, dataset string) [32]byte {
	var key [32]byte
	r := hkdf.New(sha256.New, meshKey, nil, []byte("meshvault snapshot key v1 "+dataset))
	if _, err := io.ReadFull(r, key[:]); err != nil {
		panic(err) // HKDF-SHA256 yields up to 8160 bytes; 32 cannot fail
	}
	return key
}

// Sealer compresses then encrypts chunks under one key, with a store
// Codec (so a chunk already in its stored form is only encrypted) and
// the XChaCha20-Poly1305 AEAD; it is safe for concurrent use. Close
// releases the codec.
type Sealer struct {
	aead  cipher.AEAD
	codec *store.Codec
	owns  bool // Close closes the codec
}

// NewSealer returns a Sealer for a key from DeriveKey, with a codec of
// its own.
func NewSealer(key [32]byte) (*Sealer, error) {
	codec, err := store.NewCodec()
	if err != nil {
		return nil, err
	}
	s, err := NewSealerWith(key, codec)
	if err != nil {
		codec.Close()
		return nil, err
	}
	s.owns = true
	return s, nil
}

// NewSealerWith returns a Sealer that shares codec (a site's chunk
// store's): zstd encoders hold megabytes each, one set per site is enough.
func NewSealerWith(key [32]byte, codec *store.Codec) (*Sealer, error) {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, codec: codec}, nil
}

// Close releases the codec if the Sealer owns it; the Sealer must not be
// used after.
func (s *Sealer) Close() {
	if s.owns {
		s.codec.Close()
	}
}

// Seal returns nonce ‖ XChaCha20-Poly1305(stored form of plaintext) with
// a fresh random 24-byte nonce; the stored form is a flag byte and the
// zstd frame of plaintext, or plaintext itself when compressing would
// not make it shorter. additional is authenticated but not stored; Open
// must be given the same bytes.
func (s *Sealer) Seal(plaintext, additional []byte) []byte {
	return s.SealStored(s.codec.Encode(plaintext), additional)
}

// SealStored is Seal for a chunk already in its stored form, as a site's
// chunk store keeps it: it is encrypted as it is.
func (s *Sealer) SealStored(stored, additional []byte) []byte {
	return s.SealStoredTo(nil, stored, additional)
}

// SealStoredTo is SealStored into dst's memory when it has room.
func (s *Sealer) SealStoredTo(dst, stored, additional []byte) []byte {
	const n = chacha20poly1305.NonceSizeX
	out := slices.Grow(dst[:0], n+len(stored)+chacha20poly1305.Overhead)[:n]
	rand.Read(out) // crypto/rand.Read never fails (Go ≥ 1.24)
	return s.aead.Seal(out, out, stored, additional)
}

// Open reverses Seal. It returns ErrAuth when the key or additional data
// differ from Seal's, or when any byte was changed; nothing is decompressed
// before the tag checks out. sealed is left as it was.
func (s *Sealer) Open(sealed, additional []byte) ([]byte, error) {
	return s.OpenInPlace(slices.Clone(sealed), nil, additional)
}

// OpenInPlace is Open that decrypts sealed in its own memory (its bytes
// are then the stored form's, not sealed any more) and decompresses into
// dst's memory when it has room: a restore opens a gigabyte of chunks,
// each used once, in two buffers a writer reuses. The plaintext returned
// is valid until sealed or dst is used again.
func (s *Sealer) OpenInPlace(sealed, dst, additional []byte) ([]byte, error) {
	if len(sealed) < SealOverhead {
		return nil, ErrAuth
	}
	nonce, box := sealed[:chacha20poly1305.NonceSizeX], sealed[chacha20poly1305.NonceSizeX:]
	body, err := s.aead.Open(box[:0], nonce, box, additional)
	if err != nil {
		return nil, ErrAuth
	}
	plain, err := s.codec.DecodeTo(dst, body)
	if err != nil {
		return nil, fmt.Errorf("erasure: sealed chunk: %w", err)
	}
	return plain, nil
}
