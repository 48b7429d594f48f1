package api

// ChunkSweep is what one sweep of a site's chunk store found and freed
// (POST /v1/chunks/sweep).
type ChunkSweep struct {
	Site            string  `json:"site"`
	LiveChunks      int     `json:"live_chunks"`      // chunks kept: referenced (and ~0.05 % of the rest, freed by a later sweep)
	FreedChunks     int     `json:"freed_chunks"`     // chunks no file, conflict, unshipped op or open view referenced
	FreedBytes      int64   `json:"freed_bytes"`      // their stored (compressed) bytes
	SegmentsRemoved int     `json:"segments_removed"` // segment files left with no chunk, removed
	Seconds         float64 `json:"seconds"`
}
