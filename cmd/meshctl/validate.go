package main

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// checkName refuses dataset names that cannot be one URL path segment.
func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, "/\\") || name == "." || name == ".." {
		return fmt.Errorf("dataset name %q is not valid: use one word without slashes, e.g. web-assets", name)
	}
	return nil
}

// checkPath refuses a file path that is not clean and relative to the
// dataset's root, naming the fix.
func checkPath(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("PATH is empty: name a file inside the dataset, e.g. docs/a.txt")
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("PATH %q is absolute: paths are relative to the dataset's root; drop the leading slash: %q", p, strings.TrimLeft(p, "/"))
	case slices.Contains(strings.Split(p, "/"), ".."):
		return fmt.Errorf("PATH %q contains '..': name the file by its path inside the dataset, without '..' (e.g. docs/a.txt)", p)
	case path.Clean(p) != p:
		return fmt.Errorf("PATH %q is not clean (empty or '.' segments, or a trailing slash): use %q", p, path.Clean(p))
	}
	return nil
}

// checkPrefix is checkPath for ls's PREFIX, which may be empty or end in
// a slash.
func checkPrefix(p string) error {
	if p == "" {
		return nil
	}
	q := strings.TrimSuffix(p, "/")
	if q == "" {
		q = p
	}
	if err := checkPath(q); err != nil {
		return fmt.Errorf("PREFIX%s", strings.TrimPrefix(err.Error(), "PATH"))
	}
	return nil
}

// checkMode refuses a replication mode other than sync or async.
func checkMode(mode string) error {
	if mode != "sync" && mode != "async" {
		return fmt.Errorf("unknown --mode %q: choose sync (a write returns once the replicas have it) or async (a write returns at once; replicas catch up)", mode)
	}
	return nil
}

// checkSites refuses an empty --replicas, an empty site name in it, or a
// site named twice.
func checkSites(sites []string) error {
	if len(sites) == 0 {
		return fmt.Errorf("--replicas is empty: name at least one site to replicate to, e.g. --replicas tokyo,lima")
	}
	for i, s := range sites {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("--replicas %q has an empty site name: separate site names with single commas", strings.Join(sites, ","))
		}
		if slices.Contains(sites[:i], s) {
			return fmt.Errorf("--replicas names %s twice: list each site once", s)
		}
	}
	return nil
}
