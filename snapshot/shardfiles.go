package snapshot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/meshvault/meshvault/store"
	"github.com/meshvault/meshvault/store/directio"
)

// Shards live as files under Config.ShardDir, one per shard, in a
// sub-directory per pack-ID prefix: written once, read whole, deleted
// whole, so a file system holds them with no write amplification and no
// space beyond their size (Pebble would keep each twice for a while, in
// its log and its tables).
func (e *Engine) shardPath(pack string, index int) string {
	return filepath.Join(e.cfg.ShardDir, pack[:2], fmt.Sprintf("%s.%03d", pack, index))
}

// putShard stores a shard, given as its parts, durably (temp file,
// fsync, rename) before the sender is told it is stored.
func (e *Engine) putShard(pack string, index int, parts ...[]byte) error {
	return e.writeShard(e.shardPath, store.WritePartsAtomic, pack, index, parts)
}

// writeShard writes a shard's parts at the path at names it, with write.
func (e *Engine) writeShard(at func(string, int) string, write func(string, os.FileMode, ...[]byte) error,
	pack string, index int, parts [][]byte) error {
	if err := validPack(pack); err != nil {
		return err
	}
	path := at(pack, index)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return write(path, 0o600, parts...)
}

// getShard reads a shard, into dst's memory when it is aligned and has
// room (see directio.ReadFileTo).
func (e *Engine) getShard(dst []byte, pack string, index int) ([]byte, error) {
	if err := validPack(pack); err != nil {
		return nil, err
	}
	data, err := directio.ReadFileTo(dst, e.shardPath(pack, index))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("shard %s/%d not stored at %s", pack, index, e.site)
	}
	return data, err
}

func (e *Engine) deleteShard(pack string, index int) error {
	if err := validPack(pack); err != nil {
		return err
	}
	err := os.Remove(e.shardPath(pack, index))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// sweepOrphans deletes this site's shards that the catalog does not
// place here, and temporary files, written before t: the leftovers of a
// snapshot that crashed or was cancelled before recording its packs, and
// the shards a repair rebuilt elsewhere while this site was down.
func (e *Engine) sweepOrphans(before time.Time) (int, error) {
	n := 0
	err := filepath.WalkDir(e.cfg.ShardDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(before) || e.placedHere(d.Name()) {
			return nil
		}
		if os.Remove(path) == nil {
			n++
		}
		return nil
	})
	return n, err
}

// placedHere reports whether a shard file name is a shard the catalog
// places at this site.
func (e *Engine) placedHere(name string) bool {
	pack, idx, ok := strings.Cut(name, ".")
	i, err := strconv.Atoi(idx)
	if !ok || err != nil {
		return false // a temporary file
	}
	p, found := e.catalog.Pack(pack)
	return found && i >= 0 && i < len(p.Sites) && p.Sites[i] == e.site
}

// ShardCount is the number of shard files this site holds.
func (e *Engine) ShardCount() int {
	n := 0
	filepath.WalkDir(e.cfg.ShardDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			n++
		}
		return nil
	})
	return n
}
