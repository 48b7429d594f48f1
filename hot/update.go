package hot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// Update changes a dataset's replicas or mode at the primary. A new
// replica catches up from the log, or by state transfer if the log no
// longer reaches back to its position.
func (e *Engine) Update(ctx context.Context, name string, req api.UpdateDataset) (Def, error) {
	d, _, err := e.primaryFor(name)
	if err != nil {
		return d, err
	}
	nd := d
	nd.History = slices.Clone(d.History)
	if req.Replicas != nil {
		nd.Replicas = req.Replicas
	}
	if req.Mode != "" {
		nd.Mode = req.Mode
	}
	if req.EC != "" {
		nd.EC = req.EC
	}
	if err := validateDef(nd, e.membersByName()); err != nil {
		return d, fmt.Errorf("update dataset %s: %w", name, err)
	}
	nd.History = append(nd.History, api.DatasetEvent{Time: time.Now().UTC(), Epoch: d.Epoch, Start: e.headOf(name), Primary: d.Primary, Reason: fmt.Sprintf("update: replicas %v, mode %s, ec %s", nd.Replicas, nd.Mode, orAuto(nd.EC)), By: e.site})
	return nd, e.publish(nd)
}

func (e *Engine) headOf(name string) uint64 {
	pos, _ := e.Position(name)
	return pos
}

func orAuto(ec string) string {
	if ec == "" {
		return "auto"
	}
	return ec
}
