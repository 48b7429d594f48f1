package hot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// syncPrecheck refuses a sync write up front, changing nothing, when no
// designated replica is alive to acknowledge it.
func (e *Engine) syncPrecheck(d Def) error {
	if d.Mode != ModeSync {
		return nil
	}
	for _, r := range d.Replicas {
		if live(e.memberState(r)) {
			return nil
		}
	}
	return fmt.Errorf("dataset %s is sync and no replica can be reached (%s all down): nothing was written; bring a replica back, or switch the dataset to async", d.Name, strings.Join(d.Replicas, ", "))
}

// waitReplicated blocks until every alive designated replica has acked
// pos. A replica that dies meanwhile is no longer waited for (dataset
// status shows it down); one that refuses because a newer epoch began
// fails the write.
func (e *Engine) waitReplicated(ctx context.Context, d Def, ds *dataset, pos uint64) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.SyncTimeout)
	defer cancel()
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	for {
		ackCh := ds.acked()
		pending, err := e.pendingReplicas(d, ds, pos)
		if err != nil || len(pending) == 0 {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("dataset %s: write at position %d not acknowledged by %s within %v; it is stored at the primary and will still replicate", d.Name, pos, strings.Join(pending, ", "), e.cfg.SyncTimeout)
		case <-ackCh:
		case <-poll.C:
		}
	}
}

// pendingReplicas lists the alive replicas that have not acked pos. At
// least one replica must ack: if every replica died before any did, the
// write fails rather than being acknowledged by the primary alone.
func (e *Engine) pendingReplicas(d Def, ds *dataset, pos uint64) ([]string, error) {
	var pending []string
	ackedBy := 0
	for _, r := range d.Replicas {
		st := ds.shipperStatus(r)
		if st.fenced {
			return nil, fmt.Errorf("dataset %s: replica %s refused the write: %s", d.Name, r, st.lastErr)
		}
		if st.acked >= pos {
			ackedBy++
		} else if live(e.memberState(r)) {
			pending = append(pending, r)
		}
	}
	if ackedBy == 0 && len(pending) == 0 {
		return nil, fmt.Errorf("dataset %s: every replica went down before acknowledging position %d; the write is not acknowledged (it may surface as a conflict if another site takes over)", d.Name, pos)
	}
	return pending, nil
}
