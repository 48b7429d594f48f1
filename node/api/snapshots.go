package api

import "time"

// Snapshot is a catalog entry: one immutable point-in-time version of a
// dataset, the same at every site.
type Snapshot struct {
	ID         string    `json:"id"`
	Dataset    string    `json:"dataset"`
	Time       time.Time `json:"time"`
	Tags       []string  `json:"tags,omitempty"`
	Site       string    `json:"site"`     // where it was taken
	Position   uint64    `json:"position"` // dataset log position it shows
	Epoch      uint64    `json:"epoch"`
	Scheme     string    `json:"scheme"`         // k+m of the packs it wrote
	Manifest   string    `json:"manifest"`       // pack holding the file list
	Files      int       `json:"files"`          // regular files and symlinks
	Dirs       int       `json:"dirs,omitempty"` // directory entries
	Bytes      int64     `json:"bytes"`          // logical size of the files
	NewBytes   int64     `json:"new_bytes"`      // sealed bytes this snapshot added
	DedupBytes int64     `json:"dedup_bytes"`    // file bytes found already stored
	Packs      []string  `json:"packs"`          // every pack the snapshot needs
	Seconds    float64   `json:"seconds"`
}

// SnapshotHealth says how exposed a snapshot is now.
type SnapshotHealth struct {
	// Survives is how many more whole-site losses every pack survives,
	// given the sites down now and the shards the last scrub found bad
	// (BadShards); -1: some pack cannot be rebuilt already.
	Survives int `json:"survives"`
	Designed int `json:"designed"` // site losses survived as placed
	Packs    int `json:"packs"`
	Degraded int `json:"degraded_packs"` // packs with a shard on a site that is down
	// BadShards are its shards the mesh's last scrub found bad and did
	// not repair: Survives counts them as lost.
	BadShards int      `json:"bad_shards"`
	Sites     []string `json:"sites"` // sites holding its shards
}

// SiteShards is how many of a snapshot's shards one site holds.
type SiteShards struct {
	Site   string `json:"site"`
	State  string `json:"state"` // member state as the answering node sees it
	Shards int    `json:"shards"`
}

// SnapshotDetail is GET /v1/snapshots/{id}. Its files are listed apart,
// by GET /v1/snapshots/{id}/files, as FileEntry values: reading them
// means rebuilding the snapshot's manifest from k of its shards.
type SnapshotDetail struct {
	Snapshot  Snapshot       `json:"snapshot"`
	Health    SnapshotHealth `json:"health"`
	Placement []SiteShards   `json:"placement"`
}

// CreateSnapshot is the body of POST /v1/snapshots.
type CreateSnapshot struct {
	Dataset string   `json:"dataset"`
	Tags    []string `json:"tags,omitempty"`
}

// Restore is the body of POST /v1/restore. The node writes the files
// under Dir on its own machine. Snapshot empty: the latest at or before
// At (zero: now).
type Restore struct {
	Dataset   string    `json:"dataset"`
	Snapshot  string    `json:"snapshot,omitempty"`
	At        time.Time `json:"at,omitzero"`
	Dir       string    `json:"dir"`
	Prefix    string    `json:"prefix,omitempty"`
	Overwrite bool      `json:"overwrite,omitempty"`
	Verify    bool      `json:"verify,omitempty"`
}

// RestoreResult sums up a restore.
type RestoreResult struct {
	Snapshot string  `json:"snapshot"`
	Files    int     `json:"files"` // regular files and symlinks
	Dirs     int     `json:"dirs"`  // directories given their mode and mtime
	Bytes    int64   `json:"bytes"`
	Seconds  float64 `json:"seconds"`
	Verified bool    `json:"verified"`
	// ShardsFrom is how many shards each site gave: the fastest sites
	// give most, a site behind a slow link few or none.
	ShardsFrom map[string]int `json:"shards_from"`
	// ShardsAsked is how many shard gets were sent to each site: more
	// than it gave when a get failed, or was cut short because k shards
	// came first from faster sites.
	ShardsAsked map[string]int `json:"shards_asked"`
	// ParityPacks is how many packs were decoded with a parity shard in
	// place of a data shard (a site down, slow or holding a bad shard).
	ParityPacks int `json:"parity_packs"`
}

// RestoreEvent is one line of the NDJSON answer to POST /v1/restore:
// progress {"done","total"} lines, then one {"result"} or {"error"}.
type RestoreEvent struct {
	Done   int64          `json:"done,omitempty"`
	Total  int64          `json:"total,omitempty"`
	Result *RestoreResult `json:"result,omitempty"`
	Error  string         `json:"error,omitempty"`
}

// Forget is the body of POST /v1/snapshots/forget: the --keep-* rules
// (0 disables a count, -1 is unlimited) applied to one dataset.
type Forget struct {
	Dataset     string   `json:"dataset"`
	KeepLast    int      `json:"keep_last,omitempty"`
	KeepHourly  int      `json:"keep_hourly,omitempty"`
	KeepDaily   int      `json:"keep_daily,omitempty"`
	KeepWeekly  int      `json:"keep_weekly,omitempty"`
	KeepMonthly int      `json:"keep_monthly,omitempty"`
	KeepYearly  int      `json:"keep_yearly,omitempty"`
	KeepWithin  string   `json:"keep_within,omitempty"` // a Go duration, e.g. 72h0m0s
	KeepTags    []string `json:"keep_tags,omitempty"`
	DryRun      bool     `json:"dry_run,omitempty"`
}

