package node

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// setJSONBody replaces r's body with v encoded, for forwarding a request
// whose body was already read.
func setJSONBody(r *http.Request, v any) {
	b, _ := json.Marshal(v)
	r.Body = http.NoBody
	if len(b) > 0 {
		r.Body = nopCloser{bytes.NewReader(b)}
	}
	r.ContentLength = int64(len(b))
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func decodeJSON(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}
