package snapshot

import (
	"runtime"
	"sync"

	"context"
	"encoding/json"
	"fmt"
	"github.com/zeebo/blake3"
	"golang.org/x/sync/errgroup"
	"time"

	"github.com/meshvault/meshvault/erasure"
	"github.com/meshvault/meshvault/hot"
)

// Create takes a snapshot of dataset from this site's copy at one log
// position. It returns once every shard is persisted at its site and the
// catalog entry is written (node waits for it to reach every alive site).
func (e *Engine) Create(ctx context.Context, dataset string, tags []string) (Snapshot, error) {
	start := time.Now()
	view, err := e.cfg.Hot.OpenView(dataset)
	if err != nil {
		return Snapshot{}, fmt.Errorf("snapshot %s: %w", dataset, err)
	}
	defer view.Close()
	key, err := e.markRunning(dataset)
	if err != nil {
		return Snapshot{}, err
	}
	defer e.unmarkRunning(key)
	scheme, err := e.scheme(dataset)
	if err != nil {
		return Snapshot{}, err
	}
	b, err := e.newBuild(ctx, dataset, scheme)
	if err != nil {
		return Snapshot{}, err
	}
	defer b.seal.Close()
	defer b.pack.close()
	err = view.Entries(func(en hot.Entry) error { return b.addFile(view, en) })
	if werr := b.work.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		b.pack.group.Wait() // no upload may outlive a failed snapshot
		return Snapshot{}, fmt.Errorf("snapshot %s: %w", dataset, err)
	}
	return b.finish(view, tags, start)
}

// build is one snapshot being taken.
type build struct {
	e       *Engine
	ctx     context.Context
	work    *errgroup.Group // sealing workers
	workCtx context.Context
	mu      sync.Mutex // guards index, pack and dedup for the workers
	dst     string
	scheme  erasure.Scheme
	seal    *erasure.Sealer
	index   *dedupIndex
	pack    *packer
	man     manifest
	bytes   int64
	dedup   int64
	sealed  sync.Pool // of *[]byte: a chunk's sealed bytes until copied into its pack
}

func (e *Engine) newBuild(ctx context.Context, dataset string, scheme erasure.Scheme) (*build, error) {
	seal, err := e.sealer(dataset)
	if err != nil {
		return nil, err
	}
	idx, err := e.loadIndex(ctx, dataset)
	if err != nil {
		return nil, err
	}
	work, workCtx := errgroup.WithContext(ctx)
	work.SetLimit(runtime.GOMAXPROCS(0))
	b := &build{e: e, ctx: ctx, work: work, workCtx: workCtx, dst: dataset, scheme: scheme, seal: seal, index: idx,
		pack: e.newPacker(ctx, dataset, scheme), man: manifest{Dataset: dataset}}
	b.sealed.New = func() any { return new([]byte) }
	return b, nil
}

func (e *Engine) sealer(dataset string) (*erasure.Sealer, error) {
	return erasure.NewSealerWith(erasure.DeriveKey(e.cfg.MeshKey, dataset), e.cfg.DB.Codec())
}

// addFile records a file and has its chunks stored by the sealing
// workers, one per core; each fills its slot of the file's chunk list.
func (b *build) addFile(view *hot.View, en hot.Entry) error {
	f := mfile{Path: en.Path, Size: en.Size, Mode: en.Mode, MTime: en.MTime, Target: en.Target}
	if len(en.Chunks) > 0 {
		f.Chunks = make([]*chunkRef, len(en.Chunks))
	}
	b.bytes += en.Size
	for i, c := range en.Chunks {
		b.work.Go(func() error {
			ref, err := b.chunk(view, c)
			if err != nil {
				return fmt.Errorf("%s: %w", en.Path, err)
			}
			f.Chunks[i] = ref
			return nil
		})
	}
	b.man.Files = append(b.man.Files, f)
	return b.workCtx.Err() // a worker failed: stop walking
}

