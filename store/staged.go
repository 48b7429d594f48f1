package store

import (
	"fmt"
	"os"
)

// WritePartsUnsynced writes the parts to a new file at path, replacing
// any file there, and does not sync it: for a caller that makes a batch
// of files durable with one sync (snapshot shards awaiting their
// snapshot's commit) and renames each to its final name only then, so
// that no final name ever holds bytes a crash could lose.
func WritePartsUnsynced(path string, perm os.FileMode, parts ...[]byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	err = write(f, parts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
