package policy_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/policy"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

var newest = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

// fixture returns 40 snapshots spanning 2022-01 to 2025-03, oldest first,
// with IDs s01..s40; every 4th is tagged prod and every 7th manual.
func fixture() []policy.Snapshot {
	var times []time.Time
	// A burst: three in 09:xx, two in 08:xx, one just after midnight.
	for _, m := range []int{0, 15, 30, 45, 70, 115, 570} {
		times = append(times, newest.Add(-time.Duration(m)*time.Minute))
	}
	// The last fortnight, some days twice, some not at all; 02-26 10:00
	// is exactly 72h before the newest.
	for _, s := range []string{"02-28T23:30", "02-28T12:00", "02-27T18:00", "02-26T10:00",
		"02-24T20:00", "02-23T20:00", "02-22T10:00", "02-20T10:00", "02-17T10:00"} {
		times = append(times, parse(2025, s))
	}
	// Every nine days back from 2025-02-10: about one a week.
	for i := range 7 {
		times = append(times, time.Date(2025, 2, 10-9*i, 10, 0, 0, 0, time.UTC))
	}
	// The 15th of each month from 2024-11 back to 2024-03, and 2024-09-01.
	for i := range 9 {
		times = append(times, time.Date(2024, time.Month(11-i), 15, 10, 0, 0, 0, time.UTC))
	}
	times = append(times, parse(2024, "09-01T10:00"))
	// Year and ISO-week edges: 2023-01-01 is in ISO week 2022-W52.
	times = append(times, parse(2024, "01-01T00:30"), parse(2023, "12-31T23:30"),
		parse(2023, "06-15T10:00"), parse(2023, "01-01T12:00"), parse(2022, "06-15T10:00"),
		parse(2022, "03-02T10:00"), parse(2022, "01-03T10:00"))
	slices.SortFunc(times, time.Time.Compare)
	snaps := make([]policy.Snapshot, len(times))
	for i, t := range times {
		n := i + 1
		snaps[i] = policy.Snapshot{ID: fmt.Sprintf("s%02d", n), Time: t}
		if n%4 == 0 {
			snaps[i].Tags = append(snaps[i].Tags, "prod")
		}
		if n%7 == 0 {
			snaps[i].Tags = append(snaps[i].Tags, "manual")
		}
	}
	return snaps
}

func parse(year int, s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", fmt.Sprintf("%d-%s", year, s))
	if err != nil {
		panic(err)
	}
	return t
}

var goldenPolicies = []struct {
	name, flags string
	r           policy.Retention
}{
	{"keep-last-3", "--keep-last 3", policy.Retention{Last: 3}},
	{"keep-daily-7", "--keep-daily 7", policy.Retention{Daily: 7}},
	{"keep-daily-weekly-monthly-yearly", "--keep-daily 7 --keep-weekly 4 --keep-monthly 12 --keep-yearly 3",
		policy.Retention{Daily: 7, Weekly: 4, Monthly: 12, Yearly: 3}},
	{"keep-hourly-24", "--keep-hourly 24", policy.Retention{Hourly: 24}},
	{"keep-within-72h", "--keep-within 72h", policy.Retention{Within: 72 * time.Hour}},
	{"keep-tag", "--keep-tag manual", policy.Retention{Tags: []string{"manual"}}},
	{"keep-tag-and-last", "--keep-tag prod --keep-tag manual --keep-last 2",
		policy.Retention{Tags: []string{"prod", "manual"}, Last: 2}},
	{"keep-last-unlimited", "--keep-last -1", policy.Retention{Last: -1}},
	{"keep-yearly-unlimited", "--keep-yearly -1", policy.Retention{Yearly: -1}},
	{"empty", "(no rules; Validate refuses this)", policy.Retention{}},
}

func render(flags string, ds []policy.Decision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", flags)
	for _, d := range ds {
		ts := d.Snapshot.Time.Format(time.RFC3339)
		if d.Keep {
			fmt.Fprintf(&b, "%s keep  %s\n", ts, strings.Join(d.Reasons, ", "))
		} else {
			fmt.Fprintf(&b, "%s forget\n", ts)
		}
	}
	return b.String()
}

func renderInput(snaps []policy.Snapshot) string {
	var b strings.Builder
	b.WriteString("# the fixture: ID, time, ISO week, tags\n")
	for _, s := range slices.Backward(snaps) {
		y, w := s.Time.ISOWeek()
		fmt.Fprintf(&b, "%s %s %d-W%02d %s\n", s.ID, s.Time.Format(time.RFC3339), y, w, strings.Join(s.Tags, ","))
	}
	return b.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./policy -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestGolden(t *testing.T) {
	snaps := fixture()
	checkGolden(t, "snapshots", renderInput(snaps))
	for _, p := range goldenPolicies {
		t.Run(p.name, func(t *testing.T) {
			checkGolden(t, p.name, render(p.flags, policy.Apply(snaps, p.r)))
		})
	}
}

// TestInputOrder shuffles the fixture and expects the same decisions,
// and checks that Apply leaves its argument alone.
func TestInputOrder(t *testing.T) {
	base := fixture()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range goldenPolicies {
		want := policy.Apply(base, p.r)
		for range 5 {
			in := slices.Clone(base)
			rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
			before := slices.Clone(in)
			if got := policy.Apply(in, p.r); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: shuffled input changed the decisions", p.name)
			}
			if !reflect.DeepEqual(in, before) {
				t.Fatalf("%s: Apply modified its input", p.name)
			}
		}
	}
}
