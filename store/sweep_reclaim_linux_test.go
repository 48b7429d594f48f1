package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// blocks is the bytes a file takes on disk (not its length).
func blocks(t *testing.T, path string) int64 {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return st.Blocks * 512
}

// threeSegments writes 9 chunks of 1 MiB, three to a segment: segments 1
// and 2 are closed, 3 is appending. It returns the chunks by segment.
func threeSegments(t *testing.T, db *DB) [][][]byte {
	db.segs.limit = 3<<20 + 512<<10
	segs := make([][][]byte, 3)
	for i := range 9 {
		data := incompressible(uint64(100+i), 1<<20)
		putRef(t, db, string(rune('a'+i)), data)
		segs[i/3] = append(segs[i/3], data)
	}
	if ids, _ := db.segs.list(); len(ids) != 3 {
		t.Fatalf("segments %v, want 3", ids)
	}
	return segs
}

func TestAFullyFreedSegmentIsRemovedAndFreedRangesOfOthersArePunched(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	segs := threeSegments(t, db)
	seg := func(id uint32) string { return filepath.Join(dir, "chunks", segmentName(id)) }
	before := blocks(t, seg(2))
	for _, k := range []string{"a", "b", "c", "e"} { // all of segment 1, the middle of 2
		db.deleteKey(t, "ref/"+k)
	}
	st := sweep(t, db)
	if st.Freed != 4 || st.SegmentsRemoved != 1 {
		t.Fatalf("sweep = %+v, want 4 chunks freed and segment 1 removed", st)
	}
	if _, err := os.Stat(seg(1)); !os.IsNotExist(err) {
		t.Fatalf("segment 1 still there (%v)", err)
	}
	if after := blocks(t, seg(2)); before-after < 900<<10 {
		t.Fatalf("segment 2 takes %d bytes on disk after its middle MiB was freed, %d before: not punched", after, before)
	}
	for i, data := range [][]byte{segs[1][0], segs[1][2], segs[2][0], segs[2][1], segs[2][2]} {
		wantChunk(t, db, HashOf(data), data, "a live chunk beside freed ones "+string(rune('0'+i)))
	}
}

// A crash after the sweep's batch, before the reclaim, leaves the
// reclaim recorded; Open carries it out before anything is appended.
func TestAReclaimACrashLeftPendingIsCarriedOutAtOpen(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	segs := threeSegments(t, db)
	for _, k := range []string{"a", "b", "c", "d"} {
		db.deleteKey(t, "ref/"+k)
	}
	ctx := context.Background()
	db.gc.begin(ctx) // Sweep, without its reclaim
	closed := db.segs.closedBefore()
	img := db.View()
	live, _ := db.markLive(ctx, img, refsUnder, 0)
	if _, err := db.deleteUnmarked(ctx, img, live, closed); err != nil {
		t.Fatal(err)
	}
	img.Close()
	db.gc.end()
	seg2 := filepath.Join(dir, "chunks", segmentName(2))
	before := blocks(t, seg2)
	db.Close()

	db, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(filepath.Join(dir, "chunks", segmentName(1))); !os.IsNotExist(err) {
		t.Fatalf("segment 1 still there after reopening (%v)", err)
	}
	if after := blocks(t, seg2); before-after < 900<<10 {
		t.Fatalf("segment 2's freed first MiB not punched at open: %d bytes on disk, %d before", after, before)
	}
	n := 0
	db.Scan(punchPrefix, func(_, _ []byte) error { n++; return nil })
	db.Scan(dropPrefix, func(_, _ []byte) error { n++; return nil })
	if n != 0 {
		t.Fatalf("%d reclaims still pending after open", n)
	}
	for _, data := range [][]byte{segs[1][1], segs[1][2], segs[2][0]} {
		wantChunk(t, db, HashOf(data), data, "live after reopening")
	}
}
