package policy_test

import (
	"testing"
	"time"

	"github.com/meshvault/meshvault/policy"
)

func TestValidate(t *testing.T) {
	const nothing = "refusing to forget every snapshot: give at least one --keep-* rule"
	for _, tc := range []struct {
		name string
		r    policy.Retention
		want string // "" means valid
	}{
		{"last", policy.Retention{Last: 1}, ""},
		{"unlimited daily", policy.Retention{Daily: -1}, ""},
		{"within only", policy.Retention{Within: time.Hour}, ""},
		{"tag only", policy.Retention{Tags: []string{"prod"}}, ""},
		{"all rules", policy.Retention{Last: 1, Hourly: 2, Daily: 3, Weekly: 4, Monthly: 5, Yearly: 6,
			Within: 72 * time.Hour, Tags: []string{"a", "b"}}, ""},
		{"zero value", policy.Retention{}, nothing},
		{"empty tag list", policy.Retention{Tags: []string{}}, nothing},
		{"last -2", policy.Retention{Last: -2}, "--keep-last must be -1 (unlimited) or a count of at least 0, got -2"},
		{"hourly -2", policy.Retention{Hourly: -2, Daily: 1}, "--keep-hourly must be -1 (unlimited) or a count of at least 0, got -2"},
		{"daily -5", policy.Retention{Daily: -5}, "--keep-daily must be -1 (unlimited) or a count of at least 0, got -5"},
		{"weekly -3", policy.Retention{Weekly: -3}, "--keep-weekly must be -1 (unlimited) or a count of at least 0, got -3"},
		{"monthly -9", policy.Retention{Monthly: -9}, "--keep-monthly must be -1 (unlimited) or a count of at least 0, got -9"},
		{"yearly -2", policy.Retention{Yearly: -2, Last: 3}, "--keep-yearly must be -1 (unlimited) or a count of at least 0, got -2"},
		{"negative within", policy.Retention{Within: -time.Hour, Last: 1}, "--keep-within must not be negative, got -1h0m0s"},
		{"empty tag", policy.Retention{Tags: []string{"prod", ""}}, "--keep-tag needs a non-empty tag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Fatalf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestApplyEmptyInput(t *testing.T) {
	if got := policy.Apply(nil, policy.Retention{Last: 3}); len(got) != 0 {
		t.Fatalf("Apply(nil) = %v", got)
	}
}

// TestWithinBoundary: restic keeps a snapshot only if it is strictly
// after newest-within, and prints the duration as hours.
func TestWithinBoundary(t *testing.T) {
	t0 := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	snaps := []policy.Snapshot{
		{ID: "a", Time: t0}, {ID: "b", Time: t0.Add(-72*time.Hour + time.Second)}, {ID: "c", Time: t0.Add(-72 * time.Hour)},
	}
	ds := policy.Apply(snaps, policy.Retention{Within: 72 * time.Hour})
	if !ds[0].Keep || !ds[1].Keep || ds[2].Keep {
		t.Fatalf("decisions = %+v", ds)
	}
	if got := ds[0].Reasons; len(got) != 1 || got[0] != "within 72h" {
		t.Fatalf("reasons = %q", got)
	}
	if got := policy.Apply(snaps[:1], policy.Retention{Within: 90 * time.Minute})[0].Reasons; got[0] != "within 1h30m0s" {
		t.Fatalf("reasons = %q", got)
	}
}
