package hot

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
)

// voteReq asks a site to agree that Candidate becomes primary at Epoch.
type voteReq struct {
	Dataset   string `json:"dataset"`
	Epoch     uint64 `json:"epoch"`
	Candidate string `json:"candidate"`
	Pos       uint64 `json:"pos"`
}

type voteResp struct {
	Granted bool   `json:"granted"`
	Reason  string `json:"reason,omitempty"`
}

// vote is what a site promised: at most one candidate per epoch, and
// never an epoch lower than one it already voted in.
type vote struct {
	Epoch     uint64 `json:"epoch"`
	Candidate string `json:"candidate"`
}

func (l local) voteKey() []byte { return []byte(l.prefix() + "vote") }

func (e *Engine) handleVote(st network.Stream) {
	if !e.enter() {
		st.Reset()
		return
	}
	defer e.wg.Done()
	defer st.Close()
	st.SetDeadline(time.Now().Add(10 * time.Second))
	var req voteReq
	if err := json.NewDecoder(st).Decode(&req); err != nil {
		st.Reset()
		return
	}
	resp := voteResp{Granted: true}
	if err := e.grant(req); err != nil {
		resp = voteResp{Reason: err.Error()}
	}
	json.NewEncoder(st).Encode(resp)
}

// grant decides and durably records a vote.
func (e *Engine) grant(req voteReq) error {
	d, ok := e.def(req.Dataset)
	if !ok {
		return fmt.Errorf("no dataset %s here", req.Dataset)
	}
	if req.Epoch <= d.Epoch {
		return fmt.Errorf("epoch %d is not after the current %d", req.Epoch, d.Epoch)
	}
	if !contains(d.Replicas, req.Candidate) {
		return fmt.Errorf("%s is not a designated replica", req.Candidate)
	}
	if live(e.memberState(d.Primary)) {
		return fmt.Errorf("primary %s is %s here", d.Primary, e.memberState(d.Primary))
	}
	ds, err := e.dataset(req.Dataset)
	if err != nil {
		return err
	}
	return ds.recordVote(req, d.Primary == e.site || contains(d.Replicas, e.site))
}

func (ds *dataset) recordVote(req voteReq, holdsCopy bool) error {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if holdsCopy && req.Pos < ds.meta.Pos {
		return fmt.Errorf("candidate is at position %d, this site at %d: it lacks acknowledged writes", req.Pos, ds.meta.Pos)
	}
	if req.Epoch <= ds.meta.Epoch && holdsCopy {
		return fmt.Errorf("this site already follows epoch %d", ds.meta.Epoch)
	}
	v, err := ds.local.vote()
	if err != nil {
		return err
	}
	if req.Epoch < v.Epoch || (req.Epoch == v.Epoch && v.Candidate != req.Candidate) {
		return fmt.Errorf("already voted for %s at epoch %d", v.Candidate, v.Epoch)
	}
	b, _ := json.Marshal(vote{Epoch: req.Epoch, Candidate: req.Candidate})
	if err := ds.local.db.Set(ds.local.voteKey(), b); err != nil {
		return err
	}
	if req.Candidate != ds.e.site { // a promise to another site fences older epochs
		ds.votedEpoch = max(ds.votedEpoch, req.Epoch)
	}
	return nil
}

func (l local) vote() (vote, error) {
	var v vote
	b, ok, err := l.db.Get(l.voteKey())
	if err != nil || !ok {
		return v, err
	}
	return v, json.Unmarshal(b, &v)
}
