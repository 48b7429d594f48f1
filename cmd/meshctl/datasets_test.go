package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

func TestDatasetCreateRejectsBadArgumentsBeforeAskingTheNode(t *testing.T) {
	f, env := newFakeNode(t, nil)
	cases := []struct {
		args  []string
		wants []string
	}{
		{[]string{"--primary", "paris", "--replicas", "tokyo", "--mode", "fast"}, []string{`"fast"`, "sync", "async"}},
		{[]string{"--primary", "paris", "--replicas", ""}, []string{"--replicas is empty"}},
		{[]string{"--primary", "paris"}, []string{"--replicas is empty"}},
		{[]string{"--primary", "paris", "--replicas", "tokyo,,lima"}, []string{"empty site name"}},
		{[]string{"--primary", "paris", "--replicas", "tokyo,tokyo"}, []string{"tokyo twice"}},
		{[]string{"--replicas", "tokyo"}, []string{"--primary is required"}},
	}
	for _, c := range cases {
		_, err := run(env, append([]string{"dataset", "create", "web"}, c.args...)...)
		wantErr(t, strings.Join(c.args, " "), err, c.wants...)
	}
	_, err := run(env, "dataset", "create", "a/b", "--primary", "paris", "--replicas", "tokyo")
	wantErr(t, "name with a slash", err, "without slashes")
	if n := len(f.requests()); n != 0 {
		t.Fatalf("invalid arguments reached the node %d times", n)
	}
}

func TestDatasetCreateSendsSyncModeByDefaultAndPrintsTheDataset(t *testing.T) {
	d := api.Dataset{Name: "web", Primary: "paris", Replicas: []string{"tokyo", "lima"}, Mode: "sync", Epoch: 1}
	f, env := newFakeNode(t, answer(http.StatusCreated, d))
	out, err := run(env, "dataset", "create", "web", "--primary", "paris", "--replicas", "tokyo, lima")
	if err != nil || !strings.Contains(out, "created dataset web: primary paris, replicas tokyo,lima, mode sync") ||
		!strings.Contains(out, "snapshots coded by the default for the mesh size") {
		t.Fatalf("create: %v %q", err, out)
	}
	r := f.last()
	var got api.CreateDataset
	json.Unmarshal(r.Body, &got)
	want := api.CreateDataset{Name: "web", Primary: "paris", Replicas: []string{"tokyo", "lima"}, Mode: "sync"}
	if r.Method != http.MethodPost || r.Path != "/v1/datasets" || !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %s %s %+v, want POST /v1/datasets %+v", r.Method, r.Path, got, want)
	}
	out, _ = run(env, "dataset", "create", "web", "--primary", "paris", "--replicas", "tokyo", "--mode", "async", "--json")
	var echoed api.Dataset
	if err := json.Unmarshal([]byte(out), &echoed); err != nil || echoed.Name != "web" {
		t.Fatalf("create --json is not the dataset: %v %s", err, out)
	}
}

func TestDatasetStatusJSONIsTheStatusAsIsAndTextHasAReplicaTable(t *testing.T) {
	st := api.DatasetStatus{Dataset: "web", Primary: "paris", Epoch: 3, Mode: "sync", Position: 42, Degraded: "lima is down",
		Replicas: []api.ReplicaStatus{{Site: "tokyo", State: "alive", Sync: "streaming", Applied: 42},
			{Site: "lima", State: "dead", Sync: "down", Applied: 30, LagOps: 12, LagBytes: 2048, LagSeconds: 9.5, LastError: "connection refused"}}}
	f, env := newFakeNode(t, answer(http.StatusOK, st))
	out, err := run(env, "dataset", "status", "web", "--json")
	var m map[string]any
	if err != nil || json.Unmarshal([]byte(out), &m) != nil {
		t.Fatalf("status --json: %v %s", err, out)
	}
	if reps, _ := m["replicas"].([]any); m["primary"] != "paris" || m["epoch"] != 3.0 || len(reps) != 2 {
		t.Fatalf("status --json lacks top-level primary, epoch, replicas: %s", out)
	}
	out, _ = run(env, "dataset", "status", "web")
	for _, want := range []string{"primary:   paris", "epoch:     3", "mode:      sync", "position:  42", "degraded:  lima is down",
		"SITE", "LAG BYTES", "tokyo", "streaming", "lima", "2.0 KiB", "9.5", "connection refused"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	if p := f.requests()[0].Path; p != "/v1/datasets/web/status" {
		t.Fatalf("asked %s", p)
	}
}

func TestDatasetListsPrintAnEmptyJSONArrayNotNull(t *testing.T) {
	_, env := newFakeNode(t, func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("null")) })
	for _, args := range [][]string{{"dataset", "ls"}, {"dataset", "conflicts", "web"}, {"ls", "web"}} {
		out, err := run(env, append(args, "--json")...)
		if err != nil || strings.TrimSpace(out) != "[]" {
			t.Errorf("%v --json: %v %q, want []", args, err, out)
		}
	}
}

