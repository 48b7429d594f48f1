package node

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/meshvault/meshvault/node/api"
)

func (n *Node) serveAPI() {
	n.registry = prometheus.NewRegistry()
	n.registry.MustRegister(n.mesh.Collector(), sweepCollector{n.hot}, scrubCollector{n.snaps}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/status", n.handleStatus)
	mux.HandleFunc("GET /v1/members", n.handleMembers)
	mux.HandleFunc("POST /v1/ping/{site}", n.handlePing)
	mux.Handle("GET /metrics", promhttp.HandlerFor(n.registry, promhttp.HandlerOpts{}))
	profileRoutes(mux)
	n.datasetRoutes(mux)
	n.localRoutes(mux)
	srv := &http.Server{Handler: n.authenticate(mux), ReadHeaderTimeout: 10 * time.Second}
	n.mu.Lock()
	n.apiSrv = srv
	ln := n.apiLn
	n.mu.Unlock()
	go srv.Serve(ln)
}

// authenticate refuses any request without the node's bearer token.
func (n *Node) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || got == "" {
			writeError(w, http.StatusUnauthorized, "missing bearer token: pass --token (or MESHCTL_TOKEN), or --data DIR so meshctl reads DIR/api.token")
			return
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(n.token)) != 1 {
			writeError(w, http.StatusUnauthorized, "wrong bearer token: use the token in this node's DATA/api.token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, api.Error{Error: msg})
}
