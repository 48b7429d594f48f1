package node

import (
	"net/http"
	"net/http/pprof"
)

// profileRoutes serve Go's profiles of this node behind the API's bearer
// token, for an operator or bench/ to see where a running node's CPU and
// memory go:
//
//	curl -H "Authorization: Bearer $(cat DATA/api.token)" http://$(cat DATA/api.addr)/debug/pprof/heap > heap.pprof
func profileRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /debug/pprof/", pprof.Index) // heap, allocs, goroutine, block, mutex, ...
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
}
