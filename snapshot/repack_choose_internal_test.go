package snapshot

import (
	"slices"
	"testing"
)

func TestChooseRepackTakesTheEmptiestPacksUntilWhatStaysUnusedIsWithinTheLimit(t *testing.T) {
	full := packUse{ID: "full", Length: 100, Used: 100}
	half := packUse{ID: "half", Length: 100, Used: 50}
	tenth := packUse{ID: "tenth", Length: 100, Used: 10}
	nearly := packUse{ID: "nearly", Length: 100, Used: 97}
	for _, tc := range []struct {
		name      string
		uses      []packUse
		maxUnused float64
		want      []string
	}{
		{"nothing unused", []packUse{full, full}, 0, nil},
		{"never, when negative", []packUse{full, half, tenth}, -1, nil},
		{"every partly used pack at 0", []packUse{nearly, full, half, tenth}, 0, []string{"tenth", "half", "nearly"}},
		{"emptiest first, then stop", []packUse{half, full, tenth, nearly}, 0.05, []string{"tenth", "half"}}, // 3 unused left of 257 used
		{"within the limit already", []packUse{full, full, full, nearly}, 0.05, nil},                         // 3 of 397
		{"one pack over the limit", []packUse{full, nearly}, 0.01, []string{"nearly"}},                       // 3 of 197 > 1.97
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, u := range chooseRepack(tc.uses, tc.maxUnused) {
				got = append(got, u.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("chooseRepack(%v, %g) = %v, want %v", tc.uses, tc.maxUnused, got, tc.want)
			}
		})
	}
}
