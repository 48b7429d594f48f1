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

// clearStaleMarkers drops this site's markers of kind (snapshots being
// taken, restores under way): what it had under way when it stopped will
// never finish.
func (e *Engine) clearStaleMarkers(kind string) {
	for _, en := range e.catalog.state.List(kind) {
		var m struct {
			Site string `json:"site"`
		}
		if json.Unmarshal(en.Value, &m) == nil && m.Site == e.site {
			e.catalog.state.Delete(kind, en.Key)
		}
	}
}
