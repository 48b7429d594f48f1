#!/usr/bin/env bash
# Reruns the hot replication figures of BENCHMARKS.md with real meshnode
# processes on loopback (bench/hot/): primary write throughput, sync
# write latency, async lag at 1000 writes/s, RTO after SIGKILL of the
# primary per profile, and the replication of a 5 % change of a
# generated tree beside rsync.
#
#   bash bench/hot.sh
#
# Needs rsync and ss (iproute2). Takes about 15 minutes on an idle
# 2-core machine and needs ~10 GiB of free temp space. Raw outputs go to
# bench/out/ (git-ignored). Environment overrides:
#   RUN=throughput,latency,lag,rto,delta  FILES=256  BIG_MIB=1024
#   WRITES=1000  RATE=1000  LAG_FOR=10s  PROFILES=lan,wan,fast  RUNS=5
#   WAN_RUNS=3  SIZE_MIB=1024  FRAC=0.05  SEED=1
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
	echo "rsync:     $(rsync --version | head -1)"
	echo "user:      $(id -un)"
	machine_tail
}

echo "== machine"
machine | tee "$out/hot-machine.txt"

echo "== building meshnode and bench/hot"
go build -o "$tmp/meshnode" ./cmd/meshnode
go build -o "$tmp/hot" ./bench/hot

"$tmp/hot" -meshnode "$tmp/meshnode" -out "$out" \
	-run "${RUN:-throughput,latency,lag,rto,delta}" \
	-files "${FILES:-256}" -big-mib "${BIG_MIB:-1024}" \
	-writes "${WRITES:-1000}" -rate "${RATE:-1000}" -lag-for "${LAG_FOR:-10s}" \
	-profiles "${PROFILES:-lan,wan,fast}" -runs "${RUNS:-5}" -wan-runs "${WAN_RUNS:-3}" \
	-size-mib "${SIZE_MIB:-1024}" -frac "${FRAC:-0.05}" -seed "${SEED:-1}" | tee "$out/hot.txt"

echo "== raw outputs in $out/ (hot.txt, hot-*.json, hot-machine.txt)"
