#!/usr/bin/env bash
# Reruns the snapshot figures of BENCHMARKS.md with 5 real meshnode
# processes on loopback (bench/snap/) beside restic backing up the same
# generated directory to a local repository: directory to first
# snapshot, incremental after a 5 % change, restore (also with s1 and s2
# SIGKILLed), bytes stored and peak RSS. Drops the page cache before
# each timed run (needs root; the output says if it could not).
#
#   bash bench/snap.sh
#
# Needs restic (apt-get install restic). Takes about 10 minutes on an
# idle 2-core machine and ~8 GiB of free temp space. Raw outputs go to
# bench/out/ (git-ignored). Environment overrides:
#   SIZE_MIB=1024  FRAC=0.05  SEED=1  MODE=async  SITES=5  NODE_ARGS="--gc-percent 25"
#   CPUPROFILE=DIR (a CPU profile of every site over the first snapshot
#   and over the restore at s3, into DIR; read with go tool pprof)
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/machine.sh
out=bench/out
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

machine() {
	machine_head
	machine_disk
	echo "restic:    $(restic version)"
	echo "user:      $(id -un)"
	machine_tail
}

echo "== machine"
machine | tee "$out/snap-machine.txt"

echo "== building meshnode and bench/snap"
go build -o "$tmp/meshnode" ./cmd/meshnode
go build -o "$tmp/snap" ./bench/snap

"$tmp/snap" -meshnode "$tmp/meshnode" -restic restic -json "$out/snap.json" \
	-size-mib "${SIZE_MIB:-1024}" -frac "${FRAC:-0.05}" -seed "${SEED:-1}" \
	-mode "${MODE:-async}" -sites "${SITES:-5}" -node-args "${NODE_ARGS:-}" ${CPUPROFILE:+-cpuprofile "$CPUPROFILE"} | tee "$out/snap.txt"

echo "== raw outputs in $out/ (snap.txt, snap.json, snap-machine.txt)"
