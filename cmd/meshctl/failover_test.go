package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/meshvault/meshvault/node/api"
)

func TestFailoverSendsToAndForceAndPrintsTheNewPrimaryAndEpoch(t *testing.T) {
	d := api.Dataset{Name: "web", Primary: "tokyo", Epoch: 4}
	f, env := newFakeNode(t, answer(http.StatusOK, d))
	out, err := run(env, "failover", "web", "--to", "tokyo", "--force")
	if err != nil || !strings.Contains(out, "web: primary is now tokyo (epoch 4)") {
		t.Fatalf("failover: %v %q", err, out)
	}
	r := f.last()
	var got api.Failover
	json.Unmarshal(r.Body, &got)
	if r.Path != "/v1/datasets/web/failover" || got != (api.Failover{To: "tokyo", Force: true}) {
		t.Fatalf("sent %s %+v", r.Path, got)
	}
}

func TestSwitchoverNeedsToAndPrintsTheNewPrimaryAndEpoch(t *testing.T) {
	d := api.Dataset{Name: "web", Primary: "lima", Epoch: 5}
	f, env := newFakeNode(t, answer(http.StatusOK, d))
	_, err := run(env, "switchover", "web")
	wantErr(t, "switchover without --to", err, "--to is required", "failover")
	out, err := run(env, "switchover", "web", "--to", "lima", "--json")
	var got api.Dataset
	if err != nil || json.Unmarshal([]byte(out), &got) != nil || got.Primary != "lima" || got.Epoch != 5 {
		t.Fatalf("switchover --json: %v %s", err, out)
	}
	var sent api.Failover
	r := f.last()
	json.Unmarshal(r.Body, &sent)
	if r.Path != "/v1/datasets/web/switchover" || sent != (api.Failover{To: "lima"}) {
		t.Fatalf("sent %s %+v", r.Path, sent)
	}
}

func TestNodeErrorsAreShownWithTheNodesMessage(t *testing.T) {
	msg := "dataset web holds 3 files: pass --force to delete it anyway"
	_, env := newFakeNode(t, answer(http.StatusConflict, api.Error{Error: msg}))
	for _, args := range [][]string{{"dataset", "rm", "web"}, {"get", "web", "a.txt"}, {"put", "web", "a.txt", "-"}} {
		_, _, err := runIO(env, strings.NewReader("x"), args...)
		wantErr(t, strings.Join(args, " "), err, "409", msg)
	}
}
