package hot

import (
	"context"
	"errors"
	"fmt"
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

// session is one stream to the replica: hello, catch up (by log or by
// state transfer), then follow the log.
func (s *shipper) session(ctx context.Context) error {
	e := s.ds.e
	d, ok := e.def(s.ds.local.name)
	if !ok || d.Primary != e.site || d.Epoch != s.epoch {
		return errors.New("no longer primary")
	}
	st, err := e.cfg.Mesh.OpenStream(ctx, s.site, ReplProtocol)
	if err != nil {
		return err
	}
	defer st.Close()
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	c := newConn(st)
	pos, err := s.handshake(c, d)
	if err != nil {
		return err
	}
	return s.follow(ctx, c, pos)
}

func (s *shipper) handshake(c *conn, d Def) (uint64, error) {
	m := s.ds.snapshot()
	h := hello{Dataset: d.Name, Epoch: d.Epoch, Primary: s.ds.e.site, Def: d, Oldest: m.Oldest, Head: m.Pos}
	if err := c.Send(frameHello, h); err != nil {
		return 0, err
	}
	if err := c.Flush(); err != nil {
		return 0, err
	}
	var ack helloAck
	if err := c.Expect(frameHelloAck, &ack); err != nil {
		return 0, fmt.Errorf("hello to %s: %w", s.site, err)
	}
	if ack.NeedState || ack.Pos+1 < m.Oldest || s.takeTransfer() {
		s.setAcked(ack.Pos, "catching-up")
		return s.transferState(c)
	}
	s.setAcked(ack.Pos, "streaming")
	return ack.Pos, nil
}

// follow sends every op after pos, waiting for the log to grow. It keeps
// one op in flight: op N+1 is on the wire before the ack of op N is read,
// so a replica never waits a round trip between ops.
func (s *shipper) follow(ctx context.Context, c *conn, pos uint64) error {
	var inFlight uint64 // op sent whose ack is not read yet, 0 if none
	for {
		op, ok, err := s.next(ctx, c, pos, &inFlight)
		if err != nil || !ok {
			return err
		}
		if err := c.Send(frameOp, op); err != nil {
			return err
		}
		if err := c.Flush(); err != nil {
			return err
		}
		if err := s.readAck(c, &inFlight); err != nil {
			return err
		}
		if err := s.sendNeeded(c, op.Entry); err != nil {
			return err
		}
		pos, inFlight = op.Pos, op.Pos
	}
}

// next returns the op after pos, reading the ack in flight before it
// blocks waiting for the log to grow.
func (s *shipper) next(ctx context.Context, c *conn, pos uint64, inFlight *uint64) (Op, bool, error) {
	for s.ds.snapshot().Pos <= pos {
		if err := s.readAck(c, inFlight); err != nil {
			return Op{}, false, err
		}
		grown := s.ds.grown()
		if s.ds.snapshot().Pos > pos {
			break
		}
		select {
		case <-ctx.Done():
			return Op{}, false, ctx.Err()
		case <-grown:
		}
	}
	op, ok, err := s.ds.local.op(pos + 1)
	if err != nil || !ok {
		return op, false, fmt.Errorf("op %d no longer in the log (err %v): the next session transfers state", pos+1, err)
	}
	return op, true, nil
}

// readAck reads the ack of the op in flight, if any.
func (s *shipper) readAck(c *conn, inFlight *uint64) error {
	if *inFlight == 0 {
		return nil
	}
	var a ack
	if err := c.Expect(frameAck, &a); err != nil {
		return fmt.Errorf("op %d to %s: %w", *inFlight, s.site, err)
	}
	if a.Pos != *inFlight {
		return fmt.Errorf("op %d to %s: acked %d", *inFlight, s.site, a.Pos)
	}
	s.setAcked(a.Pos, "streaming")
	*inFlight = 0
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
