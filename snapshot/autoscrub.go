package snapshot

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// scrubKind holds each site's last completed scrub, under its name: one
// key per writer, so two sites that scrub at once never overwrite each
// other (the cluster state keeps one winner per key, not the newest).
const scrubKind = "scrub"

// LastScrub is the mesh's last completed scrub, as the catalog records
// it (every site sees it): when, where from, and what it found.
type LastScrub struct {
	Time      time.Time `json:"time"`
	Site      string    `json:"site"`
	Repair    bool      `json:"repair"` // whether it was asked to repair
	Shards    int       `json:"shards"`
	Bad       int       `json:"bad"`
	Repaired  int       `json:"repaired"`
	Unchecked int       `json:"unchecked"`
	// Unrepaired are the bad shards it left (the first maxRecordedBad):
	// Health counts them as lost until a later scrub finds them good.
	Unrepaired []ShardAt `json:"unrepaired,omitempty"`
}

// ShardAt names one shard: its pack, index and site.
type ShardAt struct {
	Pack  string `json:"pack"`
	Index int    `json:"index"`
	Site  string `json:"site"`
}

// maxRecordedBad bounds the bad shards a scrub record lists, so that a
// site whose disk was wiped does not put an entry of megabytes into the
// cluster state: past it, the rest are counted in Bad only.
const maxRecordedBad = 1024

// LastScrub returns the mesh's last completed scrub, if any: the newest
// of the sites' records.
func (c *Catalog) LastScrub() (LastScrub, bool) {
	var last LastScrub
	found := false
	for _, e := range c.state.List(scrubKind) {
		var l LastScrub
		if json.Unmarshal(e.Value, &l) == nil && (!found || l.Time.After(last.Time)) {
			last, found = l, true
		}
	}
	return last, found
}

// recordScrub writes a completed scrub into the catalog, so that the
// next one is due ScrubEvery after it wherever it ran.
func (e *Engine) recordScrub(r ScrubResult, repair bool, at time.Time) error {
	left := append(unrepaired(r.Bad), e.stillUnchecked(r.Down)...)
	return e.catalog.putJSON(scrubKind, e.site, LastScrub{Time: at.UTC(), Site: e.site, Repair: repair, Shards: r.Shards,
		Bad: len(r.Bad), Repaired: r.Repaired, Unchecked: r.Unchecked, Unrepaired: left[:min(len(left), maxRecordedBad)]})
}

// unrepaired lists the bad shards not repaired.
func unrepaired(bad []BadShard) []ShardAt {
	var out []ShardAt
	for _, b := range bad {
		if !b.Repaired {
			out = append(out, ShardAt{Pack: b.Pack, Index: b.Index, Site: b.Site})
		}
	}
	return out
}

// stillUnchecked carries over the shards known bad on sites this scrub
// could not reach: nothing has shown them good since.
func (e *Engine) stillUnchecked(down []string) []ShardAt {
	var out []ShardAt
	for s := range e.catalog.knownBad() {
		if slices.Contains(down, s.Site) {
			out = append(out, s)
		}
	}
	return out
}

// knownBad is the set of shards the mesh's last scrub found bad and
// left: lost for Health until a later scrub finds them good or repairs
// them.
func (c *Catalog) knownBad() map[ShardAt]bool {
	last, ok := c.LastScrub()
	if !ok || len(last.Unrepaired) == 0 {
		return nil
	}
	bad := make(map[ShardAt]bool, len(last.Unrepaired))
	for _, s := range last.Unrepaired {
		bad[s] = true
	}
	return bad
}

// autoScrub runs a scrub with repair whenever one is due, at the site
// that leads repairs (one site, so the sites do not all read every
// shard), checking every scrubTick, until ctx ends.
func (e *Engine) autoScrub(ctx context.Context) {
	e.whileLeading(ctx, scrubTick(e.cfg.ScrubEvery), func() bool { return e.scrubDue(time.Now()) }, e.scrubNow)
}

// scrubTick is how often autoScrub looks: an eighth of the interval, at
// most an hour.
func scrubTick(every time.Duration) time.Duration {
	return max(10*time.Millisecond, min(time.Hour, every/8))
}

// scrubDue reports whether ScrubEvery has passed since the last scrub,
// or, before the first, since the oldest snapshot was taken: a restart
// does not put it off. A last scrub that was not asked to repair and
// found bad shards makes the next one due at once: it repairs them.
func (e *Engine) scrubDue(now time.Time) bool {
	if last, ok := e.catalog.LastScrub(); ok {
		return now.Sub(last.Time) >= e.cfg.ScrubEvery || (!last.Repair && last.Bad > 0)
	}
	ss := e.catalog.Snapshots("")
	return len(ss) > 0 && now.Sub(ss[0].Time) >= e.cfg.ScrubEvery
}

func (e *Engine) scrubNow(ctx context.Context) {
	res, err := e.Scrub(ctx, ScrubOptions{Repair: true})
	switch {
	case err != nil || len(res.Failed) > 0 || res.Repaired < len(res.Bad):
		e.log.Warn("scheduled scrub incomplete", "shards", res.Shards, "bad", len(res.Bad), "repaired", res.Repaired,
			"failed", len(res.Failed), "unchecked", res.Unchecked, "err", err)
	case len(res.Bad) > 0:
		e.log.Warn("scheduled scrub repaired bad shards", "shards", res.Shards, "repaired", res.Repaired)
	default:
		e.log.Info("scheduled scrub", "shards", res.Shards, "unchecked", res.Unchecked, "seconds", res.Seconds)
	}
}
