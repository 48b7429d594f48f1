package erasure

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxShards bounds K+M for one pack: a snapshot never spreads a pack over
// more than this many shards.
const MaxShards = 32

// Scheme is a Reed-Solomon layout: a pack is split into K data shards and M
// parity shards, and any K of the K+M shards rebuild it.
type Scheme struct{ K, M int }

// String renders the scheme as "K+M", the form ParseScheme reads.
func (s Scheme) String() string { return fmt.Sprintf("%d+%d", s.K, s.M) }

// Shards is the number of shards one pack becomes: K+M.
func (s Scheme) Shards() int { return s.K + s.M }

// Validate reports why the scheme cannot be used: it needs K ≥ 1, M ≥ 1 and
// K+M ≤ MaxShards.
func (s Scheme) Validate() error {
	switch {
	case s.K < 1:
		return fmt.Errorf("erasure: scheme %s: K (data shards) must be at least 1", s)
	case s.M < 1:
		return fmt.Errorf("erasure: scheme %s: M (parity shards) must be at least 1", s)
	case s.K+s.M > MaxShards:
		return fmt.Errorf("erasure: scheme %s: K+M must be at most %d", s, MaxShards)
	}
	return nil
}

// ParseScheme reads "K+M" (e.g. "3+2", spaces around the numbers allowed)
// and returns a scheme that passes Validate, or an error naming the input.
func ParseScheme(text string) (Scheme, error) {
	ks, ms, ok := strings.Cut(text, "+")
	if !ok {
		return Scheme{}, fmt.Errorf("erasure: scheme %q: want K+M, e.g. \"3+2\"", text)
	}
	k, errK := strconv.Atoi(strings.TrimSpace(ks))
	m, errM := strconv.Atoi(strings.TrimSpace(ms))
	if errK != nil || errM != nil {
		return Scheme{}, fmt.Errorf("erasure: scheme %q: K and M must be whole numbers, e.g. \"3+2\"", text)
	}
	s := Scheme{K: k, M: m}
	return s, s.Validate()
}

// DefaultScheme picks K+M from the number of alive sites so that, once the
// shards are placed one per site, a snapshot survives the loss of any M
// sites: with 5 sites or more, any 2. Fewer than 2 sites (0 or 1) gives 1+1:
// both shards land on the same site, which guards against a corrupted shard
// but not against losing that site.
func DefaultScheme(sites int) Scheme {
	switch {
	case sites <= 2:
		return Scheme{K: 1, M: 1}
	case sites == 3:
		return Scheme{K: 2, M: 1}
	case sites == 4:
		return Scheme{K: 2, M: 2}
	case sites == 5:
		return Scheme{K: 3, M: 2}
	}
	return Scheme{K: 4, M: 2}
}
