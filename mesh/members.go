package mesh

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

// State is a member's state as this site sees it.
type State string

// The states a member can be in.
const (
	StateAlive   State = "alive"
	StateSuspect State = "suspect"
	StateDead    State = "dead"
	StateLeft    State = "left"
)

// Member is one site as this site sees it.
type Member struct {
	Site       string    `json:"site"`
	Zone       string    `json:"zone"`
	State      State     `json:"state"`
	PeerID     string    `json:"peer_id"`
	Addrs      []string  `json:"addrs"`
	GossipAddr string    `json:"gossip_addr"`
	API        string    `json:"api,omitempty"`
	Version    string    `json:"version,omitempty"`
	FreeBytes  uint64    `json:"free_bytes"`
	Since      time.Time `json:"since"`
}

// members is this site's table of every site it has seen. memberlist
// forgets dead sites after a while; the table keeps them, so operators
// see a lost site as dead instead of not at all.
type members struct {
	mu    sync.RWMutex
	sites map[string]Member
	now   func() time.Time
	// onChange is called, outside the lock, after a member's state or
	// meta changes.
	onChange func(Member)
}

func newMembers(now func() time.Time, onChange func(Member)) *members {
	return &members{sites: map[string]Member{}, now: now, onChange: onChange}
}

// observe records what memberlist says of n.
func (t *members) observe(n *memberlist.Node, state State) {
	meta, _ := decodeMeta(n.Meta)
	t.mu.Lock()
	old, had := t.sites[n.Name]
	m := Member{
		Site: n.Name, Zone: meta.Zone, State: state, PeerID: meta.PeerID,
		Addrs: meta.Addrs, GossipAddr: n.Address(), API: meta.API,
		Version: meta.Version, FreeBytes: meta.FreeBytes, Since: old.Since,
	}
	if meta.PeerID == "" && had { // a dead node's meta may be gone: keep what we knew
		m.Zone, m.PeerID, m.Addrs, m.API, m.Version = old.Zone, old.PeerID, old.Addrs, old.API, old.Version
	}
	if !had || old.State != state {
		m.Since = t.now()
	}
	t.sites[n.Name] = m
	t.mu.Unlock()
	if t.onChange != nil && (!had || !sameMember(old, m)) {
		t.onChange(m)
	}
}

func sameMember(a, b Member) bool {
	return a.State == b.State && a.PeerID == b.PeerID && a.API == b.API &&
		a.Zone == b.Zone && slices.Equal(a.Addrs, b.Addrs) && a.GossipAddr == b.GossipAddr
}

// list returns every member, sorted by site.
func (t *members) list() []Member {
	t.mu.RLock()
	out := make([]Member, 0, len(t.sites))
	for _, m := range t.sites {
		out = append(out, m)
	}
	t.mu.RUnlock()
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(a.Site, b.Site) })
	return out
}

func (t *members) get(site string) (Member, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m, ok := t.sites[site]
	return m, ok
}

// find returns the member for which match is true.
func (t *members) find(match func(Member) bool) (Member, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, m := range t.sites {
		if match(m) {
			return m, true
		}
	}
	return Member{}, false
}

func stateOf(n *memberlist.Node) State {
	switch n.State {
	case memberlist.StateAlive:
		return StateAlive
	case memberlist.StateSuspect:
		return StateSuspect
	case memberlist.StateLeft:
		return StateLeft
	}
	return StateDead
}

// live reports whether a member in state s may talk to this site.
func (s State) live() bool { return s == StateAlive || s == StateSuspect }
