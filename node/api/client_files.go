package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"
)

// Put writes body as the file at path, streaming it: size is its length,
// or -1 if unknown; mode's permission bits and mtime go with it.
func (c *Client) Put(ctx context.Context, name, path string, body io.Reader, size int64, mode os.FileMode, mtime time.Time) (WriteResult, error) {
	src := &sourceReader{r: body}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.base+filePath(name, path), src)
	if err != nil {
		return WriteResult{}, err
	}
	req.ContentLength = size
	if size == 0 {
		req.Body = http.NoBody
	}
	setMeta(req.Header, mode, mtime)
	return c.upload(req, src)
}

// Symlink makes path a symbolic link to target.
func (c *Client) Symlink(ctx context.Context, name, path, target string) (WriteResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.base+filePath(name, path), http.NoBody)
	if err != nil {
		return WriteResult{}, err
	}
	setMeta(req.Header, 0o777, time.Now())
	req.Header.Set(HeaderTarget, target)
	return c.upload(req, nil)
}

// Get streams the file at path; the caller closes the body. A symlink has
// an empty body and its target in the entry.
func (c *Client) Get(ctx context.Context, name, path string) (io.ReadCloser, FileEntry, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+filePath(name, path), nil)
	if err != nil {
		return nil, FileEntry{}, err
	}
	resp, err := c.roundTrip(c.stream, req)
	if err != nil {
		return nil, FileEntry{}, err
	}
	e, err := entryFromHeader(path, resp)
	if err != nil {
		resp.Body.Close()
		return nil, FileEntry{}, err
	}
	return resp.Body, e, nil
}

// Remove deletes the file at path.
func (c *Client) Remove(ctx context.Context, name, path string) (WriteResult, error) {
	var out WriteResult
	return out, c.send(ctx, http.MethodDelete, filePath(name, path), nil, &out)
}

// List returns the dataset's entries whose path starts with prefix.
func (c *Client) List(ctx context.Context, name, prefix string) ([]FileEntry, error) {
	p := datasetPath(name, "/files")
	if prefix != "" {
		p += "?prefix=" + url.QueryEscape(prefix)
	}
	var out []FileEntry
	return out, c.get(ctx, p, &out)
}

func setMeta(h http.Header, mode os.FileMode, mtime time.Time) {
	h.Set(HeaderMode, strconv.FormatUint(uint64(mode.Perm()), 8))
	if !mtime.IsZero() {
		h.Set(HeaderMTime, mtime.UTC().Format(time.RFC3339Nano))
	}
}

func (c *Client) upload(req *http.Request, src *sourceReader) (WriteResult, error) {
	var out WriteResult
	resp, err := c.roundTrip(c.stream, req)
	if err != nil && src != nil && src.err != nil {
		return out, fmt.Errorf("read the content to upload: %w", src.err)
	}
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// sourceReader remembers a read error of the uploaded content, so that it
// is not reported as the node being unreachable.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// entryFromHeader reads a file's metadata from a GET answer. A missing
// mode reads as 0644, a missing mtime as the zero time.
func entryFromHeader(path string, resp *http.Response) (FileEntry, error) {
	h := resp.Header
	e := FileEntry{Path: path, Size: resp.ContentLength, Mode: 0o644, Target: h.Get(HeaderTarget)}
	var errs []error
	if v := h.Get(HeaderMode); v != "" {
		m, err := strconv.ParseUint(v, 8, 32)
		e.Mode, errs = uint32(m), append(errs, headerErr(HeaderMode, v, err))
	}
	if v := h.Get(HeaderSize); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		e.Size, errs = n, append(errs, headerErr(HeaderSize, v, err))
	}
	if v := h.Get(HeaderMTime); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		e.MTime, errs = t, append(errs, headerErr(HeaderMTime, v, err))
	}
	if e.Target != "" {
		e.Mode |= uint32(os.ModeSymlink)
	}
	return e, errors.Join(errs...)
}

func headerErr(name, v string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("node API sent a bad %s header %q: %w", name, v, err)
}
