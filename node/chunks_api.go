package node

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
)

func (n *Node) handleSweepChunks(w http.ResponseWriter, r *http.Request) {
	st, err := n.hot.SweepChunksNow(r.Context())
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, api.ChunkSweep{Site: n.id.Site, LiveChunks: st.Live, FreedChunks: st.Freed,
		FreedBytes: st.FreedBytes, SegmentsRemoved: st.SegmentsRemoved, Seconds: st.Seconds})
}

var (
	descSweeps      = prometheus.NewDesc("meshvault_chunk_sweeps_total", "Chunk sweeps run, by outcome.", []string{"outcome"}, nil)
	descSweptChunks = prometheus.NewDesc("meshvault_chunk_sweep_freed_chunks_total", "Chunks freed by sweeps.", nil, nil)
	descSweptBytes  = prometheus.NewDesc("meshvault_chunk_sweep_freed_bytes_total", "Stored bytes of the chunks freed by sweeps.", nil, nil)
	descLiveChunks  = prometheus.NewDesc("meshvault_chunk_sweep_live_chunks", "Chunks the last sweep found referenced.", nil, nil)
	descSweepSecs   = prometheus.NewDesc("meshvault_chunk_sweep_last_seconds", "How long the last sweep took.", nil, nil)
)

// sweepCollector exposes the chunk sweeps' totals.
type sweepCollector struct{ e *hot.Engine }

func (c sweepCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSweeps, descSweptChunks, descSweptBytes, descLiveChunks, descSweepSecs} {
		ch <- d
	}
}

func (c sweepCollector) Collect(ch chan<- prometheus.Metric) {
	t := c.e.SweepTotals()
	ch <- prometheus.MustNewConstMetric(descSweeps, prometheus.CounterValue, float64(t.Sweeps), "ok")
	ch <- prometheus.MustNewConstMetric(descSweeps, prometheus.CounterValue, float64(t.Errors), "error")
	ch <- prometheus.MustNewConstMetric(descSweptChunks, prometheus.CounterValue, float64(t.FreedChunks))
	ch <- prometheus.MustNewConstMetric(descSweptBytes, prometheus.CounterValue, float64(t.FreedBytes))
	ch <- prometheus.MustNewConstMetric(descLiveChunks, prometheus.GaugeValue, float64(t.Last.Live))
	ch <- prometheus.MustNewConstMetric(descSweepSecs, prometheus.GaugeValue, t.Last.Seconds)
}