// chunk finds a chunk already stored, or seals it and adds it to a pack.
func (b *build) chunk(view *hot.View, c hot.ChunkRef) (*chunkRef, error) {
	if ref, ok := b.lookup(c); ok {
		return ref, nil
	}
	rbuf := b.e.reads.Get()
	defer b.e.reads.Put(rbuf)
	stored, err := view.StoredChunkDirectTo(rbuf, c.Hash) // read once: past the page cache; sealed into buf below
	if err != nil {
		return nil, err
	}
	buf := b.sealed.Get().(*[]byte)
	defer b.sealed.Put(buf)
	*buf = b.seal.SealStoredTo(*buf, stored, c.Hash[:]) // compressed once, when it was first stored
	ref := &chunkRef{Hash: c.Hash, Size: c.Size}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.index.add(ref)
	return ref, b.pack.add(ref, *buf) // copies it into the pack
}

func (b *build) lookup(c hot.ChunkRef) (*chunkRef, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ref, ok := b.index.lookup(c.Hash)
	if ok {
		b.dedup += int64(c.Size)
	}
	return ref, ok
}

// finish waits for the packs, stores the sealed manifest as a pack of
// its own, and writes the catalog entry last: a crash before that leaves
// no snapshot, only orphan packs that prune reclaims.
func (b *build) finish(view *hot.View, tags []string, start time.Time) (Snapshot, error) {
	newBytes, err := b.pack.wait()
	if err != nil {
		return Snapshot{}, fmt.Errorf("snapshot %s: %w", b.dst, err)
	}
	b.man.Position = view.Pos
	manID, manBytes, err := b.storeManifest()
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{ID: snapshotID(b.dst, view.Pos, start), Dataset: b.dst, Time: start.UTC(), Tags: tags, Site: b.e.site,
		Position: view.Pos, Epoch: view.Epoch, Scheme: b.scheme.String(), Manifest: manID,
		Bytes: b.bytes, NewBytes: newBytes + manBytes, DedupBytes: b.dedup, Packs: append(b.man.packs(), manID)}
	dirs, files := splitDirs(b.man.Files)
	s.Files, s.Dirs, s.Seconds = len(files), len(dirs), time.Since(start).Seconds()
	b.e.catalog.state.Spread(packKind, s.Packs) // placements first, where gossip would trickle them
	if err := b.e.catalog.putJSON(snapshotKind, s.ID, s); err != nil {
		return Snapshot{}, err
	}
	return s, b.index.save(s.Manifest)
}

func (b *build) storeManifest() (string, int64, error) {
	pl, err := b.e.putManifest(b.ctx, b.seal, b.dst, b.man, b.scheme)
	return pl.ID, int64(pl.Length), err
}

// putManifest seals m and stores it as a pack of its own.
func (e *Engine) putManifest(ctx context.Context, seal *erasure.Sealer, dataset string, m manifest, s erasure.Scheme) (Pack, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return Pack{}, err
	}
	pl, err := e.storePack(ctx, dataset, seal.Seal(raw, []byte("manifest")), s, e.aliveSites())
	if err != nil {
		return Pack{}, fmt.Errorf("snapshot of %s: manifest: %w", dataset, err)
	}
	return pl, nil
}

// packs lists every distinct pack the manifest's chunks live in.
func (m manifest) packs() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range m.Files {
		for _, c := range f.Chunks {
			if !seen[c.Pack] {
				seen[c.Pack] = true
				out = append(out, c.Pack)
			}
		}
	}
	return out
}

func snapshotID(dataset string, pos uint64, t time.Time) string {
	sum := blake3.Sum256(fmt.Appendf(nil, "%s/%d/%d", dataset, pos, t.UnixNano()))
	return fmt.Sprintf("%x", sum[:16])
}

// scheme is the dataset's --ec, or the default for the sites alive now:
// from 5 sites up a snapshot survives the loss of any 2.
func (e *Engine) scheme(dataset string) (erasure.Scheme, error) {
	d, err := e.cfg.Hot.Dataset(dataset)
	if err != nil {
		return erasure.Scheme{}, err
	}
	if d.EC == "" {
		return erasure.DefaultScheme(len(e.aliveSites())), nil
	}
	return erasure.ParseScheme(d.EC)
}
