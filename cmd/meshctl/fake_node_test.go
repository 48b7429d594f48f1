package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeNode is an HTTP stand-in for a node's API, for meshctl's flag and
// I/O behaviour only: it records each request and answers with handle. It
// says nothing about what a real node does.
type fakeNode struct {
	t      *testing.T
	handle http.HandlerFunc
	mu     sync.Mutex
	reqs   []seen
}

// seen is one request as the fake node received it.
type seen struct {
	Method, Path, EscapedPath, Query string
	Header                           http.Header
	Body                             []byte
	ContentLength                    int64
}

// newFakeNode starts a fake node and returns it with the environment
// that points meshctl at it. A nil handle answers 200 with {}.
func newFakeNode(t *testing.T, handle http.HandlerFunc) (*fakeNode, map[string]string) {
	f := &fakeNode{t: t, handle: handle}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, map[string]string{"MESHCTL_API": srv.URL, "MESHCTL_TOKEN": "secret"}
}

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer secret" {
		f.t.Errorf("%s %s without the bearer token", r.Method, r.URL)
	}
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, seen{r.Method, r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery, r.Header, body, r.ContentLength})
	f.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if f.handle == nil {
		w.Write([]byte("{}"))
		return
	}
	f.handle(w, r)
}

// requests returns what the fake node has received so far.
func (f *fakeNode) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

// last returns the one request the test expects, failing otherwise.
func (f *fakeNode) last() seen {
	f.t.Helper()
	reqs := f.requests()
	if len(reqs) != 1 {
		f.t.Fatalf("the fake node got %d requests, want 1: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

// answer returns a handler that writes v as JSON with status code.
func answer(code int, v any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(v)
	}
}

// runIO is run with stdin, also returning what went to stderr.
func runIO(env map[string]string, stdin io.Reader, args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	cmd := newRootCmd(func(k string) string { return env[k] })
	cmd.SetArgs(args)
	cmd.SetIn(stdin)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

// wantErr fails unless err mentions every one of wants.
func wantErr(t *testing.T, what string, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want one mentioning %q", what, wants)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not mention %q", what, err, w)
		}
	}
}
