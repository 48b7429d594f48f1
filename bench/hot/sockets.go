package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"github.com/meshvault/meshvault/bench/internal/harness"
)

// rxBytes sums bytes_received over the TCP sockets the process holds
// open, as `ss -tinp` reports them (the kernel's tcp_info). Sockets
// closed between two readings drop out, so only long-lived connections
// (the libp2p one) are counted reliably.
func rxBytes(n *harness.Node) (int64, error) {
	out, err := exec.Command("ss", "-tinpH").Output()
	if err != nil {
		return 0, fmt.Errorf("ss -tinpH: %w", err)
	}
	return sumReceived(out, fmt.Sprintf("pid=%d,", n.Cmd.Process.Pid)), nil
}

// sumReceived adds bytes_received of each socket line owned by pid; ss
// prints a socket's tcp_info on the line after it.
func sumReceived(out []byte, pid string) int64 {
	var sum int64
	owned := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "\t") && !strings.HasPrefix(line, " ") {
			owned = strings.Contains(line, pid)
			continue
		}
		if owned {
			sum += field(line, "bytes_received:")
		}
	}
	return sum
}

func field(line, key string) int64 {
	i := strings.Index(line, key)
	if i < 0 {
		return 0
	}
	v, _, _ := strings.Cut(line[i+len(key):], " ")
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}
