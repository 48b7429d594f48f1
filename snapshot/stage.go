package snapshot

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/meshvault/meshvault/store"
)

// A snapshot's shards are staged, then committed: each is written at
// its site under a staged name without a sync, and once a batch of
// packs is written everywhere, each site makes the batch durable with
// one sync of its shard filesystem, renames the shards to their final
// names and syncs again. Only then are the packs recorded in the
// catalog. A crash before the commit leaves dot files that no pack
// records, which sweepOrphans removes; a final name always holds a
// durable shard. A snapshot of a GiB costs each site a few syncs
// instead of two for every shard.

// shardKey names one shard of a pack.
type shardKey struct {
	Pack  string `json:"pack"`
	Index int    `json:"index"`
}

// stagedPath is where a shard waits for its commit: a dot name, which
// ShardCount does not count and placedHere never places.
func (e *Engine) stagedPath(pack string, index int) string {
	return filepath.Join(e.cfg.ShardDir, pack[:2], fmt.Sprintf(".%s.%03d.staged", pack, index))
}

func validPack(pack string) error {
	if len(pack) < 2 || strings.ContainsAny(pack, `/\.`) {
		return fmt.Errorf("bad pack ID %q", pack)
	}
	return nil
}

// stageShard writes a shard under its staged name, unsynced.
func (e *Engine) stageShard(pack string, index int, parts ...[]byte) error {
	if err := validPack(pack); err != nil {
		return err
	}
	path := e.stagedPath(pack, index)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return store.WritePartsUnsynced(path, 0o600, parts...)
}

// commitShards makes staged shards durable under their final names; a
// shard that was never staged here (the site restarted since) fails the
// commit, naming it, and the snapshot with it.
func (e *Engine) commitShards(keys []shardKey) error {
	files := make([]pendingFile, len(keys))
	for i, k := range keys {
		if err := validPack(k.Pack); err != nil {
			return err
		}
		files[i] = pendingFile{tmp: e.stagedPath(k.Pack, k.Index), full: e.shardPath(k.Pack, k.Index)}
	}
	if err := syncFiles(e.cfg.ShardDir, files); err != nil {
		return fmt.Errorf("commit %d shards at %s: %w", len(keys), e.site, err)
	}
	var dirs []string
	for _, f := range files {
		if err := os.Rename(f.tmp, f.full); err != nil {
			return fmt.Errorf("commit shards at %s: %w", e.site, err)
		}
		dirs = append(dirs, filepath.Dir(f.full))
	}
	slices.Sort(dirs)
	return syncDirs(e.cfg.ShardDir, slices.Compact(dirs))
}
