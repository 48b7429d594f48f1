package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/snapshot"
)

func TestErrorsMapToStatusesOperatorsScriptsCanTellApartEvenWhenWrapped(t *testing.T) {
	busy := &snapshot.PruneBusyError{Site: "s2", Since: time.Unix(1e9, 0)}
	cases := []struct {
		err  error
		want int
	}{
		{fmt.Errorf("prune: %w", busy), http.StatusConflict},
		{fmt.Errorf("put: %w", &hot.NotPrimaryError{Dataset: "docs", Primary: "s1"}), http.StatusConflict},
		{fmt.Errorf("status: %w", &hot.UnknownDatasetError{Dataset: "nope"}), http.StatusNotFound},
		{errors.New("--keep-last -1: give 0 or more"), http.StatusBadRequest},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		writeErr(rec, c.err)
		var body api.Error
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != c.want || body.Error != c.err.Error() {
			t.Errorf("%v: answered %d %q; want %d with the error's text", c.err, rec.Code, rec.Body.String(), c.want)
		}
	}
}
