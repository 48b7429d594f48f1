package snapshot

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// siteSpeeds remembers how long each site took to serve a shard lately,
// so that a restore asks the sites that answer fastest: a site behind a
// slow or lossy link is asked only when the fast ones cannot make up k.
type siteSpeeds struct {
	mu      sync.Mutex
	est     map[string]speed
	pending map[string]map[uint64]time.Time // gets under way: when each began
	seq     uint64
	now     func() time.Time
}

type speed struct {
	took time.Duration // moving average of a shard get's duration
	at   time.Time     // when it was last updated
}

// speedMemory is how long an estimate is trusted: a site demoted for
// being slow is asked again after it, in case its link recovered.
const speedMemory = 30 * time.Second

func newSiteSpeeds() *siteSpeeds {
	return &siteSpeeds{est: map[string]speed{}, pending: map[string]map[uint64]time.Time{}, now: time.Now}
}

// observe folds one shard get's duration into site's estimate.
func (s *siteSpeeds) observe(site string, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	old, ok := s.est[site]
	if ok && now.Sub(old.at) < speedMemory {
		took = (3*old.took + took) / 4
	}
	s.est[site] = speed{took: took, at: now}
}

// observeCutShort notes a get cancelled after took because k shards came
// first: it took at least that long, so it may raise site's estimate but
// never lower it. (Folding it in as a full sample would pull a slow
// site's estimate down to the fast sites' times and have it asked again.)
func (s *siteSpeeds) observeCutShort(site string, took time.Duration) {
	if took > s.estimate(site) {
		s.observe(site, took)
	}
}

// begin notes a get to site under way and returns the call that ends it:
// until then the get's age counts toward site's estimate, so a site that
// has not answered yet is known slow before it does.
func (s *siteSpeeds) begin(site string) (end func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id := s.seq
	if s.pending[site] == nil {
		s.pending[site] = map[uint64]time.Time{}
	}
	s.pending[site][id] = s.now()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.pending[site], id)
	}
}

// estimate is site's recent shard time, or the age of its oldest get
// under way if that is longer; zero when neither is known.
func (s *siteSpeeds) estimate(site string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var took time.Duration
	if e, ok := s.est[site]; ok && now.Sub(e.at) < speedMemory {
		took = e.took
	}
	for _, began := range s.pending[site] {
		took = max(took, now.Sub(began))
	}
	return took
}

// slowAfter is how much slower than the k-th fastest holder a site must
// be to lose its place: sites about as fast keep data shards first (no
// decoding), loopback or LAN noise does not reorder them, and a local
// shard (read from disk in a millisecond) does not make every remote
// site look slow, since k shards are needed anyway.
func slowAfter(kth time.Duration) time.Duration { return 2*kth + 5*time.Millisecond }

// rank orders a pack's holders (shard indices, data shards first) so
// that sites clearly slower than the k-th fastest come last, slowest
// last.
func (s *siteSpeeds) rank(order []int, sites []string, k int) []int {
	took := make([]time.Duration, len(sites))
	var times []time.Duration
	for _, i := range order {
		took[i] = s.estimate(sites[i])
		times = append(times, took[i])
	}
	if len(times) == 0 {
		return order
	}
	slices.Sort(times)
	limit := slowAfter(times[min(k, len(times))-1])
	key := func(i int) time.Duration {
		if took[i] <= limit {
			return 0
		}
		return took[i]
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(key(a), key(b)) })
	return order
}
