package snapshot

import (
	"context"
	"encoding/json"
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
	Shards    int       `json:"shards"`
	Bad       int       `json:"bad"`
	Repaired  int       `json:"repaired"`
	Unchecked int       `json:"unchecked"`
}

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
func (e *Engine) recordScrub(r ScrubResult, at time.Time) error {
	return e.catalog.putJSON(scrubKind, e.site, LastScrub{Time: at.UTC(), Site: e.site, Shards: r.Shards,
		Bad: len(r.Bad), Repaired: r.Repaired, Unchecked: r.Unchecked})
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
// does not put it off.
func (e *Engine) scrubDue(now time.Time) bool {
	if last, ok := e.catalog.LastScrub(); ok {
		return now.Sub(last.Time) >= e.cfg.ScrubEvery
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
