package store

import "sync/atomic"

// chunkCount bounds from above how many chunks the index holds, so a
// sweep can size its filter without a scan of the index: every chunk
// stored adds one, every chunk a sweep frees takes one off. It is known
// only once a sweep has counted the index (the first after Open); a
// write that stores a chunk and then fails, or two writers storing the
// same chunk at once, leave it high, which only makes a filter larger.
type chunkCount struct {
	n     atomic.Int64
	known atomic.Bool
}

func (c *chunkCount) stored() { c.n.Add(1) }

// forSweep is the count to size a sweep's filter by, or false if the
// index must be counted. A sweep that counts calls restart first.
func (c *chunkCount) forSweep() (int, bool) {
	return int(max(c.n.Load(), 0)), c.known.Load()
}

// restart zeroes the count before an image is counted: chunks stored
// from then on are added to what the image held.
func (c *chunkCount) restart() { c.n.Store(0) }

// forget makes the next sweep count the index again.
func (c *chunkCount) forget() { c.known.Store(false) }

// swept records a sweep's outcome: counted is the image's chunk count
// if the sweep counted it (else 0), freed what it freed.
func (c *chunkCount) swept(counted, freed int) {
	c.n.Add(int64(counted - freed))
	c.known.Store(true)
}
