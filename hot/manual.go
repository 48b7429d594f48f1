package hot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// Failover makes this site the primary by hand (the request is routed to
// the site named by --to). Without force it needs the same majority as
// an automatic failover; force skips it and is recorded in the history.
func (e *Engine) Failover(ctx context.Context, name string, force bool) (Def, error) {
	d, ok := e.def(name)
	if !ok {
		return d, &UnknownDatasetError{name}
	}
	if d.Primary == e.site {
		return d, fmt.Errorf("failover of %s: %s is already its primary", name, e.site)
	}
	if !contains(d.Replicas, e.site) {
		return d, fmt.Errorf("failover of %s: %s is not one of its replicas (%v)", name, e.site, d.Replicas)
	}
	reason := "manual failover"
	if force {
		reason = "forced failover"
	}
	return e.elect(ctx, name, reason, force)
}

// Switchover moves the primary to a replica on purpose with zero loss:
// stop accepting writes, wait until the target holds every op, then
// publish the new epoch. Run it at the current primary.
func (e *Engine) Switchover(ctx context.Context, name, to string) (Def, error) {
	d, ds, err := e.primaryFor(name)
	if err != nil {
		return d, err
	}
	if !contains(d.Replicas, to) {
		return d, fmt.Errorf("switchover of %s: %s is not one of its replicas (%v)", name, to, d.Replicas)
	}
	ds.setDraining(true)
	defer ds.setDraining(false)
	head := ds.head().Pos // includes ops prepared before the drain, committed soon
	if err := e.waitAcked(ctx, ds, to, head); err != nil {
		return d, fmt.Errorf("switchover of %s: %w; writes resume at %s", name, err, e.site)
	}
	nd := d
	nd.Primary, nd.Epoch, nd.EpochStart = to, d.Epoch+1, head
	nd.Replicas = append(without(d.Replicas, to), e.site)
	nd.History = append(slices.Clone(d.History), api.DatasetEvent{Time: time.Now().UTC(), Epoch: nd.Epoch, Start: head, Primary: to, Reason: "switchover", By: e.site})
	return nd, e.publish(nd)
}

func (ds *dataset) setDraining(v bool) {
	ds.mu.Lock()
	ds.draining = v
	ds.mu.Unlock()
}

// waitAcked waits until site has acked pos.
func (e *Engine) waitAcked(ctx context.Context, ds *dataset, site string, pos uint64) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.SyncTimeout)
	defer cancel()
	for {
		ackCh := ds.acked()
		if ds.shipperStatus(site).acked >= pos {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not reach position %d within %v", site, pos, e.cfg.SyncTimeout)
		case <-ackCh:
		case <-time.After(20 * time.Millisecond):
		}
	}
}
