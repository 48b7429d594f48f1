package simulations

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/meshvault/meshvault/mesh"
)

// LinkFault is what the harness does to traffic on one directed link.
type LinkFault struct {
	// Delay is added to every message and datagram (one way).
	Delay time.Duration
	// Loss is the probability that a gossip datagram is lost.
	Loss float64
	// StateLag holds back the cluster-state entries written at the
	// link's source (catalog records, markers) for this long before its
	// destination applies them, whichever way they travel; membership and
	// streams are untouched. It is how a test makes news slow to spread.
	StateLag time.Duration
}

// Faults is the cluster's table of link faults. It implements mesh.Faults
// and is shared by every node of the cluster, so each node applies it to
// what it sends.
type Faults struct {
	mu    sync.Mutex
	rng   *rand.Rand
	cut   map[[2]string]bool
	links map[[2]string]LinkFault
}

func newFaults(seed int64) *Faults {
	return &Faults{
		rng:   rand.New(rand.NewPCG(uint64(seed), uint64(seed)>>1|1)),
		cut:   map[[2]string]bool{},
		links: map[[2]string]LinkFault{},
	}
}

// Link implements mesh.Faults.
func (f *Faults) Link(from, to string) mesh.Link {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := [2]string{from, to}
	if f.cut[k] {
		return mesh.Link{Cut: true}
	}
	lf, ok := f.links[k]
	if !ok {
		return mesh.Link{}
	}
	return mesh.Link{Delay: lf.Delay, Drop: lf.Loss > 0 && f.rng.Float64() < lf.Loss, StateLag: lf.StateLag}
}

// cutBetween cuts every link between a site of one group and a site of
// another, both ways.
func (f *Faults) cutBetween(groups [][]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, g := range groups {
		for j, h := range groups {
			if i == j {
				continue
			}
			for _, a := range g {
				for _, b := range h {
					f.cut[[2]string{a, b}] = true
				}
			}
		}
	}
}

func (f *Faults) setLink(from, to string, lf LinkFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.links[[2]string{from, to}] = lf
}

func (f *Faults) heal() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.cut)
	clear(f.links)
}
