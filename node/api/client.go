package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to one node's API.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// NewClient returns a client for the node at addr (host:port) that
// authenticates with token.
func NewClient(addr, token string) *Client {
	base := addr
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	return &Client{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: 30 * time.Second}}
}

// Members lists every site the node has seen.
func (c *Client) Members(ctx context.Context) ([]Member, error) {
	var out []Member
	return out, c.get(ctx, "/v1/members", &out)
}

// Status describes the node.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var out Status
	return out, c.get(ctx, "/v1/status", &out)
}

// Ping asks the node to ping site over libp2p.
func (c *Client) Ping(ctx context.Context, site string) (PingResult, error) {
	var out PingResult
	return out, c.do(ctx, http.MethodPost, "/v1/ping/"+url.PathEscape(site), &out)
}

func (c *Client) get(ctx context.Context, path string, out any) error {
	return c.do(ctx, http.MethodGet, path, out)
}

// ErrUnauthorized means the node refused the token.
var ErrUnauthorized = errors.New("the node refused the API token")

func (c *Client) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("reach node API at %s: %w (is meshnode running? check --api or --data)", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return decodeError(resp)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func decodeError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e Error
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		msg = e.Error
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("%w: %s", ErrUnauthorized, msg)
	}
	return fmt.Errorf("node API: %s: %s", resp.Status, msg)
}
