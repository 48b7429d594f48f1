package gentree

import (
	"io"
	"math/rand/v2"
)

// RandBytes is an endless stream of seeded, incompressible bytes.
func RandBytes(seed uint64) io.Reader {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return rand.NewChaCha8(s)
}

// RandBlock returns n seeded random bytes.
func RandBlock(seed uint64, n int) []byte {
	b := make([]byte, n)
	io.ReadFull(RandBytes(seed), b)
	return b
}
