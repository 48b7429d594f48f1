package mesh

import (
	"errors"
	"testing"
)

// closedKV fails the test on any write: the KV behind a site's state is
// closed right after its mesh shuts down.
type closedKV struct{ t *testing.T }

func (kv closedKV) Set(key, _ []byte) error {
	kv.t.Errorf("write of %s reached the KV after the mesh shut down", key)
	return nil
}

func (kv closedKV) Scan([]byte, func(key, value []byte) error) error { return nil }

// memberlist may still hand over a message after its Shutdown returns;
// once the mesh has shut down, such a message must not reach the store.
func TestStateWritesNothingOnceTheMeshHasShutDown(t *testing.T) {
	s := newClusterState("a", closedKV{t})
	s.close()
	if _, err := s.merge(Entry{Kind: "k", Key: "x", Clock: 1, Site: "b"}); !errors.Is(err, errStateClosed) {
		t.Fatalf("merge after close: %v, want errStateClosed", err)
	}
	if _, err := s.Set("k", "y", []byte("v")); !errors.Is(err, errStateClosed) {
		t.Fatalf("set after close: %v, want errStateClosed", err)
	}
}
