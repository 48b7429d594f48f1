//go:build !linux

package store

import "errors"

var errNoPunch = errors.New("the file system cannot punch holes")

// punchHole is not available off Linux: freed bytes stay in their
// segment until the whole segment is freed and removed.
func punchHole(path string, off, n int64) error { return errNoPunch }
