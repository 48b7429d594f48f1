package erasure

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// ErrAuth is returned by Open when the sealed bytes do not authenticate.
var ErrAuth = errors.New("erasure: authentication failed: wrong mesh key or corrupted data")

// SealOverhead is the most Seal adds to a plaintext: a 24-byte nonce, a
// 1-byte format flag and the 16-byte Poly1305 tag. Incompressible data is
// stored as is, so a sealed chunk is never longer than this plus the input.
const SealOverhead = chacha20poly1305.NonceSizeX + 1 + chacha20poly1305.Overhead

const (
	flagRaw  = 0 // body is the plaintext itself
	flagZstd = 1 // body is one zstd frame
)

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

// Sealer compresses then encrypts chunks under one key. It holds a reusable
// zstd encoder and decoder and the XChaCha20-Poly1305 AEAD; it is safe for
// concurrent use. Close releases the decoder.
type Sealer struct {
	aead cipher.AEAD
	enc  *zstd.Encoder
	dec  *zstd.Decoder
}

// NewSealer returns a Sealer for a key from DeriveKey.
func NewSealer(key [32]byte) (*Sealer, error) {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		return nil, err
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, enc: enc, dec: dec}, nil
}

// Close releases the decoder's resources; the Sealer must not be used after.
func (s *Sealer) Close() { s.dec.Close() }

// Seal returns nonce ‖ XChaCha20-Poly1305(flag ‖ body) with a fresh random
// 24-byte nonce, where body is the zstd frame of plaintext, or plaintext
// itself when compressing would not make it shorter. additional is
// authenticated but not stored; Open must be given the same bytes.
func (s *Sealer) Seal(plaintext, additional []byte) []byte {
	body := append([]byte{flagZstd}, s.enc.EncodeAll(plaintext, nil)...)
	if len(body) > len(plaintext) {
		body = append([]byte{flagRaw}, plaintext...)
	}
	out := make([]byte, chacha20poly1305.NonceSizeX, len(body)+SealOverhead)
	rand.Read(out) // crypto/rand.Read never fails (Go ≥ 1.24)
	return s.aead.Seal(out, out, body, additional)
}

// Open reverses Seal. It returns ErrAuth when the key or additional data
// differ from Seal's, or when any byte was changed; nothing is decompressed
// before the tag checks out.
func (s *Sealer) Open(sealed, additional []byte) ([]byte, error) {
	if len(sealed) < SealOverhead {
		return nil, ErrAuth
	}
	nonce, box := sealed[:chacha20poly1305.NonceSizeX], sealed[chacha20poly1305.NonceSizeX:]
	body, err := s.aead.Open(nil, nonce, box, additional)
	if err != nil {
		return nil, ErrAuth
	}
	switch body[0] {
	case flagRaw:
		return body[1:], nil
	case flagZstd:
		return s.dec.DecodeAll(body[1:], nil)
	}
	return nil, fmt.Errorf("erasure: sealed chunk has unknown format %d", body[0])
}
