package mesh

import "time"

// Faults decides what happens to traffic from one site to another. The
// simulation harness sets it to cut, slow or drop links between sites of
// one process; production leaves it nil and every link is whole.
type Faults interface {
	Link(from, to string) Link
}

// Link is the fate of one message, datagram or connection on a link.
type Link struct {
	// Cut: nothing crosses (a partition).
	Cut bool
	// Drop: this one datagram is lost (loss). Streams ignore it.
	Drop bool
	// Delay is added before the message leaves (latency).
	Delay time.Duration
	// StateLag holds back cluster-state entries written at the link's
	// source: they reach its destination this late, by whatever path they
	// travel (gossip, push/pull, spread, relayed by a third site), while
	// the link itself stays fast. It is news that is slow to spread.
	StateLag time.Duration
}

func (m *Mesh) link(to string) Link {
	if m.cfg.Faults == nil || to == "" || to == m.cfg.Identity.Site {
		return Link{}
	}
	return m.cfg.Faults.Link(m.cfg.Identity.Site, to)
}

// lagFrom is how late entries written at site reach this one.
func (m *Mesh) lagFrom(site string) time.Duration {
	if m.cfg.Faults == nil || site == "" || site == m.cfg.Identity.Site {
		return 0
	}
	return m.cfg.Faults.Link(site, m.cfg.Identity.Site).StateLag
}

// siteByGossipAddr maps a memberlist address to the site there, or "".
func (m *Mesh) siteByGossipAddr(addr string) string {
	mem, ok := m.members.find(func(x Member) bool { return x.GossipAddr == addr })
	if !ok {
		return ""
	}
	return mem.Site
}

// siteByPeer maps a libp2p peer ID to the member site that holds it.
func (m *Mesh) siteByPeer(id string) (Member, bool) {
	return m.members.find(func(x Member) bool { return x.PeerID == id })
}
