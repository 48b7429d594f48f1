package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// CreateDataset defines a new hot dataset.
func (c *Client) CreateDataset(ctx context.Context, d CreateDataset) (Dataset, error) {
	var out Dataset
	return out, c.send(ctx, http.MethodPost, "/v1/datasets", d, &out)
}

// Datasets lists every hot dataset.
func (c *Client) Datasets(ctx context.Context) ([]Dataset, error) {
	var out []Dataset
	return out, c.get(ctx, "/v1/datasets", &out)
}

// Dataset returns one dataset's definition and history.
func (c *Client) Dataset(ctx context.Context, name string) (Dataset, error) {
	var out Dataset
	return out, c.get(ctx, datasetPath(name, ""), &out)
}

// DeleteDataset removes a dataset; the node refuses while it holds data
// unless force.
func (c *Client) DeleteDataset(ctx context.Context, name string, force bool) error {
	p := datasetPath(name, "")
	if force {
		p += "?force=true"
	}
	return c.send(ctx, http.MethodDelete, p, nil, nil)
}

// DatasetStatus is replication as the dataset's primary sees it.
func (c *Client) DatasetStatus(ctx context.Context, name string) (DatasetStatus, error) {
	var out DatasetStatus
	return out, c.get(ctx, datasetPath(name, "/status"), &out)
}

// Failover makes another site the primary; f.To empty lets the node pick.
func (c *Client) Failover(ctx context.Context, name string, f Failover) (Dataset, error) {
	var out Dataset
	return out, c.send(ctx, http.MethodPost, datasetPath(name, "/failover"), f, &out)
}

// Switchover hands the primary role to f.To once it has every write.
func (c *Client) Switchover(ctx context.Context, name string, f Failover) (Dataset, error) {
	var out Dataset
	return out, c.send(ctx, http.MethodPost, datasetPath(name, "/switchover"), f, &out)
}

// Conflicts lists the writes old primaries acknowledged after a new epoch
// began.
func (c *Client) Conflicts(ctx context.Context, name string) ([]Conflict, error) {
	var out []Conflict
	return out, c.get(ctx, datasetPath(name, "/conflicts"), &out)
}

// Source sets the directory, on the node's machine, that feeds the dataset.
func (c *Client) Source(ctx context.Context, name string, d Directory) (Directory, error) {
	var out Directory
	return out, c.sendLong(ctx, http.MethodPost, datasetPath(name, "/source"), d, &out)
}

// Mirror sets the directory, on the node's machine, that the node keeps a
// copy of the dataset in.
func (c *Client) Mirror(ctx context.Context, name string, d Directory) (Directory, error) {
	var out Directory
	return out, c.sendLong(ctx, http.MethodPost, datasetPath(name, "/mirror"), d, &out)
}

func datasetPath(name, rest string) string {
	return "/v1/datasets/" + url.PathEscape(name) + rest
}

// filePath is the URL path of a file in a dataset: each segment of p is
// escaped and the slashes between them kept.
func filePath(name, p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return datasetPath(name, "/files/"+strings.Join(segs, "/"))
}

// UpdateDataset changes a dataset's replicas or mode.
func (c *Client) UpdateDataset(ctx context.Context, name string, u UpdateDataset) (Dataset, error) {
	var out Dataset
	return out, c.send(ctx, http.MethodPatch, datasetPath(name, ""), u, &out)
}
