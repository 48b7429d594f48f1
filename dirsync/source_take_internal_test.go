package dirsync

import (
	"runtime"
	"testing"
)

// The files taken at once are bounded by their bytes: as many large files
// as before (two per core), sixteen times as many small ones, so that
// small files' commits share their fsyncs.
func TestFilesTakenAtOnceAreTwoLargePerCoreOrSixteenTimesAsManySmall(t *testing.T) {
	perCore := int64(2 * runtime.GOMAXPROCS(0))
	for _, tc := range []struct {
		size int64
		want int64
	}{
		{0, 16 * perCore},
		{1, 16 * perCore},
		{100 << 10, 16 * perCore},
		{256 << 10, 16 * perCore},
		{1 << 20, 4 * perCore},
		{4 << 20, perCore},
		{187 << 20, perCore},
	} {
		if got := takeBudget() / takeWeight(tc.size); got != tc.want {
			t.Errorf("files of %d bytes: %d taken at once, want %d", tc.size, got, tc.want)
		}
	}
}
