package main

import "runtime/debug"

// defaultGCPercent is the node's GC target: half of Go's default 100.
// A node's heap is mostly chunk and shard buffers, which hold no
// pointers, so a collection has little to scan, and the peak a node
// reaches follows the target closely. In bench/snap.sh, 50 lowered the
// peak RSS of the snapshotting node from ~220 to ~177 MiB and of the
// restoring node from ~190 to ~160 MiB at the same speed; 25 lowered it
// further but slowed the snapshot by a quarter.
const defaultGCPercent = 50

// setGCPercent applies the flag's GC target, unless the operator set
// GOGC and not the flag (the runtime has already applied GOGC).
func setGCPercent(flagGiven bool, percent int, gogc string) {
	if gogc != "" && !flagGiven {
		return
	}
	debug.SetGCPercent(percent)
}
