package main

import (
	"runtime"
	"strings"
	"testing"
)

func TestProcsFlagSetsGOMAXPROCSAndZeroKeepsTheDefault(t *testing.T) {
	old := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(old)
	if err := setProcs(old + 3); err != nil || runtime.GOMAXPROCS(0) != old+3 {
		t.Fatalf("--procs %d: GOMAXPROCS %d, err %v", old+3, runtime.GOMAXPROCS(0), err)
	}
	if err := setProcs(0); err != nil || runtime.GOMAXPROCS(0) != old+3 {
		t.Fatalf("--procs 0 changed GOMAXPROCS to %d (err %v); it must keep what is set", runtime.GOMAXPROCS(0), err)
	}
}

func TestProcsFlagRejectsANegativeCountNamingTheFix(t *testing.T) {
	old := runtime.GOMAXPROCS(0)
	err := setProcs(-1)
	if err == nil || !strings.Contains(err.Error(), "give 0") {
		t.Fatalf("--procs -1: err %v, want one that names the fix", err)
	}
	if runtime.GOMAXPROCS(0) != old {
		t.Fatalf("a rejected --procs changed GOMAXPROCS to %d", runtime.GOMAXPROCS(0))
	}
}
