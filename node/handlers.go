package node

import (
	"context"
	"net/http"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node/api"
)

func (n *Node) handleMembers(w http.ResponseWriter, r *http.Request) {
	m := n.Mesh()
	if m == nil {
		writeError(w, http.StatusServiceUnavailable, "node is shutting down")
		return
	}
	ms := m.Members()
	out := make([]api.Member, 0, len(ms))
	for _, mem := range ms {
		out = append(out, toAPIMember(mem))
	}
	writeJSON(w, http.StatusOK, out)
}

func toAPIMember(m mesh.Member) api.Member {
	return api.Member{
		Site: m.Site, Zone: m.Zone, State: string(m.State), PeerID: m.PeerID,
		Addrs: m.Addrs, GossipAddr: m.GossipAddr, API: m.API, Version: m.Version,
		FreeBytes: m.FreeBytes, Since: m.Since,
	}
}

func (n *Node) handleStatus(w http.ResponseWriter, r *http.Request) {
	m := n.Mesh()
	if m == nil {
		writeError(w, http.StatusServiceUnavailable, "node is shutting down")
		return
	}
	self := m.Self()
	st := api.Status{
		Site: n.id.Site, Zone: n.cfg.Zone, PeerID: n.id.PeerID.String(),
		ListenAddrs: self.Addrs, GossipAddr: m.GossipAddr(), API: n.APIAddr(),
		Version: api.Version, Profile: n.profile.Name, StartedAt: n.started,
		UptimeSeconds: time.Since(n.started).Seconds(), DataDir: n.cfg.DataDir,
		DataDirBytes: dirUsage(n.cfg.DataDir), FreeBytes: freeBytes(n.cfg.DataDir),
		Mesh: summarize(m.Members()),
	}
	writeJSON(w, http.StatusOK, st)
}

func summarize(ms []mesh.Member) api.MeshSummary {
	s := api.MeshSummary{Sites: len(ms)}
	for _, m := range ms {
		switch m.State {
		case mesh.StateAlive:
			s.Alive++
		case mesh.StateSuspect:
			s.Suspect++
		case mesh.StateDead:
			s.Dead++
		case mesh.StateLeft:
			s.Left++
		}
	}
	return s
}

func (n *Node) handlePing(w http.ResponseWriter, r *http.Request) {
	site := r.PathValue("site")
	m := n.Mesh()
	if m == nil {
		writeError(w, http.StatusServiceUnavailable, "node is shutting down")
		return
	}
	mem, ok := m.Member(site)
	if !ok {
		writeError(w, http.StatusNotFound, "no site "+site+" in the mesh: see 'meshctl members'")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	rtt, err := m.Ping(ctx, site)
	if err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, api.PingResult{Site: site, PeerID: mem.PeerID, RTTMillis: float64(rtt.Microseconds()) / 1000})
}
