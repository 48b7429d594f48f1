// Package policy owns the rules that decide what the mesh keeps and when:
// dataset policies, snapshot schedules and snapshot retention (the
// `meshctl snapshot forget --keep-*` rules, with restic's semantics).
//
// Everything here is a pure function over values: callers read the
// snapshot catalog, ask this package what to keep, and carry out the
// decision themselves. The package must never touch storage (Pebble,
// files, the chunk store) or the network (memberlist, libp2p, the API),
// and must never read the clock: times come in as arguments.
package policy
