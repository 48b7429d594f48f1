package node

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/meshvault/meshvault/snapshot"
)

var (
	descScrubTime       = prometheus.NewDesc("meshvault_scrub_last_timestamp_seconds", "When the mesh's last completed shard scrub started (any site's).", nil, nil)
	descScrubShards     = prometheus.NewDesc("meshvault_scrub_last_shards_checked", "Shards the last scrub read and checked at their sites.", nil, nil)
	descScrubBad        = prometheus.NewDesc("meshvault_scrub_last_bad_shards", "Shards the last scrub found missing, truncated, rotten or misplaced.", nil, nil)
	descScrubUnrepaired = prometheus.NewDesc("meshvault_scrub_last_unrepaired_shards", "Bad shards the last scrub left unrepaired: alert on this above 0.", nil, nil)
	descScrubUnchecked  = prometheus.NewDesc("meshvault_scrub_last_unchecked_shards", "Shards the last scrub could not check, their sites being down.", nil, nil)
)

// scrubCollector exposes the mesh's last scrub as the catalog records
// it, the same at every site; nothing before the first.
type scrubCollector struct{ e *snapshot.Engine }

func (c scrubCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descScrubTime, descScrubShards, descScrubBad, descScrubUnrepaired, descScrubUnchecked} {
		ch <- d
	}
}

func (c scrubCollector) Collect(ch chan<- prometheus.Metric) {
	last, ok := c.e.Catalog().LastScrub()
	if !ok {
		return
	}
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	gauge(descScrubTime, float64(last.Time.UnixNano())/1e9)
	gauge(descScrubShards, float64(last.Shards))
	gauge(descScrubBad, float64(last.Bad))
	gauge(descScrubUnrepaired, float64(last.Bad-last.Repaired))
	gauge(descScrubUnchecked, float64(last.Unchecked))
}
