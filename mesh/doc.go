// Package mesh owns a site's place in the mesh: its identity, the gossip
// membership (hashicorp/memberlist, encrypted with the mesh key), the
// libp2p host that carries data between members, and the cluster-wide
// state that every site replicates by gossip.
//
// It admits only members: the libp2p connection gater refuses any peer
// whose ID is not in the meta of a live member, and memberlist refuses any
// message that the mesh key does not authenticate. It must never store
// dataset bytes or decide placement; it only tells who is in the mesh and
// moves streams and small state between them.
package mesh
