package mesh

import (
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// memberGater admits a libp2p connection only from or to a peer ID that a
// live mesh member announced in its meta. libp2p's own gater is a
// blocklist; this is an allowlist. Under fault injection it also refuses
// links that are cut.
type memberGater struct{ m *Mesh }

func (g memberGater) allowed(id peer.ID) bool {
	if id == g.m.cfg.Identity.PeerID {
		return true
	}
	mem, ok := g.m.siteByPeer(id.String())
	return ok && mem.State.live() && !g.m.link(mem.Site).Cut
}

func (g memberGater) InterceptPeerDial(id peer.ID) bool { return g.allowed(id) }

func (g memberGater) InterceptAddrDial(id peer.ID, _ ma.Multiaddr) bool { return g.allowed(id) }

func (g memberGater) InterceptAccept(network.ConnMultiaddrs) bool { return true }

func (g memberGater) InterceptSecured(_ network.Direction, id peer.ID, _ network.ConnMultiaddrs) bool {
	ok := g.allowed(id)
	if !ok {
		g.m.log.Debug("refused libp2p connection from a non-member", "peer", id)
	}
	return ok
}

func (g memberGater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) {
	return true, 0
}
