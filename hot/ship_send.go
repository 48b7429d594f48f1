package hot

import (
	"encoding/json"
	"fmt"

	"github.com/meshvault/meshvault/store"
)

// hello opens a replication session.
type hello struct {
	Dataset string `json:"dataset"`
	Epoch   uint64 `json:"epoch"`
	Primary string `json:"primary"`
	Def     Def    `json:"def"` // the sender's definition, history included
	Oldest  uint64 `json:"oldest"`
	Head    uint64 `json:"head"`
}

type helloAck struct {
	Pos       uint64 `json:"pos"`
	NeedState bool   `json:"need_state"`
}

type need struct {
	Hashes []store.Hash `json:"hashes"`
}

type ack struct {
	Pos uint64 `json:"pos"`
}

type stateEnd struct {
	Pos   uint64 `json:"pos"`
	Epoch uint64 `json:"epoch"`
}

// sendNeeded flushes, reads the replica's list of missing chunks and
// sends them.
func (s *shipper) sendNeeded(c *conn, e *Entry) error {
	if err := c.Flush(); err != nil {
		return err
	}
	if e == nil || len(e.Chunks) == 0 {
		return nil
	}
	var n need
	if err := c.Expect(frameNeed, &n); err != nil {
		return err
	}
	buf := s.ds.e.bufs.Get()
	defer s.ds.e.bufs.Put(buf)
	for _, h := range n.Hashes {
		data, err := s.ds.e.cfg.DB.StoredChunkDirectTo(buf, h) // sent before the next is read
		if err != nil {
			return err
		}
		if err := c.SendRaw(frameChunk, data); err != nil {
			return err
		}
	}
	return c.Flush()
}

// transferState sends the whole tree (entries, and the chunks the
// replica lacks), then the position it corresponds to. Ops written
// meanwhile are sent afterwards and re-applied: whole-file puts and
// deletes are idempotent, so the replica converges.
//
// The tree is read from a store View, which keeps the chunks of every
// file in it stored (a chunk sweep marks through open views) while a
// file is overwritten meanwhile.
func (s *shipper) transferState(c *conn) (uint64, error) {
	m := s.ds.snapshot()
	v := s.ds.local.db.View()
	defer v.Close()
	err := v.Scan(s.ds.local.treeKey(""), func(_, val []byte) error {
		var e Entry
		if err := json.Unmarshal(val, &e); err != nil {
			return err
		}
		if err := c.Send(frameEntry, e); err != nil {
			return err
		}
		return s.sendNeeded(c, &e)
	})
	if err != nil {
		return 0, fmt.Errorf("state transfer to %s: %w", s.site, err)
	}
	if err := c.Send(frameStateEnd, stateEnd{Pos: m.Pos, Epoch: m.Epoch}); err != nil {
		return 0, err
	}
	if err := c.Flush(); err != nil {
		return 0, err
	}
	var a ack
	if err := c.Expect(frameAck, &a); err != nil {
		return 0, fmt.Errorf("state transfer to %s: %w", s.site, err)
	}
	s.setAcked(a.Pos, "streaming")
	return a.Pos, nil
}
