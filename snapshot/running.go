package snapshot

import (
	"encoding/json"
	"fmt"
	"time"
)

// runningKind marks a snapshot being taken, so that Prune never deletes a
// pack that it may still reference.
const runningKind = "snapshot-running"

type running struct {
	Dataset string    `json:"dataset"`
	Site    string    `json:"site"`
	Started time.Time `json:"started"`
}

func (e *Engine) markRunning(dataset string) (string, error) {
	key := fmt.Sprintf("%s/%s/%d", e.site, dataset, time.Now().UnixNano())
	return key, e.catalog.putJSON(runningKind, key, running{Dataset: dataset, Site: e.site, Started: time.Now().UTC()})
}

func (e *Engine) unmarkRunning(key string) {
	e.catalog.state.Delete(runningKind, key)
}

// runningSince lists snapshots still being taken at live sites that
// started before t.
func (e *Engine) runningSince(t time.Time) []running {
	var out []running
	for _, en := range e.catalog.state.List(runningKind) {
		var r running
		if json.Unmarshal(en.Value, &r) == nil && r.Started.Before(t) && e.isLive(r.Site) {
			out = append(out, r)
		}
	}
	return out
}

// clearStaleRunning drops the markers of snapshots this site was taking
// when it stopped: they will never finish.
func (e *Engine) clearStaleRunning() {
	for _, en := range e.catalog.state.List(runningKind) {
		var r running
		if json.Unmarshal(en.Value, &r) == nil && r.Site == e.site {
			e.catalog.state.Delete(runningKind, en.Key)
		}
	}
}
