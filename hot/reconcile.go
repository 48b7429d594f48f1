package hot

// reconcile brings this site's runtime in line with the definitions:
// shippers where it is primary, elections where the primary is gone,
// local data dropped for deleted datasets.
func (e *Engine) reconcile() {
	defs := map[string]Def{}
	for _, d := range e.Datasets() {
		defs[d.Name] = d
		e.reconcileOne(d)
	}
	e.dropDeleted(defs)
}

func (e *Engine) reconcileOne(d Def) {
	involved := d.Primary == e.site || contains(d.Replicas, e.site)
	if !involved {
		return
	}
	ds, err := e.dataset(d.Name)
	if err != nil {
		e.log.Error("open dataset", "dataset", d.Name, "err", err)
		return
	}
	if d.Primary == e.site {
		ds.ensureShippers(d)
		return
	}
	ds.stopShippers()
	if !live(e.memberState(d.Primary)) {
		e.maybeElect(d, ds)
	}
}

func (e *Engine) dropDeleted(defs map[string]Def) {
	e.mu.Lock()
	var gone []*dataset
	for name, ds := range e.datasets {
		if _, ok := defs[name]; !ok && e.deleted(name) {
			gone = append(gone, ds)
			delete(e.datasets, name)
		}
	}
	e.mu.Unlock()
	for _, ds := range gone {
		ds.stopShippers()
		b := e.cfg.DB.NewBatch()
		b.DeletePrefix([]byte(ds.local.prefix()))
		if err := b.Commit(); err != nil {
			e.log.Error("drop deleted dataset", "dataset", ds.local.name, "err", err)
		}
	}
	if len(gone) > 0 {
		e.sweepSoon()
	}
}

// deleted reports whether the cluster state holds a tombstone for name
// (as opposed to a definition not gossiped here yet).
func (e *Engine) deleted(name string) bool {
	for _, en := range e.cfg.Mesh.Cluster().Tombstones(defKind) {
		if en.Key == name {
			return true
		}
	}
	return false
}
