package gentree

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// The generated tree: genSmall small files (3 % of the bytes), genMedium
// medium ones (27 %) and genLarge large ones (70 %). Even-numbered
// files are random bytes, odd ones text; each file's bytes follow from
// the seed and its name alone.
const (
	genSmall  = 2000
	genMedium = 200
	genLarge  = 6
)

// File is one file of the tree.
type File struct {
	Path string
	Size int64
	Text bool
	Seed uint64
}

// Plan lists the files of a tree of about total bytes.
func Plan(total int64, seed uint64) []File {
	rng := rand.New(rand.NewPCG(seed, 1))
	var fs []File
	add := func(path string, size int64) {
		fs = append(fs, File{Path: path, Size: size, Text: len(fs)%2 == 1, Seed: seed<<20 + uint64(len(fs))})
	}
	smallAvg, mediumAvg, largeAvg := total*3/100/genSmall, total*27/100/genMedium, total*70/100/genLarge
	for i := range genSmall {
		add(fmt.Sprintf("small/d%02d/f%04d", i%40, i), 512+rng.Int64N(2*smallAvg-1024))
	}
	for i := range genMedium {
		add(fmt.Sprintf("medium/m%03d", i), mediumAvg/2+rng.Int64N(mediumAvg))
	}
	for i := range genLarge {
		add(fmt.Sprintf("large/l%d", i), largeAvg*int64(5+2*i)/10)
	}
	return fs
}

// Generate writes the planned tree under dir, all files with one mtime.
func Generate(dir string, fs []File) error {
	mtime := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range fs {
		if err := writeGen(filepath.Join(dir, f.Path), f, mtime); err != nil {
			return err
		}
	}
	return nil
}

func writeGen(path string, f File, mtime time.Time) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, io.LimitReader(content(f.Text, f.Seed), f.Size))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("generate %s: %w", path, err)
	}
	return os.Chtimes(path, mtime, mtime)
}

// content is an endless seeded stream, text or random bytes.
func content(text bool, seed uint64) io.Reader {
	if text {
		return &textReader{rng: rand.New(rand.NewPCG(seed, 2))}
	}
	return RandBytes(seed)
}

// textReader writes words drawn from a small vocabulary: compressible,
// but with no long repeats for the chunker to deduplicate.
type textReader struct {
	rng  *rand.Rand
	left []byte
}

var vocab = []string{"replica", "primary", "epoch", "chunk", "mesh", "site", "vote", "log",
	"the", "a", "of", "and", "to", "in", "is", "write", "fence", "lag", "sync", "async",
	"tokyo", "paris", "lima", "dataset", "failover", "switch", "byte", "tree", "op", "ack", "hash", "disk"}

func (t *textReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(t.left) == 0 {
			w := vocab[t.rng.IntN(len(vocab))]
			sep := " "
			if t.rng.IntN(12) == 0 {
				sep = ".\n"
			}
			t.left = []byte(w + sep)
		}
		c := copy(p[n:], t.left)
		t.left, n = t.left[c:], n+c
	}
	return n, nil
}
