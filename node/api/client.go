package api

import (
	"bytes"
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
	// stream carries file content: no overall timeout, since a transfer of
	// several GiB takes as long as it takes; the context cancels it.
	stream *http.Client
}

// NewClient returns a client for the node at addr (host:port) that
// authenticates with token.
func NewClient(addr, token string) *Client {
	base := addr
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	return &Client{base: strings.TrimRight(base, "/"), token: token,
		http: &http.Client{Timeout: 30 * time.Second}, stream: &http.Client{}}
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
	return c.send(ctx, method, path, nil, out)
}

// send makes a JSON request: in, if not nil, is the body; out, if not nil,
// receives the answer.
func (c *Client) send(ctx context.Context, method, path string, in, out any) error {
	req, err := c.jsonRequest(ctx, method, path, in)
	if err != nil {
		return err
	}
	resp, err := c.roundTrip(c.http, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *Client) jsonRequest(ctx context.Context, method, path string, in any) (*http.Request, error) {
	if in == nil {
		return http.NewRequestWithContext(ctx, method, c.base+path, nil)
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(b))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, err
}

// roundTrip sends req with the token and returns the response if it is
// 2xx, or else the API's error.
func (c *Client) roundTrip(hc *http.Client, req *http.Request) (*http.Response, error) {
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := hc.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("reach node API at %s: %w (is meshnode running? check --api or --data)", c.base, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, decodeError(resp)
	}
	return resp, nil
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
