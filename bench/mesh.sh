#!/usr/bin/env bash
# Reruns the mesh figures of BENCHMARKS.md: libp2p stream throughput
# (TCP, QUIC, raw TCP) and kill->dead detection time per profile.
#
#   bash bench/mesh.sh
#
# Run it from anywhere in the repo on an otherwise idle machine; it takes
# about six minutes (the wan profile needs ~40 s a run). Raw outputs go
# to bench/out/ (git-ignored). Environment overrides:
#   PROFILES=lan,wan,fast  RUNS=5  SITES=5  BENCHTIME=2000x  COUNT=3
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/machine.sh
out=bench/out
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

machine() {
	machine_head
	echo "udp bufs:  net.core.rmem_max=$(cat /proc/sys/net/core/rmem_max) net.core.wmem_max=$(cat /proc/sys/net/core/wmem_max) (quic-go wants 7 MiB)"
	echo "user:      $(id -un) (as root, quic-go forces 7 MiB UDP buffers past rmem_max)"
	machine_tail
}

echo "== machine"
machine | tee "$out/machine.txt"

echo "== building meshnode"
go build -o "$tmp/meshnode" ./cmd/meshnode

echo "== libp2p stream throughput (go test -bench)"
go test ./mesh -run '^$' -bench BenchmarkStreamThroughput \
	-benchtime "${BENCHTIME:-2000x}" -count "${COUNT:-3}" | tee "$out/throughput.txt"

echo "== kill->dead detection (bench/detect)"
go run ./bench/detect -meshnode "$tmp/meshnode" -profiles "${PROFILES:-lan,wan,fast}" \
	-runs "${RUNS:-5}" -sites "${SITES:-5}" -json "$out/detect.json" | tee "$out/detect.txt"

echo "== raw outputs in $out/"