func TestDatasetShowPrintsTheDefinitionAndHistory(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	d := api.Dataset{Name: "web", Primary: "tokyo", Replicas: []string{"paris"}, Mode: "async", EC: "4+2", Epoch: 2, EpochStart: 17, Created: at,
		History: []api.DatasetEvent{{Time: at, Epoch: 1, Primary: "paris", Reason: "created"},
			{Time: at.Add(time.Hour), Epoch: 2, Start: 17, Primary: "tokyo", Reason: "failover", Forced: true, By: "tokyo"}}}
	_, env := newFakeNode(t, answer(http.StatusOK, d))
	out, err := run(env, "dataset", "show", "web")
	for _, want := range []string{"primary:   tokyo", "epoch:     2 (began at position 17)", "coding:    snapshots 4+2", "created", "failover (forced)", "2026-03-01T13:00:00Z"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("show lacks %q: %v\n%s", want, err, out)
		}
	}
}

func TestDatasetRmSendsForceOnlyWhenAsked(t *testing.T) {
	f, env := newFakeNode(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	if _, err := run(env, "dataset", "rm", "web"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(env, "dataset", "rm", "web", "--force"); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if reqs[0].Method != http.MethodDelete || reqs[0].Path != "/v1/datasets/web" || reqs[0].Query != "" || reqs[1].Query != "force=true" {
		t.Fatalf("sent %+v", reqs)
	}
}

func TestDatasetSourceAndMirrorSendAnAbsoluteDir(t *testing.T) {
	f, env := newFakeNode(t, echoDir)
	wd, _ := os.Getwd()
	want := filepath.Join(wd, "srv/www")
	for _, verb := range []string{"source", "mirror"} {
		out, err := run(env, "dataset", verb, "web", "--dir", "srv/www")
		if err != nil || !strings.Contains(out, verb+" of web: "+want) {
			t.Fatalf("%s: %v %q, want %s", verb, err, out, want)
		}
		_, err = run(env, "dataset", verb, "web")
		wantErr(t, verb+" without --dir", err, "--dir is required")
	}
	for i, r := range f.requests() {
		var d api.Directory
		json.Unmarshal(r.Body, &d)
		if path := "/v1/datasets/web/" + []string{"source", "mirror"}[i]; r.Path != path || d.Dir != want {
			t.Fatalf("sent %s %q, want %s %q", r.Path, d.Dir, path, want)
		}
	}
}

// echoDir answers source and mirror with the directory they sent.
func echoDir(w http.ResponseWriter, r *http.Request) {
	var d api.Directory
	json.NewDecoder(r.Body).Decode(&d)
	json.NewEncoder(w).Encode(d)
}

func TestDatasetLsShowsEachDatasetsSnapshotCoding(t *testing.T) {
	ds := []api.Dataset{{Name: "web", Primary: "paris", Replicas: []string{"tokyo"}, Mode: "sync", EC: "4+2", Epoch: 1},
		{Name: "db", Primary: "tokyo", Replicas: []string{"lima"}, Mode: "async", Epoch: 3}}
	_, env := newFakeNode(t, answer(http.StatusOK, ds))
	out, err := run(env, "dataset", "ls")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 3 || !strings.Contains(lines[0], " EC ") ||
		!strings.Contains(lines[1], " 4+2 ") || !strings.Contains(lines[2], " default ") {
		t.Fatalf("ls: %v\n%s", err, out)
	}
}
