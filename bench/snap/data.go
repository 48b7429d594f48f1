package main

import (
	"io"
	"math/rand/v2"
)

// randBytes is an endless stream of seeded, incompressible bytes.
func randBytes(seed uint64) io.Reader {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return rand.NewChaCha8(s)
}
