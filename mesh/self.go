package mesh

import (
	"time"
)

// meta is what this site announces about itself.
func (m *Mesh) meta() Meta {
	meta := Meta{Zone: m.cfg.Zone, PeerID: m.cfg.Identity.PeerID.String(), Version: m.cfg.Version}
	if h := m.Host(); h != nil {
		for _, a := range h.Addrs() {
			meta.Addrs = append(meta.Addrs, a.String())
		}
	}
	m.mu.Lock()
	meta.API = m.apiAddr
	m.mu.Unlock()
	if m.cfg.FreeBytes != nil {
		meta.FreeBytes = m.cfg.FreeBytes()
	}
	return meta
}

// SetAPIAddr announces the address of this site's API to the mesh.
func (m *Mesh) SetAPIAddr(addr string) {
	m.mu.Lock()
	m.apiAddr = addr
	m.mu.Unlock()
	m.updateMeta()
}

func (m *Mesh) updateMeta() {
	if ml := m.memberlist(); ml != nil {
		if err := ml.UpdateNode(2 * time.Second); err != nil {
			m.log.Warn("announce node meta", "err", err)
		}
	}
}

// holderOf returns the live member that holds site name: this site
// itself, or a live member of the table.
func (m *Mesh) holderOf(site string) (Member, bool) {
	if site == m.cfg.Identity.Site {
		return Member{Site: site, PeerID: m.cfg.Identity.PeerID.String(), GossipAddr: m.selfGossipAddr()}, true
	}
	mem, ok := m.members.get(site)
	return mem, ok && mem.State.live()
}

// selfGossipAddr must not call into memberlist: delegates that use it
// run under memberlist's node lock.
func (m *Mesh) selfGossipAddr() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gossipAddr != "" {
		return m.gossipAddr
	}
	return m.cfg.GossipAddr
}

// GossipAddr is the address other sites reach this one's gossip at.
func (m *Mesh) GossipAddr() string { return m.selfGossipAddr() }

// sendReliableToAll sends a state message too large for UDP gossip to
// every live member over memberlist's TCP channel.
func (m *Mesh) sendReliableToAll(msg []byte) {
	ml := m.memberlist()
	if ml == nil {
		return
	}
	for _, n := range ml.Members() {
		if n.Name == m.cfg.Identity.Site || m.link(n.Name).Cut {
			continue
		}
		if err := ml.SendReliable(n, msg); err != nil {
			m.log.Debug("send state", "to", n.Name, "err", err)
		}
	}
}
