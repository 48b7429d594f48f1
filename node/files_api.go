package node

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
)

func (n *Node) handlePut(w http.ResponseWriter, r *http.Request) {
	f, err := fileFromHeaders(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	op, err := n.hot.Put(r.Context(), r.PathValue("name"), r.PathValue("path"), f)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, api.WriteResult{Path: op.Path, Size: op.Entry.Size, Position: op.Pos, Epoch: op.Epoch})
}

func fileFromHeaders(r *http.Request) (hot.File, error) {
	f := hot.File{Mode: 0o644, MTime: time.Now(), Target: r.Header.Get(api.HeaderTarget), Body: r.Body}
	if v := r.Header.Get(api.HeaderMode); v != "" {
		mode, err := strconv.ParseUint(v, 8, 32)
		if err != nil {
			return f, fmt.Errorf("%s %q is not an octal mode such as 644", api.HeaderMode, v)
		}
		f.Mode = os.FileMode(mode).Perm()
	}
	if v := r.Header.Get(api.HeaderMTime); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return f, fmt.Errorf("%s %q is not an RFC 3339 time", api.HeaderMTime, v)
		}
		f.MTime = t
	}
	return f, nil
}

func (n *Node) handleRemove(w http.ResponseWriter, r *http.Request) {
	op, err := n.hot.Remove(r.Context(), r.PathValue("name"), r.PathValue("path"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, api.WriteResult{Path: op.Path, Position: op.Pos, Epoch: op.Epoch})
}

func (n *Node) handleGet(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	f, err := n.hot.Open(name, r.PathValue("path")) // one version, whole, whatever changes meanwhile
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	defer f.Close()
	en := f.Entry
	h := w.Header()
	h.Set(api.HeaderMode, strconv.FormatUint(uint64(en.FileMode().Perm()), 8))
	h.Set(api.HeaderMTime, en.MTime.Format(time.RFC3339Nano))
	h.Set(api.HeaderSize, strconv.FormatInt(en.Size, 10))
	h.Set("Content-Type", "application/octet-stream")
	if en.Target != "" {
		h.Set(api.HeaderTarget, en.Target)
	}
	h.Set("Content-Length", strconv.FormatInt(en.Size, 10))
	if err := f.Copy(w); err != nil {
		n.log.Error("read file", "dataset", name, "path", en.Path, "err", err)
	}
}

func (n *Node) handleList(w http.ResponseWriter, r *http.Request) {
	list, err := n.hot.List(r.PathValue("name"), r.URL.Query().Get("prefix"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}
