//go:build !linux

package directio

import (
	"errors"
	"os"
)

// setDirect has no O_DIRECT to set here: every write is buffered.
func setDirect(f *os.File, on bool) error { return SetDirect(0, on) }

// SetDirect has no O_DIRECT to set here: every write is buffered.
func SetDirect(fd uintptr, on bool) error {
	if !on {
		return nil
	}
	return errors.ErrUnsupported
}
