package hot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/meshvault/meshvault/store"
)

// shipper streams a dataset's log from this site (the primary) to one
// replica, resuming from the replica's own position after any break.
type shipper struct {
	ds     *dataset
	site   string
	epoch  uint64
	cancel context.CancelFunc

	mu      sync.Mutex
	acked   uint64
	state   string // connecting, catching-up, streaming, down, fenced
	lastErr string
	fenced  bool
	// transfer makes the next session send the tree: an op to ship
	// referenced a chunk no longer stored here (swept once the file
	// changed again), so the log cannot bring the replica up to date.
	transfer bool
}

type shipperStatus struct {
	acked   uint64
	state   string
	lastErr string
	fenced  bool
}

func (ds *dataset) shipperStatus(site string) shipperStatus {
	ds.mu.Lock()
	s := ds.shippers[site]
	ds.mu.Unlock()
	if s == nil {
		return shipperStatus{state: "down"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return shipperStatus{acked: s.acked, state: s.state, lastErr: s.lastErr, fenced: s.fenced}
}

// ensureShippers runs one shipper per designated replica of d and stops
// shippers of an older epoch or of sites no longer replicas.
func (ds *dataset) ensureShippers(d Def) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	for site, s := range ds.shippers {
		if s.epoch != d.Epoch || !contains(d.Replicas, site) {
			s.cancel()
			delete(ds.shippers, site)
		}
	}
	for _, r := range d.Replicas {
		if _, ok := ds.shippers[r]; !ok {
			ctx, cancel := context.WithCancel(ds.e.ctx)
			s := &shipper{ds: ds, site: r, epoch: d.Epoch, cancel: cancel, state: "connecting"}
			ds.shippers[r] = s
			ds.e.spawn(func() { s.run(ctx) })
		}
	}
}

func (s *shipper) run(ctx context.Context) {
	backoff := 50 * time.Millisecond
	for ctx.Err() == nil {
		err := s.session(ctx)
		if ctx.Err() != nil {
			return
		}
		s.setErr(err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

func (s *shipper) setErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state, s.lastErr = "down", err.Error()
	s.transfer = s.transfer || errors.Is(err, store.ErrChunkMissing)
	if strings.Contains(err.Error(), errFencedText) {
		s.state, s.fenced = "fenced", true
	}
	s.ds.e.log.Debug("replication session ended", "dataset", s.ds.local.name, "replica", s.site, "err", err)
}

// takeTransfer reports, and clears, that the session must send the tree.
func (s *shipper) takeTransfer() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.transfer
	s.transfer = false
	return t
}

func (s *shipper) setAcked(pos uint64, state string) {
	s.mu.Lock()
	s.acked, s.state, s.lastErr, s.fenced = pos, state, "", false
	s.mu.Unlock()
	s.ds.signalAck()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
