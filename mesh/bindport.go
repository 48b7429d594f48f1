package mesh

import (
	"errors"
	"syscall"
)

// bindAttempts is how many times a gossip bind to port 0 is tried.
const bindAttempts = 5

// bindRetrying calls bind until it succeeds, at most bindAttempts times
// when port is 0. memberlist binds TCP to a port the kernel picks, then
// UDP to the same number, which another process's UDP socket may hold
// (seen with test binaries running side by side); a fresh try gets
// another port. An explicit port is tried once: its owner will not move.
func bindRetrying[T any](port int, bind func() (T, error)) (T, error) {
	var (
		t   T
		err error
	)
	for range bindAttempts {
		if t, err = bind(); err == nil || port != 0 || !errors.Is(err, syscall.EADDRINUSE) {
			return t, err
		}
	}
	return t, err
}
