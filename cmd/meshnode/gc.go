package main

import "runtime/debug"

// defaultGCPercent is half Go's own default: the heap may grow 50 %
// over what is live before a collection. A node's garbage is small now
// that chunk and shard buffers are reused, so fewer collections buy
// little, and a restore runs on the sites that survived, where memory
// counts. On the benchmark VM (bench/hot.sh and bench/snap.sh, five
// sites on two cores), against 100: the snapshotting node's peak RSS
// fell from 209-233 to 196 MiB and the restoring node's from 159-186 to
// 149-153 MiB, with the same times and CPU within noise, and the same
// write throughput. 25 cut them to 165 and 127-132 MiB for ~5 % more CPU
// and a ~10 % slower restore: for sites short of memory.
const defaultGCPercent = 50

// setGCPercent applies the flag's GC target, unless the operator set
// GOGC and not the flag (the runtime has already applied GOGC).
func setGCPercent(flagGiven bool, percent int, gogc string) {
	if gogc != "" && !flagGiven {
		return
	}
	debug.SetGCPercent(percent)
}