// ForgetDecision is forget's verdict on one snapshot, newest first: kept
// with the rules that kept it, or forgotten.
type ForgetDecision struct {
	Snapshot DecisionSnapshot `json:"snapshot"`
	Keep     bool             `json:"keep"`
	Reasons  []string         `json:"reasons"`
}

// DecisionSnapshot is what retention looks at in a snapshot.
type DecisionSnapshot struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	Tags []string  `json:"tags,omitempty"`
}

// Repair is the body of POST /v1/snapshots/repair.
type Repair struct {
	DryRun bool `json:"dry_run,omitempty"`
}

// RepairResult sums up POST /v1/snapshots/repair: the shards of packs
// held by sites that are down, rebuilt on alive sites.
type RepairResult struct {
	Lost   []string `json:"lost_sites"` // sites down (dead or left) that held shards
	Packs  int      `json:"packs"`      // packs whose lost shards were rebuilt (a dry run: would be)
	Shards int      `json:"shards"`     // shards rebuilt on other sites
	Bytes  int64    `json:"bytes"`      // their size, headers included
	// Unrepairable lists packs with fewer than k shards on live sites:
	// they come back only with a site that holds their shards.
	Unrepairable []string `json:"unrepairable,omitempty"`
	// Failed lists the packs whose repair failed, with why: repair again.
	Failed  []string `json:"failed,omitempty"`
	DryRun  bool     `json:"dry_run,omitempty"`
	Seconds float64  `json:"seconds"`
}

// Scrub is the body of POST /v1/snapshots/scrub.
type Scrub struct {
	Repair bool `json:"repair,omitempty"` // rebuild each bad shard at its site
}

// ScrubResult sums up POST /v1/snapshots/scrub: every shard of the packs
// kept snapshots need, read and checked at the site that holds it.
type ScrubResult struct {
	Packs     int        `json:"packs"`
	Shards    int        `json:"shards"` // checked at their sites
	Bytes     int64      `json:"bytes"`  // their size
	Unchecked int        `json:"unchecked"`
	Down      []string   `json:"sites_down,omitempty"` // sites whose shards went unchecked
	Bad       []BadShard `json:"bad"`
	Repaired  int        `json:"repaired"`
	Failed    []string   `json:"failed,omitempty"` // checks that could not run, with why
	Seconds   float64    `json:"seconds"`
}

// BadShard is a shard its site cannot give back as stored.
type BadShard struct {
	Pack        string `json:"pack"`
	Index       int    `json:"index"`
	Site        string `json:"site"`
	Problem     string `json:"problem"`
	Repaired    bool   `json:"repaired"`
	RepairError string `json:"repair_error,omitempty"`
}

// Prune is the body of POST /v1/snapshots/prune (optional).
type Prune struct {
	// MaxUnused is how much of a dataset's pack bytes may stay unused, as
	// a share of the bytes its kept snapshots use (0.05 is 5 %), before
	// partly used packs are repacked; absent: 0.05, restic's default;
	// negative: never repack.
	MaxUnused *float64 `json:"max_unused,omitempty"`
}

// PruneResult sums up POST /v1/snapshots/prune.
type PruneResult struct {
	Packs     int     `json:"packs"`         // packs deleted
	Bytes     int64   `json:"bytes"`         // their size before coding
	Condemned int     `json:"condemned"`     // packs newly found unreferenced
	Pending   int     `json:"pending"`       // left for a later prune: shards on sites that are down
	Young     int     `json:"young_packs"`   // unreferenced but younger than the grace: left for a later prune
	Kept      int     `json:"kept_packs"`    // packs still referenced
	Held      int     `json:"held_packs"`    // condemned, but another site still reads them or has not heard: left for a later prune
	Orphans   int     `json:"orphan_shards"` // shards no pack records (a crashed snapshot's) swept
	Grace     float64 `json:"grace_seconds"` // how old an unreferenced pack or unrecorded shard must be to be freed
	// UnfencedPacks is how many unreferenced packs were left for a later
	// prune because a site holding a full copy of their dataset is down
	// (it may be cut off and snapshotting against them); WaitingFor
	// names those sites.
	UnfencedPacks int      `json:"unfenced_packs"`
	WaitingFor    []string `json:"waiting_for,omitempty"`
	// RepackedPacks is how many partly used packs had the chunks kept
	// snapshots use copied into new packs, RepackedBytes how many bytes
	// that copied; the old packs are freed with the rest.
	RepackedPacks int   `json:"repacked_packs"`
	RepackedBytes int64 `json:"repacked_bytes"`
	// RepackSkipped names each dataset not repacked this time, with why
	// (a manifest or pack unreadable now); a later prune tries again.
	RepackSkipped []string `json:"repack_skipped,omitempty"`
}
