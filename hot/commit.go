package hot

import "github.com/meshvault/meshvault/store"

// Group commit. Writers of one dataset take positions one after another
// under ds.mu, but none holds the lock across its fsync: each prepared
// op joins a queue, and the writer that finds no commit under way
// becomes the leader, committing everything queued as one synced batch,
// again and again until the queue is empty. Ops land in position order
// (the queue is in position order and a batch is atomic), ds.meta
// advances only once a group is durable, and one fsync serves every
// writer that queued meanwhile. The leader's own write returns only when
// the queue runs dry, which under a sustained stream of writes lengthens
// that one write's latency; handing leadership to another goroutine
// would need one that outlives requests, and the engine's shutdown to
// wait for it.

// pending is a prepared op: its batch, the position after it, and where
// its writer waits for the outcome.
type pending struct {
	b    *store.Batch
	m    meta
	done chan error
}

// headLocked is the position the next op follows: the last prepared one
// while a group commit is under way, else the committed one.
func (ds *dataset) headLocked() meta {
	if ds.committing || len(ds.queue) > 0 {
		return ds.next
	}
	return ds.meta
}

func (ds *dataset) head() meta {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	return ds.headLocked()
}

// enqueueLocked queues a prepared op, releases ds.mu, and, if no commit
// is under way, leads group commits until the queue is empty. The
// returned channel yields the op's outcome.
func (ds *dataset) enqueueLocked(b *store.Batch, m meta) <-chan error {
	p := pending{b: b, m: m, done: make(chan error, 1)}
	ds.queue = append(ds.queue, p)
	ds.next = m
	lead := !ds.committing
	ds.committing = true
	ds.mu.Unlock()
	if lead {
		ds.leadCommits()
	}
	return p.done
}

func (ds *dataset) leadCommits() {
	for {
		ds.mu.Lock()
		group := ds.queue
		ds.queue = nil
		if len(group) == 0 {
			ds.committing = false
			ds.mu.Unlock()
			return
		}
		ds.mu.Unlock()
		err := commitGroup(group)
		ds.mu.Lock()
		if err == nil {
			ds.setMetaLocked(group[len(group)-1].m)
		} else {
			// Ops queued since were positioned after these: they fail too.
			for _, p := range ds.queue {
				p.b.Discard()
			}
			group = append(group, ds.queue...)
			ds.queue, ds.next = nil, ds.meta
		}
		ds.mu.Unlock()
		for _, p := range group {
			p.done <- err
		}
	}
}

// commitGroup commits the group's batches as one synced batch.
func commitGroup(group []pending) error {
	b := group[0].b
	for i, p := range group[1:] {
		if err := b.Absorb(p.b); err != nil { // p.b is discarded
			for _, q := range group[i+2:] {
				q.b.Discard()
			}
			b.Discard()
			return err
		}
	}
	return b.Commit()
}
