package snapshot

import (
	"cmp"
	"slices"
)

// DefaultMaxUnused is how much of a dataset's pack bytes prune leaves
// unused before it repacks, as a share of the bytes kept snapshots use:
// restic's default (--max-unused 5%). A pack is freed whole or not at
// all, so the chunks only forgotten snapshots needed stay on disk while
// a kept snapshot needs one chunk beside them; repacking copies the
// chunks still needed into new packs so that the old ones can go.
const DefaultMaxUnused = 0.05

// packUse is how many of a pack's bytes the kept snapshots still use.
type packUse struct {
	ID     string
	Length int // the pack's sealed bytes
	Used   int // the bytes of the distinct chunks kept snapshots reference
}

func (u packUse) unused() int { return u.Length - u.Used }

// chooseRepack picks the partly used packs to rewrite: the emptiest
// first (the least copying per byte freed), until the unused bytes left
// are at most maxUnused of the used ones. A negative maxUnused never
// repacks. It is a pure function of its input, so that which packs a
// prune rewrites is table-tested.
func chooseRepack(uses []packUse, maxUnused float64) []packUse {
	if maxUnused < 0 {
		return nil
	}
	var partly []packUse
	unused, used := 0, 0
	for _, u := range uses {
		used += u.Used
		if u.unused() > 0 {
			partly, unused = append(partly, u), unused+u.unused()
		}
	}
	slices.SortStableFunc(partly, func(a, b packUse) int {
		return cmp.Compare(float64(a.Used)/float64(a.Length), float64(b.Used)/float64(b.Length))
	})
	allowed := int(maxUnused * float64(used))
	var out []packUse
	for _, u := range partly {
		if unused <= allowed {
			break
		}
		out, unused = append(out, u), unused-u.unused()
	}
	return out
}
