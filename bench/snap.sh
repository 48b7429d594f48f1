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
#   SIZE_MIB=1024  FRAC=0.05  SEED=1  MODE=async  SITES=5
set -euo pipefail

cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

machine() {
	echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "commit:    $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with local changes)')"
	echo "cpus:      $(nproc)"
	echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "memory:    $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel:    $(uname -sr)"
	echo "go:        $(go version)"
	echo "disk:      $(df -h --output=source,fstype,size,avail "${TMPDIR:-/tmp}" | tail -1)"
	echo "restic:    $(restic version)"
	echo "user:      $(id -un)"
	echo "load:      $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "== machine"
machine | tee "$out/snap-machine.txt"

echo "== building meshnode and bench/snap"
go build -o "$tmp/meshnode" ./cmd/meshnode
go build -o "$tmp/snap" ./bench/snap

"$tmp/snap" -meshnode "$tmp/meshnode" -restic restic -json "$out/snap.json" \
	-size-mib "${SIZE_MIB:-1024}" -frac "${FRAC:-0.05}" -seed "${SEED:-1}" \
	-mode "${MODE:-async}" -sites "${SITES:-5}" | tee "$out/snap.txt"

echo "== raw outputs in $out/ (snap.txt, snap.json, snap-machine.txt)"
