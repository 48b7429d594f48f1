package main

import (
	"context"
	"fmt"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// catchUpTimeout bounds the wait for replicas to apply every write.
const catchUpTimeout = 20 * time.Minute

// waitCaughtUp polls the primary's status until every replica has
// applied its position.
func (n *nodeProc) waitCaughtUp(ctx context.Context, name string) error {
	what := fmt.Sprintf("every replica of %s to apply %s's position", name, n.site)
	return poll(ctx, what, catchUpTimeout, 10*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		st, err := n.status(ctx, name)
		if err != nil {
			return false, err.Error(), nil
		}
		return caughtUp(st), fmt.Sprintf("%+v", st), nil
	})
}

func caughtUp(st api.DatasetStatus) bool {
	for _, r := range st.Replicas {
		if r.Applied < st.Position {
			return false
		}
	}
	return true
}

func (n *nodeProc) status(ctx context.Context, name string) (api.DatasetStatus, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	return n.api.DatasetStatus(ctx, name)
}
