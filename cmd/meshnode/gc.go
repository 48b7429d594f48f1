package main

import "runtime/debug"

// defaultGCPercent is Go's own default, 100: a lower target trades the
// node's main job for memory. On the benchmark VM (bench/hot.sh and
// bench/snap.sh, five sites on two cores), 50 lowered the peak RSS of the
// snapshotting node from ~220 to 165–205 MiB and of the restoring node
// from ~175 to 140–150 MiB, but slowed sequential 1 MiB writes to a
// dataset with one async replica from 184 to 143 MB/s: a node's heap is
// small and churns fast (every chunk passes through it), so a lower
// target means many more collections. 75 sat in between. Sites short of
// memory set --gc-percent 50.
const defaultGCPercent = 100

// setGCPercent applies the flag's GC target, unless the operator set
// GOGC and not the flag (the runtime has already applied GOGC).
func setGCPercent(flagGiven bool, percent int, gogc string) {
	if gogc != "" && !flagGiven {
		return
	}
	debug.SetGCPercent(percent)
}
