package mesh

import (
	"encoding/json"
	"fmt"
)

// Meta is what a site tells every other site about itself through
// memberlist's node meta. It must fit memberlist.MetaMaxSize (512 bytes),
// so the keys are short and addresses are dropped from the end to fit.
type Meta struct {
	Zone      string   `json:"z,omitempty"`
	PeerID    string   `json:"p"`
	Addrs     []string `json:"a,omitempty"`
	API       string   `json:"api,omitempty"`
	Version   string   `json:"v,omitempty"`
	FreeBytes uint64   `json:"f,omitempty"`
}

// encode returns m's bytes, shortened to fit limit by dropping addresses.
func (m Meta) encode(limit int) ([]byte, error) {
	for {
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		if len(b) <= limit {
			return b, nil
		}
		if len(m.Addrs) == 0 {
			return nil, fmt.Errorf("node meta is %d bytes, over memberlist's %d even without addresses", len(b), limit)
		}
		m.Addrs = m.Addrs[:len(m.Addrs)-1]
	}
}

func decodeMeta(b []byte) (Meta, error) {
	var m Meta
	if len(b) == 0 {
		return m, fmt.Errorf("node has no meta: not a meshvault node")
	}
	err := json.Unmarshal(b, &m)
	return m, err
}
