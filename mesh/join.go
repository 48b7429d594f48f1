package mesh

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// joinSeeds makes one attempt to join through the --join addresses. A
// site-name conflict is fatal; any other failure is logged with its most
// likely cause and left to the reconnect loop.
func (m *Mesh) joinSeeds() error {
	if len(m.cfg.Join) == 0 {
		return nil
	}
	n, err := m.memberlist().Join(m.cfg.Join)
	if conflict := m.del.takeConflict(); conflict != nil {
		return fmt.Errorf("join mesh: %w", conflict)
	}
	if err != nil && n == 0 {
		m.log.Warn("could not join any seed; retrying in the background. If the seeds are up, check that --mesh-key-file holds the same mesh key as the other sites (gossip from another key cannot be decrypted)",
			"join", strings.Join(m.cfg.Join, ","), "err", err)
	}
	return nil
}

// reconnectLoop retries joining: through the seeds while this site is
// alone, and through one dead member at a time (as serf does), so that
// the two sides of a healed partition find each other.
func (m *Mesh) reconnectLoop(stop <-chan struct{}) {
	t := time.NewTicker(m.cfg.Profile.ReconnectInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			m.reconnectOnce()
		}
	}
}

func (m *Mesh) reconnectOnce() {
	ml := m.memberlist()
	if ml == nil {
		return
	}
	targets := m.deadAddrs()
	if ml.NumMembers() <= 1 {
		targets = append(targets, m.cfg.Join...)
	}
	if len(targets) == 0 {
		return
	}
	target := targets[rand.IntN(len(targets))]
	if _, err := ml.Join([]string{target}); err != nil {
		m.log.Debug("reconnect failed", "addr", target, "err", err)
	}
	if conflict := m.del.takeConflict(); conflict != nil {
		m.log.Error("reconnect refused", "addr", target, "err", conflict)
	}
}

// deadAddrs lists the gossip addresses of members held dead (not left:
// a site that left on purpose is not chased).
func (m *Mesh) deadAddrs() []string {
	var out []string
	for _, mem := range m.members.list() {
		if mem.State == StateDead && mem.GossipAddr != "" {
			out = append(out, mem.GossipAddr)
		}
	}
	return out
}

// refreshLoop polls memberlist for suspect members: memberlist tells its
// event delegate of joins, updates and deaths, but not of suspicion.
func (m *Mesh) refreshLoop(stop <-chan struct{}) {
	t := time.NewTicker(max(m.cfg.Profile.ProbeInterval/2, 50*time.Millisecond))
	defer t.Stop()
	lastMeta := m.cfg.Now()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			m.refreshStates()
			if m.cfg.Now().Sub(lastMeta) > metaRefresh {
				lastMeta = m.cfg.Now()
				m.updateMeta()
			}
		}
	}
}

// metaRefresh is how often free space is re-announced.
const metaRefresh = time.Minute

func (m *Mesh) refreshStates() {
	ml := m.memberlist()
	if ml == nil {
		return
	}
	for _, n := range ml.Members() {
		if cur, ok := m.members.get(n.Name); !ok || cur.State != stateOf(n) {
			m.members.observe(n, stateOf(n))
		}
	}
}
