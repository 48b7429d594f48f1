package simulations

// Partition cuts every link between sites of different groups, for both
// gossip and libp2p, and closes libp2p connections that cross the cut.
// Sites in no group keep their links.
func (c *Cluster) Partition(groups ...[]string) {
	c.faults.cutBetween(groups)
	c.enforce()
}

// Isolate cuts one site off from all others.
func (c *Cluster) Isolate(name string) {
	var rest []string
	for _, other := range c.Names() {
		if other != name {
			rest = append(rest, other)
		}
	}
	c.Partition([]string{name}, rest)
}

// SetLink slows or drops traffic from one site to another (one way).
func (c *Cluster) SetLink(from, to string, f LinkFault) {
	c.faults.setLink(from, to, f)
}

// Heal restores every link.
func (c *Cluster) Heal() { c.faults.heal() }

func (c *Cluster) enforce() {
	for _, name := range c.Running() {
		if n := c.Node(name); n != nil && n.Mesh() != nil {
			n.Mesh().EnforceFaults()
		}
	}
}
