package hot

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// maybeElect starts an election for d at most once at a time, after a
// random delay so that replicas rarely run against each other.
func (e *Engine) maybeElect(d Def, ds *dataset) {
	ds.mu.Lock()
	busy := ds.electing || time.Now().Before(ds.nextElection)
	if !busy {
		ds.electing = true
	}
	ds.mu.Unlock()
	if busy {
		return
	}
	started := e.spawn(func() {
		select {
		case <-time.After(time.Duration(rand.Int64N(int64(4 * e.cfg.Tick)))):
		case <-e.ctx.Done():
		}
		_, err := e.elect(e.ctx, d.Name, "failover", false)
		ds.mu.Lock()
		ds.electing = false
		ds.nextElection = time.Now().Add(time.Duration(5+rand.IntN(10)) * e.cfg.Tick)
		ds.mu.Unlock()
		if err != nil && e.ctx.Err() == nil {
			e.log.Info("failover election did not succeed", "dataset", d.Name, "err", err)
		}
	})
	if !started {
		ds.mu.Lock()
		ds.electing = false
		ds.mu.Unlock()
	}
}

// elect asks the dataset's sites (and a witness for a 2-site dataset)
// to agree that this site becomes primary at a new epoch. force skips
// the majority and is recorded in the history.
func (e *Engine) elect(ctx context.Context, name, reason string, force bool) (Def, error) {
	if ctx.Err() != nil {
		return Def{}, ctx.Err()
	}
	d, ok := e.def(name)
	if !ok {
		return d, &UnknownDatasetError{name}
	}
	ds, err := e.dataset(name)
	if err != nil {
		return d, err
	}
	req := voteReq{Dataset: name, Epoch: e.nextEpoch(ds, d), Candidate: e.site, Pos: ds.snapshot().Pos}
	if err := ds.recordVote(req, true); err != nil && !force {
		return d, fmt.Errorf("failover of %s: this site cannot stand: %w", name, err)
	}
	if !force {
		if err := e.collectMajority(ctx, d, req); err != nil {
			return d, err
		}
	}
	return e.takeOver(d, ds, req, reason, force)
}

// nextEpoch is above the current epoch and any epoch this site voted in,
// so retries after a split vote never reuse an epoch.
func (e *Engine) nextEpoch(ds *dataset, d Def) uint64 {
	v, _ := ds.local.vote()
	return max(d.Epoch, v.Epoch, ds.snapshot().Epoch) + 1
}

// electorate is the dataset's sites, plus a witness when there are only
// two: the alive mesh member outside the dataset with the lowest name.
func (e *Engine) electorate(d Def) []string {
	voters := sites(d)
	if len(voters) != 2 {
		return voters
	}
	var others []string
	for _, m := range e.cfg.Mesh.Members() {
		if live(m.State) && !slices.Contains(voters, m.Site) {
			others = append(others, m.Site)
		}
	}
	slices.Sort(others)
	if len(others) > 0 {
		voters = append(voters, others[0])
	}
	return voters
}

func (e *Engine) collectMajority(ctx context.Context, d Def, req voteReq) error {
	voters := e.electorate(d)
	need, got := len(voters)/2+1, 1 // this site voted for itself
	var refusals []string
	for _, v := range voters {
		if v == e.site || !live(e.memberState(v)) {
			continue
		}
		if err := e.askVote(ctx, v, req); err != nil {
			refusals = append(refusals, v+": "+err.Error())
			continue
		}
		got++
	}
	if got < need {
		return fmt.Errorf("failover of %s to %s: %d of %d votes, %d needed (%s); use --force to take over without a majority", d.Name, e.site, got, len(voters), need, strings.Join(refusals, "; "))
	}
	return nil
}

func (e *Engine) askVote(ctx context.Context, site string, req voteReq) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := e.cfg.Mesh.OpenStream(ctx, site, VoteProtocol)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := json.NewEncoder(st).Encode(req); err != nil {
		return err
	}
	var resp voteResp
	if err := json.NewDecoder(st).Decode(&resp); err != nil {
		return err
	}
	if !resp.Granted {
		return fmt.Errorf("refused: %s", resp.Reason)
	}
	return nil
}

// takeOver publishes the new definition: this site primary at req.Epoch
// from its current position, the old primary a replica that will catch
// up (or hand over its conflicts) when it returns.
func (e *Engine) takeOver(d Def, ds *dataset, req voteReq, reason string, force bool) (Def, error) {
	if cur, _ := e.def(d.Name); cur.Epoch >= req.Epoch {
		return cur, fmt.Errorf("failover of %s: epoch %d began meanwhile (primary %s)", d.Name, cur.Epoch, cur.Primary)
	}
	ds.mu.Lock()
	m := ds.meta
	m.Epoch = req.Epoch
	err := ds.local.setMeta(m)
	if err == nil {
		ds.setMetaLocked(m)
	}
	ds.mu.Unlock()
	if err != nil {
		return d, err
	}
	nd := d
	nd.Primary, nd.Epoch, nd.EpochStart = e.site, req.Epoch, m.Pos
	nd.Replicas = append(without(d.Replicas, e.site), d.Primary)
	nd.History = append(slices.Clone(d.History), api.DatasetEvent{Time: time.Now().UTC(), Epoch: req.Epoch, Start: m.Pos, Primary: e.site, Reason: reason, Forced: force, By: e.site})
	e.log.Warn("took over as primary", "dataset", d.Name, "epoch", nd.Epoch, "from", d.Primary, "position", m.Pos, "forced", force)
	return nd, e.publish(nd)
}

func without(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
