package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// These run meshctl against a fake node: they check what meshctl sends
// and how it reads answers, not what a node does.

func TestRestoreSendsAnAbsoluteDirAndTheFlagsAsJSON(t *testing.T) {
	f, env := newFakeNode(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"done":5,"total":10}` + "\n" + `{"result":{"snapshot":"abc","files":1,"bytes":10,"verified":true}}` + "\n"))
	})
	t.Chdir(t.TempDir())
	out, _, err := runIO(env, nil, "restore", "web", "--to", "out", "--at", "2026-11-20 18:00:00", "--path", "docs/", "--overwrite", "--verify", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got api.Restore
	json.Unmarshal(f.last().Body, &got)
	wantDir, _ := filepath.Abs("out")
	at := time.Date(2026, 11, 20, 18, 0, 0, 0, time.Local)
	if f.last().Path != "/v1/restore" || got.Dir != wantDir || !got.At.Equal(at) || got.Prefix != "docs/" || !got.Overwrite || !got.Verify || got.Dataset != "web" {
		t.Fatalf("sent %+v to %s", got, f.last().Path)
	}
	var r api.RestoreResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Snapshot != "abc" || !r.Verified {
		t.Fatalf("--json printed %q (%v)", out, err)
	}
}

func TestRestoreReportsAnErrorLineAndAStreamCutShort(t *testing.T) {
	for body, want := range map[string]string{
		`{"done":5,"total":10}` + "\n" + `{"error":"pack x: 1 of its 3 shards on live sites"}` + "\n": "shards on live sites",
		`{"done":5,"total":10}` + "\n": "without a result",
	} {
		_, env := newFakeNode(t, func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(body)) })
		_, _, err := runIO(env, nil, "restore", "web", "--to", t.TempDir())
		wantErr(t, "restore", err, want)
	}
}

func TestRestoreAndForgetRefuseBadFlagsBeforeAsking(t *testing.T) {
	f, env := newFakeNode(t, nil)
	cases := map[string][]string{
		"--to is required":           {"restore", "web"},
		"none of the others can be":  {"restore", "web", "--to", "/x", "--snapshot", "a", "--at", "2026-01-01"},
		"is not a time":              {"restore", "web", "--to", "/x", "--at", "yesterday"},
		"give at least one --keep-*": {"snapshot", "forget", "web"},
		"--keep-last must be -1":     {"snapshot", "forget", "web", "--keep-last", "-2"},
		"is not a duration":          {"snapshot", "forget", "web", "--keep-within", "3 weeks"},
		"give a percentage such as":  {"snapshot", "prune", "--max-unused", "5"},
		"--max-unused \"-1%\"":       {"snapshot", "prune", "--max-unused", "-1%"},
	}
	for want, args := range cases {
		_, _, err := runIO(env, nil, args...)
		wantErr(t, strings.Join(args, " "), err, want)
	}
	if n := len(f.requests()); n != 0 {
		t.Fatalf("bad flags reached the node: %d requests", n)
	}
}

func TestForgetSendsEveryRule(t *testing.T) {
	f, env := newFakeNode(t, answer(200, []api.ForgetDecision{}))
	_, _, err := runIO(env, nil, "snapshot", "forget", "web", "--keep-last", "1", "--keep-hourly", "2", "--keep-daily", "3",
		"--keep-weekly", "4", "--keep-monthly", "5", "--keep-yearly", "-1", "--keep-within", "1d12h", "--keep-tag", "a", "--keep-tag", "b", "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	var got api.Forget
	json.Unmarshal(f.last().Body, &got)
	want := api.Forget{Dataset: "web", KeepLast: 1, KeepHourly: 2, KeepDaily: 3, KeepWeekly: 4, KeepMonthly: 5, KeepYearly: -1,
		KeepWithin: "36h0m0s", KeepTags: []string{"a", "b"}, DryRun: true}
	if f.last().Path != "/v1/snapshots/forget" || !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %+v to %s, want %+v", got, f.last().Path, want)
	}
}

func TestShardsLineSaysWhenASiteWasAskedMoreThanItGave(t *testing.T) {
	got := shardsFromLine(map[string]int{"lima": 12, "oslo": 10}, map[string]int{"lima": 12, "oslo": 10, "tokyo": 3})
	if want := "lima 12, oslo 10, tokyo 0 of 3 asked"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestPruneSendsMaxUnusedAsAShareAndUnlimitedAsNever(t *testing.T) {
	for flag, want := range map[string]float64{"": 0.05, "0%": 0, "12.5%": 0.125, "unlimited": -1} {
		f, env := newFakeNode(t, answer(200, api.PruneResult{}))
		args := []string{"snapshot", "prune"}
		if flag != "" {
			args = append(args, "--max-unused", flag)
		}
		if _, _, err := runIO(env, nil, args...); err != nil {
			t.Fatal(err)
		}
		var got api.Prune
		json.Unmarshal(f.last().Body, &got)
		if f.last().Path != "/v1/snapshots/prune" || got.MaxUnused == nil || *got.MaxUnused != want {
			t.Fatalf("--max-unused %q sent %s to %s, want max_unused %g", flag, f.last().Body, f.last().Path, want)
		}
	}
}
