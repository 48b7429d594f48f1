package mesh_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/simulations"
)

// syncBuffer is a log sink that tests can read while nodes write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testSite struct {
	site string
	key  []byte
	join []string
	log  *syncBuffer
	// tune, if set, changes the profile and the faults of the site.
	tune func(*mesh.Config)
}

// newMesh builds a mesh for a site in its own temp dir (not started).
func newMesh(t *testing.T, s testSite) *mesh.Mesh {
	t.Helper()
	id, err := mesh.LoadIdentity(t.TempDir(), s.site)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	if s.log != nil {
		logger = slog.New(slog.NewTextHandler(s.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	cfg := mesh.Config{
		Identity: id, MeshKey: s.key, GossipAddr: "127.0.0.1:0", Join: s.join,
		P2PAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Profile: mesh.FastProfile(), Logger: logger,
	}
	if s.tune != nil {
		s.tune(&cfg)
	}
	m, err := mesh.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func startMesh(t *testing.T, s testSite) *mesh.Mesh {
	t.Helper()
	m := newMesh(t, s)
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return m
}

func newKey(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mesh.key")
	if err := mesh.NewKeyFile(path); err != nil {
		t.Fatal(err)
	}
	key, err := mesh.ReadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func waitAlive(t *testing.T, m *mesh.Mesh, site string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := simulations.WaitFor(ctx, site+" alive", func() (bool, string) {
		mem, ok := m.Member(site)
		return ok && mem.State == mesh.StateAlive, string(mem.State)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSiteWithAnotherMeshKeyCannotJoinAndItsLogSaysWhy(t *testing.T) {
	seed := startMesh(t, testSite{site: "a", key: newKey(t)})
	log := &syncBuffer{}
	stranger := startMesh(t, testSite{site: "b", key: newKey(t), join: []string{seed.GossipAddr()}, log: log})
	time.Sleep(500 * time.Millisecond) // several probe and reconnect rounds of the fast profile
	if _, ok := seed.Member("b"); ok {
		t.Fatal("the seed admitted a site with another mesh key")
	}
	if _, ok := stranger.Member("a"); ok {
		t.Fatal("the stranger learned of the seed without the mesh key")
	}
	if !strings.Contains(log.String(), "--mesh-key-file") || !strings.Contains(log.String(), "mesh key") {
		t.Fatalf("the stranger's log does not say the mesh key may differ:\n%s", log.String())
	}
}

func TestPeerThatIsNotAMemberCannotOpenAStream(t *testing.T) {
	key := newKey(t)
	a := startMesh(t, testSite{site: "a", key: key})
	b := startMesh(t, testSite{site: "b", key: key, join: []string{a.GossipAddr()}})
	waitAlive(t, a, "b")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	waitAlive(t, b, "a")
	if _, err := b.Ping(ctx, "a"); err != nil {
		t.Fatalf("a member could not ping another: %v", err)
	}
	outsider, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer outsider.Close()
	target := peer.AddrInfo{ID: a.Host().ID(), Addrs: a.Host().Addrs()}
	outsider.Connect(ctx, target) // may appear to succeed before the gater closes it
	if s, err := outsider.NewStream(ctx, target.ID, mesh.PingProtocol); err == nil {
		s.SetDeadline(time.Now().Add(2 * time.Second))
		_, werr := s.Write(make([]byte, 32))
		_, rerr := s.Read(make([]byte, 32))
		if werr == nil && rerr == nil {
			t.Fatal("a non-member opened a ping stream and got an echo")
		}
	}
}

func TestSiteNameHeldByALiveMemberIsRefused(t *testing.T) {
	key := newKey(t)
	a := startMesh(t, testSite{site: "a", key: key})
	b := startMesh(t, testSite{site: "b", key: key, join: []string{a.GossipAddr()}})
	waitAlive(t, b, "a")
	impostor := newMesh(t, testSite{site: "a", key: key, join: []string{b.GossipAddr()}})
	err := impostor.Start(context.Background())
	if err == nil {
		impostor.Shutdown()
		t.Fatal("a second node with site name a joined the mesh")
	}
	if !strings.Contains(err.Error(), `site name "a" is already held`) {
		t.Fatalf("error does not say the name is taken: %v", err)
	}
	mem, _ := b.Member("a")
	if mem.PeerID != a.Host().ID().String() || mem.State != mesh.StateAlive {
		t.Fatalf("b's record of a changed: %+v", mem)
	}
}
