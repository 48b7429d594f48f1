package hot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node/api"
)

// Create defines a new dataset at epoch 1 and gossips it to every site.
func (e *Engine) Create(ctx context.Context, req api.CreateDataset) (Def, error) {
	if req.Mode == "" {
		req.Mode = ModeSync
	}
	now, epoch := time.Now().UTC(), e.firstEpoch(req.Name)
	d := Def{Name: req.Name, Primary: req.Primary, Replicas: req.Replicas, Mode: req.Mode, EC: req.EC, Epoch: epoch, Created: now,
		History: []api.DatasetEvent{{Time: now, Epoch: epoch, Primary: req.Primary, Reason: "created", By: e.site}}}
	if err := validateDef(d, e.membersByName()); err != nil {
		return Def{}, fmt.Errorf("create dataset: %w", err)
	}
	if _, ok := e.def(d.Name); ok {
		return Def{}, fmt.Errorf("create dataset: %s already exists: pick another name, or 'meshctl dataset rm %s' first", d.Name, d.Name)
	}
	return d, e.publish(d)
}

func (e *Engine) publish(d Def) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = e.cfg.Mesh.Cluster().SetRanked(defKind, d.Name, d.Epoch, b)
	e.poke()
	return err
}

func (e *Engine) membersByName() map[string]mesh.Member {
	out := map[string]mesh.Member{}
	for _, m := range e.cfg.Mesh.Members() {
		out[m.Site] = m
	}
	return out
}

// Datasets lists every dataset definition.
func (e *Engine) Datasets() []Def {
	var out []Def
	for _, en := range e.cfg.Mesh.Cluster().List(defKind) {
		if d, err := decodeDef(en); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// Dataset returns one definition.
func (e *Engine) Dataset(name string) (Def, error) {
	d, ok := e.def(name)
	if !ok {
		return d, &UnknownDatasetError{name}
	}
	return d, nil
}

// Delete removes a dataset everywhere. It is refused while the primary
// holds files unless force; run it at the primary.
func (e *Engine) Delete(ctx context.Context, name string, force bool) error {
	d, ds, err := e.primaryFor(name)
	if err != nil {
		return err
	}
	empty, err := ds.local.isEmpty()
	if err != nil {
		return err
	}
	if !empty && !force {
		return fmt.Errorf("dataset %s holds files: refusing to remove it; add --force to delete it and its files at every site", d.Name)
	}
	_, err = e.cfg.Mesh.Cluster().DeleteRanked(defKind, name, d.Epoch+1)
	e.poke()
	return err
}

// firstEpoch starts a dataset above any tombstone of an earlier dataset
// of the same name, so the new definition wins over the deletion.
func (e *Engine) firstEpoch(name string) uint64 {
	for _, t := range e.cfg.Mesh.Cluster().Tombstones(defKind) {
		if t.Key == name {
			return t.Rank + 1
		}
	}
	return 1
}
