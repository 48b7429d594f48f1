package node

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/snapshot"
)

// datasetRoutes are served on the token API and, for other sites, on
// the peer API.
func (n *Node) datasetRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/datasets", n.handleCreateDataset)
	mux.HandleFunc("GET /v1/datasets", n.handleListDatasets)
	mux.HandleFunc("GET /v1/datasets/{name}", n.handleShowDataset)
	mux.HandleFunc("DELETE /v1/datasets/{name}", n.atPrimary(n.handleDeleteDataset))
	mux.HandleFunc("PATCH /v1/datasets/{name}", n.atPrimary(n.handleUpdateDataset))
	mux.HandleFunc("GET /v1/datasets/{name}/status", n.atPrimary(n.handleDatasetStatus))
	mux.HandleFunc("PUT /v1/datasets/{name}/files/{path...}", n.atPrimary(n.handlePut))
	mux.HandleFunc("DELETE /v1/datasets/{name}/files/{path...}", n.atPrimary(n.handleRemove))
	mux.HandleFunc("GET /v1/datasets/{name}/files/{path...}", n.atCopy(n.handleGet))
	mux.HandleFunc("GET /v1/datasets/{name}/files", n.atCopy(n.handleList))
	mux.HandleFunc("POST /v1/datasets/{name}/failover", n.handleFailover)
	mux.HandleFunc("POST /v1/datasets/{name}/switchover", n.atPrimary(n.handleSwitchover))
	mux.HandleFunc("GET /v1/datasets/{name}/conflicts", n.handleConflicts)
	n.snapshotRoutes(mux)
}

// localRoutes act on this machine's directories (source, mirror,
// restore) or on the whole catalog (forget, prune). They are served only
// on the token API: another site never needs them, and a mesh member
// must not be able to write into this machine's directories.
func (n *Node) localRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/datasets/{name}/source", n.handleSource)
	mux.HandleFunc("POST /v1/datasets/{name}/mirror", n.handleMirror)
	mux.HandleFunc("POST /v1/snapshots/forget", n.handleForget)
	mux.HandleFunc("POST /v1/snapshots/prune", n.handlePrune)
	mux.HandleFunc("POST /v1/snapshots/repair", n.handleRepair)
	mux.HandleFunc("POST /v1/snapshots/scrub", n.handleScrub)
	mux.HandleFunc("POST /v1/restore", n.handleRestore)
	mux.HandleFunc("POST /v1/chunks/sweep", n.handleSweepChunks)
}

// atPrimary serves h here if this site is the dataset's primary, and
// forwards the request to the primary otherwise.
func (n *Node) atPrimary(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := n.hot.Dataset(r.PathValue("name"))
		if err != nil {
			writeErr(w, err)
			return
		}
		if d.Primary != n.id.Site {
			n.forward(w, r, d.Primary)
			return
		}
		h(w, r)
	}
}

// atCopy serves reads from this site's copy where it holds one, and
// forwards them to the primary otherwise.
func (n *Node) atCopy(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := n.hot.Dataset(r.PathValue("name"))
		if err != nil {
			writeErr(w, err)
			return
		}
		if !n.hot.HoldsCopy(d.Name) {
			n.forward(w, r, d.Primary)
			return
		}
		h(w, r)
	}
}

// writeErr maps an engine error to a status code and a JSON error.
func writeErr(w http.ResponseWriter, err error) {
	var unknown *hot.UnknownDatasetError
	var notPrimary *hot.NotPrimaryError
	var busy *snapshot.PruneBusyError
	switch {
	case errors.As(err, &unknown):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.As(err, &notPrimary), errors.As(err, &busy):
		writeError(w, http.StatusConflict, err.Error())
	default:
		writeError(w, http.StatusBadRequest, err.Error())
	}
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "request body is not valid JSON: "+err.Error())
		return false
	}
	return true
}

func (n *Node) handleCreateDataset(w http.ResponseWriter, r *http.Request) {
	var req api.CreateDataset
	if !decodeBody(w, r, &req) {
		return
	}
	d, err := n.hot.Create(r.Context(), req)
	n.answerKnown(w, r, http.StatusCreated, d, err)
}

func (n *Node) handleUpdateDataset(w http.ResponseWriter, r *http.Request) {
	var req api.UpdateDataset
	if !decodeBody(w, r, &req) {
		return
	}
	d, err := n.hot.Update(r.Context(), r.PathValue("name"), req)
	n.answerKnown(w, r, http.StatusOK, d, err)
}

func (n *Node) handleListDatasets(w http.ResponseWriter, r *http.Request) {
	ds := n.hot.Datasets()
	if ds == nil {
		ds = []api.Dataset{}
	}
	writeJSON(w, http.StatusOK, ds)
}

func (n *Node) handleShowDataset(w http.ResponseWriter, r *http.Request) {
	d, err := n.hot.Dataset(r.PathValue("name"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (n *Node) handleDeleteDataset(w http.ResponseWriter, r *http.Request) {
	if err := n.hot.Delete(r.Context(), r.PathValue("name"), r.URL.Query().Get("force") == "true"); err != nil {
		writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (n *Node) handleDatasetStatus(w http.ResponseWriter, r *http.Request) {
	st, err := n.hot.Status(r.PathValue("name"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
