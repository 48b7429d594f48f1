package main

import (
	"runtime/debug"
	"testing"
)

// gcPercentAfter applies setGCPercent from a known target and returns
// the target it left, restoring the process's own afterwards.
func gcPercentAfter(flagGiven bool, percent int, gogc string) int {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	setGCPercent(flagGiven, percent, gogc)
	return debug.SetGCPercent(100)
}

func TestGCTargetIsTheDefaultUnlessGOGCOrTheFlagSaysOtherwise(t *testing.T) {
	cases := []struct {
		name      string
		flagGiven bool
		percent   int
		gogc      string
		want      int
	}{
		{"default", false, defaultGCPercent, "", defaultGCPercent},
		{"GOGC set, flag not given: the runtime's GOGC stays", false, defaultGCPercent, "80", 100},
		{"flag given wins over GOGC", true, 30, "80", 30},
	}
	for _, c := range cases {
		if got := gcPercentAfter(c.flagGiven, c.percent, c.gogc); got != c.want {
			t.Errorf("%s: GC target %d, want %d", c.name, got, c.want)
		}
	}
}
