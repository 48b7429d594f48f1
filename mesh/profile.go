package mesh

import (
	"fmt"
	"math"
	"time"

	"github.com/hashicorp/memberlist"
)

// Profile is a set of memberlist timings. Operators pick one by name with
// --profile; each trades detection speed against false suspicion and
// gossip traffic.
type Profile struct {
	Name                    string
	ProbeInterval           time.Duration
	ProbeTimeout            time.Duration
	GossipInterval          time.Duration
	PushPullInterval        time.Duration
	TCPTimeout              time.Duration
	GossipToTheDeadTime     time.Duration
	SuspicionMult           int
	SuspicionMaxTimeoutMult int
	// ReconnectInterval is how often a site tries to rejoin members it
	// holds dead, so that two halves of a healed partition find each
	// other again (memberlist alone never probes dead members).
	ReconnectInterval time.Duration
}

// ProfileNames lists the profiles in the order the --help shows them.
var profileNames = []string{"lan", "wan", "fast"}

// LookupProfile returns the named profile or an error naming the choices.
func LookupProfile(name string) (Profile, error) {
	switch name {
	case "lan":
		return fromMemberlist("lan", memberlist.DefaultLANConfig(), 5*time.Second), nil
	case "wan":
		return fromMemberlist("wan", memberlist.DefaultWANConfig(), 30*time.Second), nil
	case "fast":
		return FastProfile(), nil
	}
	return Profile{}, fmt.Errorf("unknown profile %q: use one of %v", name, profileNames)
}

// FastProfile detects a dead site in well under a second on a quiet LAN:
// probes every 200ms with a 100ms timeout, and a suspicion that lasts two
// probe intervals. It is for tests and for LANs that want sub-second
// failover; on a lossy network it raises false suspicions.
func FastProfile() Profile {
	return Profile{
		Name:                    "fast",
		ProbeInterval:           200 * time.Millisecond,
		ProbeTimeout:            100 * time.Millisecond,
		GossipInterval:          50 * time.Millisecond,
		PushPullInterval:        2 * time.Second,
		TCPTimeout:              2 * time.Second,
		GossipToTheDeadTime:     5 * time.Second,
		SuspicionMult:           2,
		SuspicionMaxTimeoutMult: 3,
		ReconnectInterval:       500 * time.Millisecond,
	}
}

func fromMemberlist(name string, c *memberlist.Config, reconnect time.Duration) Profile {
	return Profile{
		Name: name, ProbeInterval: c.ProbeInterval, ProbeTimeout: c.ProbeTimeout,
		GossipInterval: c.GossipInterval, PushPullInterval: c.PushPullInterval,
		TCPTimeout: c.TCPTimeout, GossipToTheDeadTime: c.GossipToTheDeadTime,
		SuspicionMult: c.SuspicionMult, SuspicionMaxTimeoutMult: c.SuspicionMaxTimeoutMult,
		ReconnectInterval: reconnect,
	}
}

func (p Profile) apply(c *memberlist.Config) {
	c.ProbeInterval, c.ProbeTimeout = p.ProbeInterval, p.ProbeTimeout
	c.GossipInterval, c.PushPullInterval = p.GossipInterval, p.PushPullInterval
	c.TCPTimeout, c.GossipToTheDeadTime = p.TCPTimeout, p.GossipToTheDeadTime
	c.SuspicionMult, c.SuspicionMaxTimeoutMult = p.SuspicionMult, p.SuspicionMaxTimeoutMult
	// A site that restarts on a new address may reclaim its name once the
	// mesh has held it dead this long.
	c.DeadNodeReclaimTime = p.GossipToTheDeadTime
}

// SuspicionTimeout is memberlist's formula for how long a suspect stays
// suspect in a mesh of n members: SuspicionMult × max(1, log10 n) ×
// ProbeInterval at least, SuspicionMaxTimeoutMult times that at most
// (confirmations from other members shorten it toward the minimum).
func (p Profile) SuspicionTimeout(n int) (min, max time.Duration) {
	scale := math.Max(1, math.Log10(math.Max(1, float64(n))))
	min = time.Duration(float64(p.SuspicionMult) * scale * float64(p.ProbeInterval))
	if p.SuspicionMult-2 < 1 || n-2 < p.SuspicionMult-2 {
		return min, min // memberlist expects no confirmations: the timer is the minimum
	}
	return min, time.Duration(p.SuspicionMaxTimeoutMult) * min
}

// DeadBound is the time within which every live member of an n-site mesh
// declares a killed site dead: n-1 probe intervals, by which every
// member's round-robin has probed it, one more for the probe and indirect
// probes to time out, the longest suspicion timeout, and a few gossip
// intervals for the verdict to spread.
func (p Profile) DeadBound(n int) time.Duration {
	_, maxSuspicion := p.SuspicionTimeout(n)
	rounds := time.Duration(max(n, 2))
	return rounds*p.ProbeInterval + maxSuspicion + 4*p.GossipInterval
}
