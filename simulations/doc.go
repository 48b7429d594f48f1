// Package simulations runs whole meshes of real nodes inside one process
// and injects faults into them: kill and restart sites, partition sets of
// sites, slow or drop links, and heal. Every node is a real node.Node with
// real memberlist, real libp2p on 127.0.0.1 and real Pebble in its own
// directory; only the links between them are controlled, by a
// fault-injecting wrapper around the real transports (mesh.Faults).
//
// Runs are seeded: the seed decides every random loss, so a failing run
// can be replayed with the same Options.Seed. Wait helpers poll until a
// condition holds and fail with what they last saw, never sleep blindly.
//
// This package must never be imported by the daemon: it is for tests,
// DR drills and benchmarks.
package simulations
