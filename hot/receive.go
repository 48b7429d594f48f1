package hot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/meshvault/meshvault/store"
)

const errFencedText = "fenced"

// handleRepl is the replica's side of a replication session.
func (e *Engine) handleRepl(st network.Stream) {
	if !e.enter() {
		st.Reset()
		return
	}
	defer e.wg.Done()
	defer st.Close()
	defer context.AfterFunc(e.ctx, func() { st.Reset() })()
	c := newConn(st)
	var h hello
	if err := c.Expect(frameHello, &h); err != nil {
		st.Reset()
		return
	}
	if err := e.receive(c, st, h); err != nil {
		e.log.Debug("replication session refused or broken", "dataset", h.Dataset, "from", h.Primary, "err", err)
		c.Refuse(err.Error())
	}
}

func (e *Engine) receive(c *conn, st network.Stream, h hello) error {
	if mem, ok := e.cfg.Mesh.Member(h.Primary); !ok || mem.PeerID != st.Conn().RemotePeer().String() {
		return fmt.Errorf("hello claims primary %s but comes from another peer", h.Primary)
	}
	ds, err := e.dataset(h.Dataset)
	if err != nil {
		return err
	}
	pos, needState, err := e.admit(ds, h)
	if err != nil {
		return err
	}
	if err := c.Send(frameHelloAck, helloAck{Pos: pos, NeedState: needState}); err != nil {
		return err
	}
	if err := c.Flush(); err != nil {
		return err
	}
	return e.applyStream(c, ds, h)
}

// applyStream applies ops and state-transfer entries until the primary
// closes the stream.
func (e *Engine) applyStream(c *conn, ds *dataset, h hello) error {
	received := map[string]bool{}
	for {
		typ, payload, err := c.Recv()
		if err != nil {
			return err
		}
		switch typ {
		case frameOp:
			err = e.applyOp(c, ds, h, payload)
		case frameEntry:
			err = e.applyEntry(c, ds, payload, received)
		case frameStateEnd:
			err = e.endState(c, ds, payload, received)
		default:
			err = fmt.Errorf("protocol: unexpected frame %q", typ)
		}
		if err != nil {
			return err
		}
	}
}

func (e *Engine) applyOp(c *conn, ds *dataset, h hello, payload []byte) error {
	var op Op
	if err := json.Unmarshal(payload, &op); err != nil {
		return err
	}
	if op.Epoch > h.Epoch {
		return fmt.Errorf("op %d of epoch %d in a session of epoch %d", op.Pos, op.Epoch, h.Epoch)
	}
	defer e.cfg.DB.Hold()() // chunks this site has, or received, stay until the op references them
	b, err := e.receiveChunks(c, op.Entry)
	if err != nil {
		return err
	}
	ds.mu.Lock()
	if d, ok := e.def(h.Dataset); (ok && d.Epoch > h.Epoch) || ds.votedEpoch > h.Epoch {
		ds.mu.Unlock()
		b.Discard()
		return fmt.Errorf("%s: a newer epoch than %d began", errFencedText, h.Epoch)
	}
	// A sync dataset's replica persists before it acks (the primary's
	// acknowledgement depends on it); an async one need not wait for
	// the disk: after a crash it re-fetches what it lost.
	m, err := ds.local.commit(b, ds.meta, op, e.cfg.LogRetain, h.Def.Mode == ModeSync)
	if err == nil {
		m.Epoch = max(m.Epoch, h.Epoch)
		ds.setMetaLocked(m)
	}
	ds.mu.Unlock()
	if err != nil {
		return err
	}
	e.notify(h.Dataset, op)
	return sendAck(c, op.Pos)
}

func sendAck(c *conn, pos uint64) error {
	if err := c.Send(frameAck, ack{Pos: pos}); err != nil {
		return err
	}
	return c.Flush()
}

// receiveChunks asks for the chunks of e this site lacks and stages
// them in a batch, checking each against its hash. Large files commit
// chunks every stageLimit bytes to bound memory; unreferenced chunks are harmless.
func (e *Engine) receiveChunks(c *conn, en *Entry) (*store.Batch, error) {
	b := e.cfg.DB.NewBatch()
	if en == nil || len(en.Chunks) == 0 {
		return b, nil
	}
	missing, err := e.missingChunks(en)
	if err != nil {
		return b, err
	}
	if err := c.Send(frameNeed, need{Hashes: missing}); err != nil {
		return b, err
	}
	if err := c.Flush(); err != nil {
		return b, err
	}
	return e.stageChunks(c, b, missing)
}

func (e *Engine) missingChunks(en *Entry) ([]store.Hash, error) {
	seen := map[store.Hash]bool{}
	var missing []store.Hash
	for _, ref := range en.Chunks {
		if seen[ref.Hash] {
			continue
		}
		seen[ref.Hash] = true
		has, err := e.cfg.DB.HasChunk(ref.Hash)
		if err != nil {
			return nil, err
		}
		if !has {
			missing = append(missing, ref.Hash)
		}
	}
	return missing, nil
}

func (e *Engine) stageChunks(c *conn, b *store.Batch, hashes []store.Hash) (*store.Batch, error) {
	buf := e.bufs.Get()
	defer e.bufs.Put(buf)
	for _, h := range hashes {
		typ, data, err := c.RecvInto(buf) // PutStoredChunk copies what it keeps
		if err != nil || typ != frameChunk {
			b.Discard()
			return nil, fmt.Errorf("chunk %s: frame %q: %v", h, typ, err)
		}
		if _, err := e.cfg.DB.PutStoredChunk(b, h, data); err != nil { // checks it against h
			b.Discard()
			return nil, err
		}
		if b.Len() >= stageLimit {
			if err := b.Commit(); err != nil {
				return nil, err
			}
			b = e.cfg.DB.NewBatch()
		}
	}
	return b, nil
}
