package hot

import (
	"errors"
	"sync"
	"time"

	"github.com/meshvault/meshvault/store"
)

// sweeper runs the site's chunk sweeps and keeps their totals.
type sweeper struct {
	now chan struct{} // a sweep is wanted at once (a dataset was dropped)

	mu     sync.Mutex
	totals SweepTotals
}

// SweepTotals is what this site's chunk sweeps have done since start.
type SweepTotals struct {
	Sweeps          uint64
	Errors          uint64
	FreedChunks     uint64
	FreedBytes      uint64
	SegmentsRemoved uint64
	Last            store.SweepStats
	LastAt          time.Time
}

// SweepTotals returns the totals of the sweeps so far.
func (e *Engine) SweepTotals() SweepTotals {
	e.sweeps.mu.Lock()
	defer e.sweeps.mu.Unlock()
	return e.sweeps.totals
}

func (e *Engine) sweepSoon() {
	select {
	case e.sweeps.now <- struct{}{}:
	default:
	}
}

// sweepLoop sweeps every SweepEvery and when asked to at once.
func (e *Engine) sweepLoop() {
	var tick <-chan time.Time
	if e.cfg.SweepEvery > 0 {
		t := time.NewTicker(e.cfg.SweepEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-e.stop:
			return
		case <-tick:
		case <-e.sweeps.now:
		}
		e.sweepOnce()
	}
}

func (e *Engine) sweepOnce() {
	st, err := e.SweepChunks(e.ctx)
	if !errors.Is(err, store.ErrSweepRunning) && e.ctx.Err() == nil {
		e.recordSweep(st, err)
	}
	switch {
	case errors.Is(err, store.ErrSweepRunning) || e.ctx.Err() != nil:
	case err != nil:
		e.log.Error("chunk sweep", "err", err)
	case st.Freed > 0:
		e.log.Info("chunk sweep freed space", "chunks", st.Freed, "bytes", st.FreedBytes, "segments_removed", st.SegmentsRemoved, "live_chunks", st.Live, "seconds", st.Seconds)
	}
}

// recordSweep adds a sweep (by the loop or asked for) to the totals.
func (e *Engine) recordSweep(st store.SweepStats, err error) {
	e.sweeps.mu.Lock()
	defer e.sweeps.mu.Unlock()
	t := &e.sweeps.totals
	if err != nil {
		t.Errors++
		return
	}
	t.Sweeps, t.FreedChunks, t.FreedBytes = t.Sweeps+1, t.FreedChunks+uint64(st.Freed), t.FreedBytes+uint64(st.FreedBytes)
	t.SegmentsRemoved += uint64(st.SegmentsRemoved)
	t.Last, t.LastAt = st, time.Now()
}
