package mesh

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

// delegate is the mesh's hook into memberlist: it supplies this site's
// meta, carries cluster-wide state by broadcast and push/pull, feeds the
// member table, and refuses a site name already held by a live member
// with another identity.
type delegate struct {
	m          *Mesh
	broadcasts *memberlist.TransmitLimitedQueue
	mu         sync.Mutex
	conflict   error // the last site-name conflict seen while joining
}

// maxBroadcast is the largest entry sent by UDP gossip; larger ones go to
// each member over memberlist's reliable (TCP) channel.
const maxBroadcast = 1000

func (d *delegate) NodeMeta(limit int) []byte {
	b, err := d.m.meta().encode(limit)
	if err != nil {
		d.m.log.Error("node meta does not fit", "err", err)
	}
	return b
}

func (d *delegate) NotifyMsg(b []byte) {
	if len(b) > 0 && b[0] == '[' { // a spread: many entries at once
		d.MergeRemoteState(b, false)
		return
	}
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil {
		d.m.log.Warn("dropping undecodable state message", "err", err)
		return
	}
	d.merge(e)
}

// merge applies an entry from another site, as late as the link's
// injected StateLag says.
func (d *delegate) merge(e Entry) {
	if lag := d.m.lagFrom(e.Site); lag > 0 {
		time.AfterFunc(lag, func() { d.mergeNow(e) })
		return
	}
	d.mergeNow(e)
}

func (d *delegate) mergeNow(e Entry) {
	if _, err := d.m.state.merge(e); err != nil && !errors.Is(err, errStateClosed) {
		d.m.log.Error("merge state entry", "kind", e.Kind, "key", e.Key, "err", err)
	}
}

func (d *delegate) GetBroadcasts(overhead, limit int) [][]byte {
	return d.broadcasts.GetBroadcasts(overhead, limit)
}

func (d *delegate) LocalState(join bool) []byte {
	b, err := json.Marshal(d.m.state.all())
	if err != nil {
		d.m.log.Error("encode local state", "err", err)
	}
	return b
}

func (d *delegate) MergeRemoteState(buf []byte, join bool) {
	var entries []Entry
	if err := json.Unmarshal(buf, &entries); err != nil {
		d.m.log.Warn("dropping undecodable remote state", "err", err)
		return
	}
	for _, e := range entries {
		d.merge(e)
	}
}

// publish hands a locally written entry to gossip.
func (d *delegate) publish(e Entry) {
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	if len(b) <= maxBroadcast {
		d.broadcasts.QueueBroadcast(entryBroadcast{id: e.id(), msg: b})
		return
	}
	go d.m.sendReliableToAll(b)
}

// spread sends entries to every live member over the reliable channel,
// spreadBatch at a time, and returns once each message is sent.
func (d *delegate) spread(entries []Entry) {
	for len(entries) > 0 {
		n := min(len(entries), spreadBatch)
		b, err := json.Marshal(entries[:n])
		if err == nil {
			d.m.sendReliableToAll(b)
		}
		entries = entries[n:]
	}
}

// spreadBatch keeps one spread message to ~100 KB of JSON.
const spreadBatch = 300

type entryBroadcast struct {
	id  string
	msg []byte
}

func (b entryBroadcast) Invalidates(o memberlist.Broadcast) bool {
	other, ok := o.(entryBroadcast)
	return ok && other.id == b.id
}
func (b entryBroadcast) Message() []byte { return b.msg }
func (b entryBroadcast) Finished()       {}

// Event delegate: feeds the member table.
func (d *delegate) NotifyJoin(n *memberlist.Node)   { d.m.members.observe(n, stateOf(n)) }
func (d *delegate) NotifyUpdate(n *memberlist.Node) { d.m.members.observe(n, stateOf(n)) }
func (d *delegate) NotifyLeave(n *memberlist.Node)  { d.m.members.observe(n, stateOf(n)) }

// NotifyAlive refuses an alive message for a site name that a live
// member holds with another peer ID.
func (d *delegate) NotifyAlive(n *memberlist.Node) error { return d.checkName(n) }

// NotifyMerge refuses a push/pull merge that carries such a node.
func (d *delegate) NotifyMerge(nodes []*memberlist.Node) error {
	for _, n := range nodes {
		if err := d.checkName(n); err != nil {
			d.mu.Lock()
			d.conflict = err
			d.mu.Unlock()
			return err
		}
	}
	return nil
}

func (d *delegate) NotifyConflict(existing, other *memberlist.Node) {
	d.m.log.Warn("two nodes claim one site name", "site", existing.Name,
		"existing_addr", existing.Address(), "other_addr", other.Address())
}

func (d *delegate) checkName(n *memberlist.Node) error {
	meta, err := decodeMeta(n.Meta)
	if err != nil {
		return fmt.Errorf("node %s at %s: %w", n.Name, n.Address(), err)
	}
	holder, ok := d.m.holderOf(n.Name)
	if !ok || holder.PeerID == meta.PeerID {
		return nil
	}
	return fmt.Errorf("site name %q is already held by live member %s at %s (this node is %s): give this node another --site, or stop the other node",
		n.Name, holder.PeerID, holder.GossipAddr, meta.PeerID)
}

func (d *delegate) takeConflict() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	err := d.conflict
	d.conflict = nil
	return err
}
