package api

import "time"

// Member is one site as the answering node sees it.
type Member struct {
	Site       string    `json:"site"`
	Zone       string    `json:"zone"`
	State      string    `json:"state"` // alive, suspect, dead or left
	PeerID     string    `json:"peer_id"`
	Addrs      []string  `json:"addrs"`
	GossipAddr string    `json:"gossip_addr"`
	API        string    `json:"api,omitempty"`
	Version    string    `json:"version,omitempty"`
	FreeBytes  uint64    `json:"free_bytes"`
	Since      time.Time `json:"since"` // when State last changed, as this node saw it
}

// Status describes the answering node and sums up the mesh.
type Status struct {
	Site          string      `json:"site"`
	Zone          string      `json:"zone"`
	PeerID        string      `json:"peer_id"`
	ListenAddrs   []string    `json:"listen_addrs"`
	GossipAddr    string      `json:"gossip_addr"`
	API           string      `json:"api"`
	Version       string      `json:"version"`
	Profile       string      `json:"profile"`
	StartedAt     time.Time   `json:"started_at"`
	UptimeSeconds float64     `json:"uptime_seconds"`
	DataDir       string      `json:"data_dir"`
	DataDirBytes  int64       `json:"data_dir_bytes"`
	FreeBytes     uint64      `json:"free_bytes"`
	Mesh          MeshSummary `json:"mesh"`
}

// MeshSummary counts the sites by state.
type MeshSummary struct {
	Sites   int `json:"sites"`
	Alive   int `json:"alive"`
	Suspect int `json:"suspect"`
	Dead    int `json:"dead"`
	Left    int `json:"left"`
}

// PingResult is the round trip of one libp2p ping stream.
type PingResult struct {
	Site      string  `json:"site"`
	PeerID    string  `json:"peer_id"`
	RTTMillis float64 `json:"rtt_ms"`
}

// Error is the body of every non-2xx answer.
type Error struct {
	Error string `json:"error"`
}
