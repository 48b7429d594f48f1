package snapshot

import "github.com/meshvault/meshvault/store"

// CountShards counts the shards a site's database holds (tests only).
func CountShards(db *store.DB) int {
	n := 0
	db.Scan([]byte("shard/"), func(_, _ []byte) error { n++; return nil })
	return n
}
