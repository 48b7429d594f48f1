# Sourced by the benchmark scripts: machine_head prints what a figure
# depends on (date, commit, CPU, memory, kernel, Go); each script then
# adds its own lines (tool versions, disk, buffers) and machine_tail.

machine_head() {
	echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "commit:    $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with local changes)')"
	echo "cpus:      $(nproc)"
	echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "memory:    $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel:    $(uname -sr)"
	echo "go:        $(go version)"
}

machine_disk() {
	echo "disk:      $(df -h --output=source,fstype,size,avail "${TMPDIR:-/tmp}" | tail -1)"
}

machine_tail() {
	echo "load:      $(cut -d' ' -f1-3 /proc/loadavg)"
}
