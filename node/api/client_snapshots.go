package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// CreateSnapshot takes a snapshot of a dataset; it returns once the
// catalog entry has reached every alive site.
func (c *Client) CreateSnapshot(ctx context.Context, req CreateSnapshot) (Snapshot, error) {
	var out Snapshot
	return out, c.sendLong(ctx, http.MethodPost, "/v1/snapshots", req, &out)
}

// Snapshots lists the snapshots of dataset, or all if dataset is "",
// oldest first.
func (c *Client) Snapshots(ctx context.Context, dataset string) ([]Snapshot, error) {
	p := "/v1/snapshots"
	if dataset != "" {
		p += "?dataset=" + url.QueryEscape(dataset)
	}
	var out []Snapshot
	return out, c.get(ctx, p, &out)
}

// Snapshot returns one snapshot, by ID or unique ID prefix, with its
// health and placement.
func (c *Client) Snapshot(ctx context.Context, id string) (SnapshotDetail, error) {
	var out SnapshotDetail
	return out, c.get(ctx, "/v1/snapshots/"+url.PathEscape(id), &out)
}

// SnapshotFiles lists the files of a snapshot under prefix (empty: all).
func (c *Client) SnapshotFiles(ctx context.Context, id, prefix string) ([]FileEntry, error) {
	p := "/v1/snapshots/" + url.PathEscape(id) + "/files"
	if prefix != "" {
		p += "?prefix=" + url.QueryEscape(prefix)
	}
	var out []FileEntry
	return out, c.get(ctx, p, &out)
}

// ForgetSnapshots applies retention rules to a dataset's snapshots.
func (c *Client) ForgetSnapshots(ctx context.Context, req Forget) ([]ForgetDecision, error) {
	var out []ForgetDecision
	return out, c.sendLong(ctx, http.MethodPost, "/v1/snapshots/forget", req, &out)
}

// Prune frees the packs no snapshot references, repacking partly used
// ones as req says.
func (c *Client) Prune(ctx context.Context, req Prune) (PruneResult, error) {
	var out PruneResult
	return out, c.sendLong(ctx, http.MethodPost, "/v1/snapshots/prune", req, &out)
}

// Repair has the node rebuild, on alive sites, the shards that sites now
// down held (dryRun: only count them).
func (c *Client) Repair(ctx context.Context, dryRun bool) (RepairResult, error) {
	var out RepairResult
	return out, c.sendLong(ctx, http.MethodPost, "/v1/snapshots/repair", Repair{DryRun: dryRun}, &out)
}

// Scrub has every alive site check the shards it holds for kept
// snapshots (repair: rebuild the bad ones where they are).
func (c *Client) Scrub(ctx context.Context, repair bool) (ScrubResult, error) {
	var out ScrubResult
	return out, c.sendLong(ctx, http.MethodPost, "/v1/snapshots/scrub", Scrub{Repair: repair}, &out)
}

// Restore has the node restore a snapshot under req.Dir on its machine,
// calling progress (if not nil) as bytes are written.
func (c *Client) Restore(ctx context.Context, req Restore, progress func(done, total int64)) (RestoreResult, error) {
	hreq, err := c.jsonRequest(ctx, http.MethodPost, "/v1/restore", req)
	if err != nil {
		return RestoreResult{}, err
	}
	resp, err := c.roundTrip(c.stream, hreq)
	if err != nil {
		return RestoreResult{}, err
	}
	defer resp.Body.Close()
	return readRestore(resp.Body, progress)
}

func readRestore(body io.Reader, progress func(done, total int64)) (RestoreResult, error) {
	dec := json.NewDecoder(body)
	for {
		var ev RestoreEvent
		err := dec.Decode(&ev)
		switch {
		case errors.Is(err, io.EOF):
			return RestoreResult{}, errors.New("the node ended the restore without a result: it may have stopped; check its log, and restore again with --overwrite")
		case err != nil:
			return RestoreResult{}, fmt.Errorf("read restore progress: %w", err)
		case ev.Error != "":
			return RestoreResult{}, errors.New(ev.Error)
		case ev.Result != nil:
			return *ev.Result, nil
		case progress != nil:
			progress(ev.Done, ev.Total)
		}
	}
}

// sendLong is send without the overall timeout, for requests that take
// as long as the data they move; the context cancels them.
func (c *Client) sendLong(ctx context.Context, method, path string, in, out any) error {
	req, err := c.jsonRequest(ctx, method, path, in)
	if err != nil {
		return err
	}
	resp, err := c.roundTrip(c.stream, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// SweepChunks has the node free the chunks its hot datasets no longer
// reference, now rather than at its next periodic sweep.
func (c *Client) SweepChunks(ctx context.Context) (ChunkSweep, error) {
	var out ChunkSweep
	return out, c.sendLong(ctx, http.MethodPost, "/v1/chunks/sweep", nil, &out)
}
