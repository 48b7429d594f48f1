package hot

import (
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// Status reports replication as this site (the primary) sees it.
func (e *Engine) Status(name string) (api.DatasetStatus, error) {
	d, ds, err := e.primaryFor(name)
	if err != nil {
		return api.DatasetStatus{}, err
	}
	m := ds.snapshot()
	st := api.DatasetStatus{Dataset: name, Primary: d.Primary, Epoch: d.Epoch, Mode: d.Mode, Position: m.Pos, Replicas: []api.ReplicaStatus{}}
	var down []string
	for _, r := range d.Replicas {
		rs := e.replicaStatus(ds, r, m.Pos)
		if rs.Sync == "down" || !live(e.memberState(r)) {
			down = append(down, r)
		}
		st.Replicas = append(st.Replicas, rs)
	}
	if d.Mode == ModeSync && len(down) > 0 {
		st.Degraded = "writes are acknowledged without waiting for " + joinSites(down) + " (down); they catch up when back"
	}
	return st, nil
}

func (e *Engine) replicaStatus(ds *dataset, site string, head uint64) api.ReplicaStatus {
	s := ds.shipperStatus(site)
	rs := api.ReplicaStatus{Site: site, State: string(e.memberState(site)), Sync: s.state, Applied: s.acked, LastError: s.lastErr}
	if head > s.acked {
		rs.LagOps = head - s.acked
		rs.LagBytes = ds.bytesBetween(s.acked+1, head)
		if t := ds.opTime(s.acked + 1); !t.IsZero() {
			rs.LagSeconds = time.Since(t).Seconds()
		}
	}
	return rs
}

// bytesBetween is the file bytes of ops from..to, from the cumulative
// counts of the log's ops: two lookups, whatever the distance.
func (ds *dataset) bytesBetween(from, to uint64) uint64 {
	last, ok1 := ds.local.stamp(to)
	before, ok2 := ds.local.stamp(from - 1)
	if !ok1 {
		return 0
	}
	if !ok2 || before.Cum > last.Cum {
		return last.Cum // the earlier op left the log: count from its start
	}
	return last.Cum - before.Cum
}

func joinSites(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
