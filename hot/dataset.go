package hot

import (
	"sync"
	"time"
)

// dataset is the runtime state of one dataset at this site.
type dataset struct {
	e     *Engine
	local local

	mu       sync.Mutex
	meta     meta
	headCh   chan struct{} // closed and replaced when the log grows
	ackCh    chan struct{} // closed and replaced when a replica acks
	shippers map[string]*shipper
	draining bool // switchover under way: no new writes
	// votedEpoch is the highest epoch this site voted in for another
	// site: a promise to accept no op of an older epoch, even before the
	// new definition arrives by gossip. Its own failed candidacies do not
	// count, so they never fence the primary that did win.
	votedEpoch uint64
	// queue holds prepared ops waiting for a group commit, committing is
	// set while a writer commits a group, and next is the position after
	// the last prepared op (see commit.go).
	queue      []pending
	committing bool
	next       meta
	// electing and nextElection keep failover attempts one at a time.
	electing     bool
	nextElection time.Time
}

func openDataset(e *Engine, name string) (*dataset, error) {
	l := local{db: e.cfg.DB, name: name}
	m, err := l.meta()
	if err != nil {
		return nil, err
	}
	v, err := l.vote()
	if err != nil {
		return nil, err
	}
	if v.Candidate == e.site {
		v.Epoch = 0
	}
	return &dataset{e: e, local: l, meta: m, votedEpoch: v.Epoch, headCh: make(chan struct{}), ackCh: make(chan struct{}), shippers: map[string]*shipper{}}, nil
}

func (ds *dataset) snapshot() meta {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	return ds.meta
}

// grown is closed when the log grows past what the caller saw.
func (ds *dataset) grown() <-chan struct{} {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	return ds.headCh
}

// setMetaLocked records a new position and wakes waiters.
func (ds *dataset) setMetaLocked(m meta) {
	grew := m.Pos != ds.meta.Pos
	ds.meta = m
	if grew {
		close(ds.headCh)
		ds.headCh = make(chan struct{})
	}
}

func (ds *dataset) acked() <-chan struct{} {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	return ds.ackCh
}

func (ds *dataset) signalAck() {
	ds.mu.Lock()
	close(ds.ackCh)
	ds.ackCh = make(chan struct{})
	ds.mu.Unlock()
}

func (ds *dataset) stopShippers() {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	for site, s := range ds.shippers {
		s.cancel()
		delete(ds.shippers, site)
	}
}

// opTime is when the op at pos was written, or zero.
func (ds *dataset) opTime(pos uint64) time.Time {
	st, _ := ds.local.stamp(pos)
	return st.Time
}
