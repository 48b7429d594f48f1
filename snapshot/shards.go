package snapshot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/meshvault/meshvault/wire"
)

// ShardProtocol stores, fetches and deletes shards at a site.
const ShardProtocol = "/meshvault/shard/1.0.0"

const (
	frameReq   byte = 'R'
	frameShard byte = 'D'
	frameOK    byte = 'K'
)

type shardReq struct {
	Op     string     `json:"op"` // put, stage, commit, get, check, delete, sweep, fence
	Pack   string     `json:"pack,omitempty"`
	Index  int        `json:"index,omitempty"`
	Before time.Time  `json:"before,omitzero"`  // sweep: shards stored before this
	Shards []shardKey `json:"shards,omitempty"` // commit: the staged shards to make durable
	Packs  []string   `json:"packs,omitempty"`  // fence: the packs a prune would delete
	// Snapshots are, for a fence, the snapshots a prune recorded again:
	// ID → new manifest.
	Snapshots map[string]string `json:"snapshots,omitempty"`
}

// handleShard serves one request per stream.
func (e *Engine) handleShard(st network.Stream) {
	if !e.enter() {
		st.Reset()
		return
	}
	defer e.wg.Done()
	defer st.Close()
	st.SetDeadline(time.Now().Add(2 * time.Minute))
	c := wire.NewConn(st)
	defer c.Release()
	var req shardReq
	if err := c.Expect(frameReq, &req); err != nil {
		st.Reset()
		return
	}
	if err := e.serveShard(c, req); err != nil {
		c.Refuse(err.Error())
	}
}

func (e *Engine) serveShard(c *wire.Conn, req shardReq) error {
	switch req.Op {
	case "put", "stage":
		if err := e.receiveShard(c, req); err != nil {
			return err
		}
		return ok(c)
	case "commit":
		if err := e.commitShards(req.Shards); err != nil {
			return err
		}
		return ok(c)
	case "get":
		return e.sendShard(c, req)
	case "check":
		if err := validPack(req.Pack); err != nil {
			return err
		}
		c.Send(frameOK, e.checkShard(req.Pack, req.Index))
		return c.Flush()
	case "delete":
		if err := e.deleteShard(req.Pack, req.Index); err != nil {
			return err
		}
		return ok(c)
	case "sweep":
		n, err := e.sweepOrphans(req.Before)
		if err != nil {
			return err
		}
		c.Send(frameOK, sweepResult{Shards: n})
		return c.Flush()
	case "fence":
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // the stream's deadline is two
		defer cancel()
		r, err := e.fenceHere(ctx, req.Packs, req.Snapshots)
		if err != nil {
			return err
		}
		c.Send(frameOK, r)
		return c.Flush()
	}
	return fmt.Errorf("unknown shard op %q", req.Op)
}

// sendShard sends the shard a get asks for, read into a reused buffer.
func (e *Engine) sendShard(c *wire.Conn, req shardReq) error {
	p := e.sendBufs.Get().(*[]byte)
	defer e.sendBufs.Put(p)
	data, err := e.getShard(*p, req.Pack, req.Index)
	if err != nil {
		return err
	}
	if cap(data) > cap(*p) {
		*p = data[:0] // kept: the next shard is read into it (direct when it is aligned)
	}
	c.SendRaw(frameShard, data)
	return c.Flush()
}

// receiveShard stores the shard that follows a put, received into a
// reused buffer: a site takes a shard of every pack, a thousand per GiB.
func (e *Engine) receiveShard(c *wire.Conn, req shardReq) error {
	p := e.recvBufs.Get().(*[]byte)
	defer e.recvBufs.Put(p)
	typ, data, err := c.RecvInto(*p)
	if err != nil || typ != frameShard {
		return fmt.Errorf("put shard: %v", err)
	}
	if cap(data) > cap(*p) {
		*p = data[:0] // the next shard of this size fits
	}
	if req.Op == "stage" {
		return e.stageShard(req.Pack, req.Index, data)
	}
	return e.putShard(req.Pack, req.Index, data)
}

func ok(c *wire.Conn) error {
	c.Send(frameOK, struct{}{})
	return c.Flush()
}

// shardCall runs one shard request against site (this site included).
// payload is a put's shard (its header and payload, sent as one), or
// for a get the memory the shard is read into when it has room
// (aligned, for a local read past the page cache).
func (e *Engine) shardCall(ctx context.Context, site string, req shardReq, payload ...[]byte) ([]byte, error) {
	if site == e.site {
		return e.localShard(req, payload)
	}
	st, err := e.cfg.Mesh.OpenStream(ctx, site, ShardProtocol)
	if err != nil {
		return nil, callErr(ctx, site, err)
	}
	defer st.Close()
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	c := wire.NewConn(st)
	defer c.Release()
	c.Send(frameReq, req)
	if req.Op == "put" || req.Op == "stage" {
		c.SendRaw(frameShard, payload...)
	}
	if err := c.Flush(); err != nil {
		return nil, callErr(ctx, site, err)
	}
	var dst []byte
	if req.Op == "get" && len(payload) > 0 {
		dst = payload[0]
	}
	typ, data, err := c.RecvInto(dst)
	if err != nil {
		return nil, callErr(ctx, site, err)
	}
	if req.Op == "get" && typ != frameShard {
		return nil, fmt.Errorf("%s: protocol: frame %q", site, typ)
	}
	return data, nil
}

// callErr names the site a call failed at, and says the call was
// cancelled when it was: a cancelled call's stream is reset, and the
// reset is not what the caller needs to know.
func callErr(ctx context.Context, site string, err error) error {
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return fmt.Errorf("%s: %w", site, err)
}

func (e *Engine) localShard(req shardReq, payload [][]byte) ([]byte, error) {
	switch req.Op {
	case "put":
		return nil, e.putShard(req.Pack, req.Index, payload...)
	case "stage":
		return nil, e.stageShard(req.Pack, req.Index, payload...)
	case "commit":
		return nil, e.commitShards(req.Shards)
	case "sweep":
		n, err := e.sweepOrphans(req.Before)
		b, _ := json.Marshal(sweepResult{Shards: n})
		return b, err
	case "check":
		if err := validPack(req.Pack); err != nil {
			return nil, err
		}
		return json.Marshal(e.checkShard(req.Pack, req.Index))

	case "get":
		var dst []byte
		if len(payload) > 0 {
			dst = payload[0]
		}
		return e.getShard(dst, req.Pack, req.Index)
	}
	return nil, e.deleteShard(req.Pack, req.Index)
}
