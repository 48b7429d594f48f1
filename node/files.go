package node

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/meshvault/meshvault/store"
)

// Files a node keeps in its data dir for its clients.
const (
	APIAddrFile  = "api.addr"
	APITokenFile = "api.token"
)

// loadOrCreateToken keeps the API token across restarts, so operators'
// scripts go on working; it is created once, 0600.
func loadOrCreateToken(dir string) (string, error) {
	path := filepath.Join(dir, APITokenFile)
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b)), nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token := hex.EncodeToString(raw)
	return token, store.WriteFileAtomic(path, []byte(token+"\n"), 0o600)
}

// dirUsage sums what the files under dir take on disk.
func dirUsage(dir string) int64 {
	var total int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				total += onDisk(info)
			}
		}
		return nil
	})
	return total
}

// onDisk is what a file takes on disk, as du counts it: a chunk segment
// keeps its length when a sweep punches freed ranges out of it, but not
// their blocks.
func onDisk(info fs.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512
	}
	return info.Size()
}

// freeBytes is the space available to this process in dir's filesystem.
func freeBytes(dir string) uint64 {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return 0
	}
	return st.Bavail * uint64(st.Bsize)
}
