package gentree

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Change is what mutate did to the tree.
type Change struct {
	Put         []string `json:"-"` // edited or new: to write again
	Deleted     []string `json:"-"`
	EditedFiles int      `json:"edited_files"`
	EditBytes   int64    `json:"edit_bytes"`
	NewFiles    int      `json:"new_files"`
	NewBytes    int64    `json:"new_bytes"`
	DelFiles    int      `json:"deleted_files"`
	DelBytes    int64    `json:"deleted_bytes"`
}

// Changed bytes: frac of the tree's bytes, of which newShare go to new
// small files and the rest to overwrites inside the large files;
// mutDeletes small files are deleted.
const (
	newShare   = 0.05
	mutDeletes = 100
)

// Mutate changes frac of the tree's bytes in place, seeded.
func Mutate(dir string, fs []File, frac float64, seed uint64) (Change, error) {
	rng := rand.New(rand.NewPCG(seed, 3))
	var total int64
	for _, f := range fs {
		total += f.Size
	}
	budget := int64(frac * float64(total))
	var ch Change
	if err := addSmall(dir, fs, int64(newShare*float64(budget)), rng, &ch); err != nil {
		return ch, err
	}
	if err := editLarge(dir, fs, budget-ch.NewBytes, rng, &ch); err != nil {
		return ch, err
	}
	return ch, deleteSmall(dir, fs, rng, &ch)
}

func addSmall(dir string, fs []File, budget int64, rng *rand.Rand, ch *Change) error {
	for i := 0; ch.NewBytes < budget; i++ {
		f := File{Path: fmt.Sprintf("small/new/n%04d", i), Size: 512 + rng.Int64N(32<<10), Text: i%2 == 1, Seed: rng.Uint64()}
		if err := writeGen(filepath.Join(dir, f.Path), f, time.Now()); err != nil {
			return err
		}
		ch.Put, ch.NewFiles, ch.NewBytes = append(ch.Put, f.Path), ch.NewFiles+1, ch.NewBytes+f.Size
	}
	return nil
}

// editLarge overwrites regions of 16 KiB to 1 MiB at random offsets of
// random large files until budget bytes are written.
func editLarge(dir string, fs []File, budget int64, rng *rand.Rand, ch *Change) error {
	large := filesUnder(fs, "large/")
	touched := map[string]bool{}
	for ch.EditBytes < budget {
		f := large[rng.IntN(len(large))]
		n := min(16<<10+rng.Int64N(1<<20-16<<10), budget-ch.EditBytes, f.Size)
		if err := overwrite(filepath.Join(dir, f.Path), rng.Int64N(f.Size-n+1), n, f.Text, rng.Uint64()); err != nil {
			return err
		}
		ch.EditBytes += n
		if !touched[f.Path] {
			touched[f.Path] = true
			ch.Put, ch.EditedFiles = append(ch.Put, f.Path), ch.EditedFiles+1
		}
	}
	return nil
}

func overwrite(path string, off, n int64, text bool, seed uint64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.NewOffsetWriter(f, off), io.LimitReader(content(text, seed), n))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func deleteSmall(dir string, fs []File, rng *rand.Rand, ch *Change) error {
	small := filesUnder(fs, "small/")
	for _, i := range rng.Perm(len(small))[:mutDeletes] {
		if err := os.Remove(filepath.Join(dir, small[i].Path)); err != nil {
			return err
		}
		ch.Deleted, ch.DelFiles, ch.DelBytes = append(ch.Deleted, small[i].Path), ch.DelFiles+1, ch.DelBytes+small[i].Size
	}
	return nil
}

func filesUnder(fs []File, prefix string) []File {
	var out []File
	for _, f := range fs {
		if strings.HasPrefix(f.Path, prefix) {
			out = append(out, f)
		}
	}
	return out
}
