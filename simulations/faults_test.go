package simulations_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node"
	"github.com/meshvault/meshvault/simulations"
)

func TestLatencyOnALinkDelaysStreamsOverIt(t *testing.T) {
	c := startCluster(t, 2)
	if err := c.WaitStates(waitCtx(t, 10*time.Second), c.Names(), simulations.AllAlive(c.Names())); err != nil {
		t.Fatal(err)
	}
	const delay = 80 * time.Millisecond
	c.SetLink("s1", "s2", simulations.LinkFault{Delay: delay})
	rtt, err := c.Node("s1").Mesh().Ping(waitCtx(t, 5*time.Second), "s2")
	if err != nil {
		t.Fatal(err)
	}
	if rtt < delay {
		t.Fatalf("ping over a link with %v latency took %v", delay, rtt)
	}
	c.Heal()
	if rtt, err = c.Node("s1").Mesh().Ping(waitCtx(t, 5*time.Second), "s2"); err != nil || rtt >= delay {
		t.Fatalf("after heal: rtt %v, err %v", rtt, err)
	}
}

// memberlist falls back to a TCP ping when UDP probes go unanswered, so a
// site whose datagrams are all lost is not declared dead.
func TestSiteWhoseGossipDatagramsAreAllLostStaysAliveThroughTCPProbes(t *testing.T) {
	c := startCluster(t, 3)
	names := c.Names()
	if err := c.WaitStates(waitCtx(t, 10*time.Second), names, simulations.AllAlive(names)); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"s1", "s2"} {
		c.SetLink("s3", to, simulations.LinkFault{Loss: 1})
	}
	deadline := time.Now().Add(20 * mesh.FastProfile().ProbeInterval)
	for time.Now().Before(deadline) {
		for _, o := range []string{"s1", "s2"} {
			if st := c.StatesSeenBy(o)["s3"]; st == mesh.StateDead {
				t.Fatalf("%s declared s3 dead although TCP probes reach it", o)
			}
		}
		time.Sleep(simulations.PollInterval)
	}
	if dropped := metric(t, c.Node("s3"), `meshvault_gossip_packets_total{direction="dropped"}`); dropped == "0" {
		t.Fatal("no datagram was dropped: the loss was not injected")
	}
}

func TestPartitionedSitesCannotOpenStreamsAcrossTheCut(t *testing.T) {
	c := startCluster(t, 2)
	if err := c.WaitStates(waitCtx(t, 10*time.Second), c.Names(), simulations.AllAlive(c.Names())); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Node("s1").Mesh().Ping(waitCtx(t, 5*time.Second), "s2"); err != nil {
		t.Fatal(err)
	}
	c.Partition([]string{"s1"}, []string{"s2"})
	_, err := c.Node("s1").Mesh().Ping(waitCtx(t, 5*time.Second), "s2")
	if err == nil || !strings.Contains(err.Error(), "cut") {
		t.Fatalf("ping across a partition: %v", err)
	}
}

func TestRandomLossIsReplayableFromTheSeed(t *testing.T) {
	draw := func(seed int64) string {
		c, err := simulations.New(simulations.Options{Dir: t.TempDir(), N: 2, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		c.SetLink("s1", "s2", simulations.LinkFault{Loss: 0.5})
		var b strings.Builder
		for range 64 {
			if c.Faults().Link("s1", "s2").Drop {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	if a, b := draw(42), draw(42); a != b {
		t.Fatalf("same seed, different drops:\n%s\n%s", a, b)
	}
	if a, b := draw(42), draw(43); a == b {
		t.Fatalf("different seeds drew the same 64 drops: %s", a)
	}
}

func TestClusterStateConvergesToOneWinnerAfterConcurrentWritesInAPartition(t *testing.T) {
	c := startCluster(t, 4)
	names := c.Names()
	if err := c.WaitStates(waitCtx(t, 10*time.Second), names, simulations.AllAlive(names)); err != nil {
		t.Fatal(err)
	}
	c.Partition([]string{"s1", "s2"}, []string{"s3", "s4"})
	left, _ := c.Node("s1").Mesh().Cluster().Set("test", "k", []byte(`"left"`))
	right, _ := c.Node("s3").Mesh().Cluster().Set("test", "k", []byte(`"right"`))
	winner := string(left.Value)
	if right.Clock > left.Clock || (right.Clock == left.Clock && right.Site > left.Site) {
		winner = string(right.Value)
	}
	c.Heal()
	if err := waitValue(t, c, names, "k", winner); err != nil {
		t.Fatal(err)
	}
}

func TestLargeStateEntriesReachEverySiteAndSurviveARestart(t *testing.T) {
	c := startCluster(t, 3)
	names := c.Names()
	if err := c.WaitStates(waitCtx(t, 10*time.Second), names, simulations.AllAlive(names)); err != nil {
		t.Fatal(err)
	}
	big := `"` + strings.Repeat("x", 20000) + `"`
	if _, err := c.Node("s1").Mesh().Cluster().Set("test", "big", []byte(big)); err != nil {
		t.Fatal(err)
	}
	if err := waitValue(t, c, names, "big", big); err != nil {
		t.Fatal(err)
	}
	if err := c.Kill("s3"); err != nil {
		t.Fatal(err)
	}
	c.Isolate("s3") // it must find the entry on its own disk, not learn it again
	if err := c.Restart(waitCtx(t, 10*time.Second), "s3"); err != nil {
		t.Fatal(err)
	}
	if e, ok := c.Node("s3").Mesh().Cluster().Get("test", "big"); !ok || string(e.Value) != big {
		t.Fatal("s3 lost the entry across a restart")
	}
}

func waitValue(t *testing.T, c *simulations.Cluster, sites []string, key, want string) error {
	return simulations.WaitFor(waitCtx(t, 20*time.Second), key+" = "+abbrev(want)+" everywhere", func() (bool, string) {
		var saw []string
		ok := true
		for _, s := range sites {
			e, _ := c.Node(s).Mesh().Cluster().Get("test", key)
			saw = append(saw, s+"="+abbrev(string(e.Value)))
			ok = ok && string(e.Value) == want
		}
		return ok, strings.Join(saw, " ")
	})
}

func abbrev(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// metric returns the value of one sample line of a node's /metrics.
func metric(t *testing.T, n *node.Node, sample string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+n.APIAddr()+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+n.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	t.Fatalf("no %s in /metrics", sample)
	return ""
}
