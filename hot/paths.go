package hot

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// CleanPath checks a dataset path and returns it cleaned. Paths are
// relative, slash-separated and stay inside the dataset.
func CleanPath(p string) (string, error) {
	if p == "" || strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("path %q must be relative to the dataset root, e.g. dir/file.txt", p)
	}
	if !utf8.ValidString(p) || strings.ContainsRune(p, 0) {
		return "", fmt.Errorf("path %q is not valid UTF-8 without NUL bytes", p)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", fmt.Errorf("path %q escapes the dataset with '..': name a path inside it", p)
		}
	}
	clean := path.Clean(p)
	if clean == "." {
		return "", fmt.Errorf("path %q names the dataset root, not a file", p)
	}
	return clean, nil
}
