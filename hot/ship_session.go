package hot

import (
	"context"
	"errors"
	"fmt"
)

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
