package mesh

import (
	"errors"
	"fmt"
	"syscall"
	"testing"
)

func TestAGossipBindToPortZeroIsRetriedWhenItsUDPPortIsTakenAndAnExplicitOneIsNot(t *testing.T) {
	inUse := fmt.Errorf("failed to start UDP listener: %w", syscall.EADDRINUSE)
	other := errors.New("permission denied")
	cases := []struct {
		name      string
		port      int
		fails     []error // what the binds return before one succeeds
		wantCalls int
		wantErr   error
	}{
		{"port 0, taken twice", 0, []error{inUse, inUse}, 3, nil},
		{"port 0, taken every time", 0, []error{inUse, inUse, inUse, inUse, inUse, inUse}, bindAttempts, syscall.EADDRINUSE},
		{"port 0, another error", 0, []error{other}, 1, other},
		{"explicit port, taken", 7946, []error{inUse}, 1, syscall.EADDRINUSE},
	}
	for _, c := range cases {
		calls := 0
		_, err := bindRetrying(c.port, func() (int, error) {
			calls++
			if calls <= len(c.fails) {
				return 0, c.fails[calls-1]
			}
			return 1, nil
		})
		if calls != c.wantCalls || !errors.Is(err, c.wantErr) {
			t.Errorf("%s: %d binds, err %v; want %d binds, err %v", c.name, calls, err, c.wantCalls, c.wantErr)
		}
	}
}
