package mesh

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Entry is one versioned value of the cluster-wide state: dataset
// definitions, catalog entries and the like, each under a kind and a key.
// Concurrent writes converge because every site keeps, for each key, the
// entry with the highest (Rank, Clock, Site): a rank the writer chooses,
// then a Lamport clock, ties broken by the writer's site name.
type Entry struct {
	Kind    string          `json:"kind"`
	Key     string          `json:"key"`
	Value   json.RawMessage `json:"value,omitempty"`
	Deleted bool            `json:"deleted,omitempty"`
	// Rank orders entries before the clock does: a kind whose values
	// have their own order (a dataset's epoch) sets it, so the highest
	// rank wins wherever and whenever it is written.
	Rank  uint64 `json:"rank,omitempty"`
	Clock uint64 `json:"clock"`
	Site  string `json:"site"`
}

// supersedes reports whether e wins over o for the same key.
func (e Entry) supersedes(o Entry) bool {
	if e.Rank != o.Rank {
		return e.Rank > o.Rank
	}
	if e.Clock != o.Clock {
		return e.Clock > o.Clock
	}
	return e.Site > o.Site
}

func (e Entry) id() string { return e.Kind + "\x00" + e.Key }

// KV is where the state survives restarts; store.DB is one.
type KV interface {
	Set(key, value []byte) error
	Scan(prefix []byte, fn func(key, value []byte) error) error
}

const stateKeyPrefix = "mesh/state/"

// ClusterState is this site's replica of the cluster-wide state.
type ClusterState struct {
	mu       sync.Mutex
	site     string
	clock    uint64
	entries  map[string]Entry
	kv       KV
	watchers []func(Entry)
	publish  func(Entry) // hands a locally written entry to gossip
	spread   func([]Entry)
	closed   bool // after close, nothing more reaches kv
}

// errStateClosed is what a write gets once the mesh has shut down: its
// KV may be closed too.
var errStateClosed = errors.New("mesh state: closed (the mesh has shut down)")

// close stops every later write from reaching kv; it returns once no
// write is in progress (memberlist may still deliver a message after its
// Shutdown returns, and the KV is closed right after the mesh).
func (s *ClusterState) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
}

func newClusterState(site string, kv KV) *ClusterState {
	return &ClusterState{site: site, entries: map[string]Entry{}, kv: kv}
}

// load reads the entries persisted by an earlier run.
func (s *ClusterState) load() error {
	if s.kv == nil {
		return nil
	}
	return s.kv.Scan([]byte(stateKeyPrefix), func(_, v []byte) error {
		var e Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("load mesh state: %w", err)
		}
		s.entries[e.id()] = e
		s.clock = max(s.clock, e.Clock)
		return nil
	})
}

// Set writes value under kind/key at this site and gossips it.
func (s *ClusterState) Set(kind, key string, value []byte) (Entry, error) {
	return s.write(Entry{Kind: kind, Key: key, Value: value})
}

// SetRanked writes value with a rank: it wins over every entry of lower
// rank, whenever either was written.
func (s *ClusterState) SetRanked(kind, key string, rank uint64, value []byte) (Entry, error) {
	return s.write(Entry{Kind: kind, Key: key, Rank: rank, Value: value})
}

// DeleteRanked removes kind/key with a rank.
func (s *ClusterState) DeleteRanked(kind, key string, rank uint64) (Entry, error) {
	return s.write(Entry{Kind: kind, Key: key, Rank: rank, Deleted: true})
}

// Delete removes kind/key everywhere (a tombstone that wins like a write).
func (s *ClusterState) Delete(kind, key string) (Entry, error) {
	return s.write(Entry{Kind: kind, Key: key, Deleted: true})
}

func (s *ClusterState) write(e Entry) (Entry, error) {
	if e.Kind == "" || e.Key == "" || strings.ContainsRune(e.Kind, 0) {
		return Entry{}, fmt.Errorf("mesh state: kind and key must be non-empty, got %q/%q", e.Kind, e.Key)
	}
	s.mu.Lock()
	s.clock++
	e.Clock, e.Site = s.clock, s.site
	err := s.applyLocked(e)
	publish := s.publish
	s.mu.Unlock()
	if err != nil {
		return Entry{}, err
	}
	s.notify(e)
	if publish != nil {
		publish(e)
	}
	return e, nil
}

// Spread sends the current entries of kind under keys to every live site
// at once over memberlist's reliable channel. Gossip alone delivers a
// burst of writes (a snapshot's pack placements) a few small packets at
// a time; after Spread they are everywhere in a round trip.
func (s *ClusterState) Spread(kind string, keys []string) {
	var out []Entry
	s.mu.Lock()
	for _, k := range keys {
		if e, ok := s.entries[Entry{Kind: kind, Key: k}.id()]; ok {
			out = append(out, e)
		}
	}
	spread := s.spread
	s.mu.Unlock()
	if spread != nil && len(out) > 0 {
		spread(out)
	}
}

// Get returns the current entry for kind/key; deleted keys are absent.
func (s *ClusterState) Get(kind, key string) (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[kind+"\x00"+key]
	return e, ok && !e.Deleted
}

// List returns the live entries of kind, sorted by key.
func (s *ClusterState) List(kind string) []Entry {
	s.mu.Lock()
	var out []Entry
	for _, e := range s.entries {
		if e.Kind == kind && !e.Deleted {
			out = append(out, e)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// Watch calls fn after every change, local or from another site. fn must
// not block.
func (s *ClusterState) Watch(fn func(Entry)) {
	s.mu.Lock()
	s.watchers = append(s.watchers, fn)
	s.mu.Unlock()
}

// merge applies an entry from another site if it wins.
func (s *ClusterState) merge(e Entry) (bool, error) {
	s.mu.Lock()
	s.clock = max(s.clock, e.Clock)
	cur, ok := s.entries[e.id()]
	if ok && !e.supersedes(cur) {
		s.mu.Unlock()
		return false, nil
	}
	err := s.applyLocked(e)
	s.mu.Unlock()
	if err == nil {
		s.notify(e)
	}
	return err == nil, err
}

func (s *ClusterState) applyLocked(e Entry) error {
	if s.closed {
		return errStateClosed
	}
	if s.kv != nil {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := s.kv.Set([]byte(stateKeyPrefix+e.id()), b); err != nil {
			return fmt.Errorf("persist mesh state %s/%s: %w", e.Kind, e.Key, err)
		}
	}
	s.entries[e.id()] = e
	return nil
}

func (s *ClusterState) notify(e Entry) {
	s.mu.Lock()
	ws := slices.Clone(s.watchers)
	s.mu.Unlock()
	for _, w := range ws {
		w(e)
	}
}

// all returns every entry, tombstones included, for push/pull.
func (s *ClusterState) all() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, e)
	}
	return out
}

// Tombstones returns the deleted keys of kind.
func (s *ClusterState) Tombstones(kind string) []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Entry
	for _, e := range s.entries {
		if e.Kind == kind && e.Deleted {
			out = append(out, e)
		}
	}
	return out
}
