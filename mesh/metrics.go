package mesh

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Collector exposes the mesh's metrics: members by state, gossip traffic
// and libp2p connections. Register it on the node's own registry.
func (m *Mesh) Collector() prometheus.Collector { return meshCollector{m} }

var (
	descMembers     = prometheus.NewDesc("meshvault_members", "Sites this site sees, by state.", []string{"state"}, nil)
	descGossipBytes = prometheus.NewDesc("meshvault_gossip_bytes_total", "Gossip datagram bytes, by direction.", []string{"direction"}, nil)
	descGossipPkts  = prometheus.NewDesc("meshvault_gossip_packets_total", "Gossip datagrams, by direction (dropped: lost to fault injection).", []string{"direction"}, nil)
	descConns       = prometheus.NewDesc("meshvault_p2p_connections", "Open libp2p connections, by transport.", []string{"transport"}, nil)
	descStreams     = prometheus.NewDesc("meshvault_p2p_streams", "Open libp2p streams.", nil, nil)
)

type meshCollector struct{ m *Mesh }

func (c meshCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMembers, descGossipBytes, descGossipPkts, descConns, descStreams} {
		ch <- d
	}
}

func (c meshCollector) Collect(ch chan<- prometheus.Metric) {
	counts := map[State]int{StateAlive: 0, StateSuspect: 0, StateDead: 0, StateLeft: 0}
	for _, mem := range c.m.Members() {
		counts[mem.State]++
	}
	for s, n := range counts {
		ch <- prometheus.MustNewConstMetric(descMembers, prometheus.GaugeValue, float64(n), string(s))
	}
	g := &c.m.gossip
	ch <- prometheus.MustNewConstMetric(descGossipBytes, prometheus.CounterValue, float64(g.sentBytes.Load()), "sent")
	ch <- prometheus.MustNewConstMetric(descGossipBytes, prometheus.CounterValue, float64(g.recvBytes.Load()), "received")
	ch <- prometheus.MustNewConstMetric(descGossipPkts, prometheus.CounterValue, float64(g.sentPackets.Load()), "sent")
	ch <- prometheus.MustNewConstMetric(descGossipPkts, prometheus.CounterValue, float64(g.recvPackets.Load()), "received")
	ch <- prometheus.MustNewConstMetric(descGossipPkts, prometheus.CounterValue, float64(g.dropped.Load()), "dropped")
	c.collectConns(ch)
}

func (c meshCollector) collectConns(ch chan<- prometheus.Metric) {
	h := c.m.Host()
	if h == nil {
		return
	}
	conns := map[string]int{"tcp": 0, "quic": 0}
	streams := 0
	for _, conn := range h.Network().Conns() {
		if isQUIC(conn.RemoteMultiaddr()) {
			conns["quic"]++
		} else {
			conns["tcp"]++
		}
		streams += len(conn.GetStreams())
	}
	for t, n := range conns {
		ch <- prometheus.MustNewConstMetric(descConns, prometheus.GaugeValue, float64(n), t)
	}
	ch <- prometheus.MustNewConstMetric(descStreams, prometheus.GaugeValue, float64(streams))
}
