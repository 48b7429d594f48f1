package node

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/meshvault/meshvault/dirsync"
	"github.com/meshvault/meshvault/node/api"
)

// dirRun is a running source or mirror.
type dirRun interface {
	Dir() string
	Stop()
}

// dirRuns holds the sources and mirrors running on this node, by
// "source/NAME" or "mirror/NAME". The zero value is ready.
type dirRuns struct {
	mu   sync.Mutex
	runs map[string]dirRun
}

// start runs begin unless key already runs; it keeps the result.
func (d *dirRuns) start(key string, begin func() (dirRun, error)) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.runs[key]; ok {
		return fmt.Errorf("%s already runs with directory %s on this node", key, r.Dir())
	}
	r, err := begin()
	if err != nil {
		return err
	}
	if d.runs == nil {
		d.runs = map[string]dirRun{}
	}
	d.runs[key] = r
	return nil
}

// stopAll stops every source and mirror.
func (d *dirRuns) stopAll() {
	d.mu.Lock()
	runs := d.runs
	d.runs = nil
	d.mu.Unlock()
	for _, r := range runs {
		r.Stop()
	}
}

// handleSource serves POST /v1/datasets/{name}/source: follow a
// directory of this node's machine into the dataset (at its primary).
func (n *Node) handleSource(w http.ResponseWriter, r *http.Request) {
	n.handleDir(w, r, "source", func(ctx context.Context, name, dir string) (dirRun, error) {
		return dirsync.StartSource(ctx, n.hot, name, dir, n.log, dirsync.SourceOptions{})
	})
}

// handleMirror serves POST /v1/datasets/{name}/mirror: keep an empty
// directory of this node's machine equal to its copy of the dataset.
func (n *Node) handleMirror(w http.ResponseWriter, r *http.Request) {
	n.handleDir(w, r, "mirror", func(ctx context.Context, name, dir string) (dirRun, error) {
		return dirsync.StartMirror(ctx, n.hot, name, dir, n.log)
	})
}

func (n *Node) handleDir(w http.ResponseWriter, r *http.Request, kind string, begin func(context.Context, string, string) (dirRun, error)) {
	var req api.Directory
	if !decodeBody(w, r, &req) {
		return
	}
	name := r.PathValue("name")
	if req.Dir == "" {
		writeError(w, http.StatusBadRequest, kind+": give a directory (--dir DIR)")
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Minute)
	defer cancel()
	err := n.dirs.start(kind+"/"+name, func() (dirRun, error) { return begin(ctx, name, req.Dir) })
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, api.Directory{Dir: req.Dir})
}
