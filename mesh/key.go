package mesh

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/meshvault/meshvault/store"
)

// KeySize is the length of a mesh key: memberlist's AES-256 key.
const KeySize = 32

// NewKeyFile writes a fresh random mesh key to path with mode 0600. It
// refuses to replace an existing file: losing the key cuts a site off.
func NewKeyFile(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("mesh key %s already exists: refusing to overwrite it (remove it first if you really mean to replace the mesh key)", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("mesh key %s: %w", path, err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("generate mesh key: %w", err)
	}
	return store.WriteFileAtomic(path, key, 0o600)
}

// ReadKeyFile reads a mesh key: 32 raw bytes, or the same as hex or
// base64 text (so a key can be pasted into a secret store).
func ReadKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--mesh-key-file %s: %w", path, err)
	}
	if len(b) == KeySize {
		return b, nil
	}
	text := string(bytes.TrimSpace(b))
	if k, err := hex.DecodeString(text); err == nil && len(k) == KeySize {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(text); err == nil && len(k) == KeySize {
		return k, nil
	}
	return nil, fmt.Errorf("--mesh-key-file %s holds %d bytes, not a %d-byte mesh key: create one with 'meshctl mesh init --key-file %s' and copy it to every site", path, len(b), KeySize, path)
}
