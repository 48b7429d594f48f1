package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

var fileMTime = time.Date(2025, 12, 24, 18, 0, 0, 500, time.UTC)

// serveFile answers a GET of file content the way the API describes it.
func serveFile(body, mode, target string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set(api.HeaderMode, mode)
		w.Header().Set(api.HeaderMTime, fileMTime.Format(time.RFC3339Nano))
		w.Header().Set(api.HeaderSize, strconv.Itoa(len(body)))
		if target != "" {
			w.Header().Set(api.HeaderTarget, target)
		}
		w.Write([]byte(body))
	}
}

func TestGetOutputRefusesToOverwriteAnExistingFileUnlessForced(t *testing.T) {
	f, env := newFakeNode(t, serveFile("new content\n", "644", ""))
	dst := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(dst, []byte("old\n"), 0o600)
	_, err := run(env, "get", "web", "a.txt", "-o", dst)
	wantErr(t, "get -o onto an existing file", err, dst+" exists", "refusing to overwrite", "--force")
	if b, _ := os.ReadFile(dst); string(b) != "old\n" || len(f.requests()) != 0 {
		t.Fatalf("the existing file now holds %q; %d requests made", b, len(f.requests()))
	}
	if _, err := run(env, "get", "web", "a.txt", "-o", dst, "--force"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "new content\n" {
		t.Fatalf("with --force the file holds %q", b)
	}
}

func TestGetOutputWritesContentModeAndMtimeLeavingNoTemporaryFile(t *testing.T) {
	f, env := newFakeNode(t, serveFile("new content\n", "640", ""))
	dir := t.TempDir()
	dst := filepath.Join(dir, "a.txt")
	out, errOut, err := runIO(env, nil, "get", "web", "docs/a.txt", "-o", dst)
	if err != nil || out != "" || errOut != "" {
		t.Fatalf("get -o: %v stdout %q stderr %q", err, out, errOut)
	}
	b, _ := os.ReadFile(dst)
	info, _ := os.Stat(dst)
	if string(b) != "new content\n" || info.Mode().Perm() != 0o640 || !info.ModTime().Equal(fileMTime) {
		t.Fatalf("wrote %q mode %v mtime %v; want mode 0640, mtime %v", b, info.Mode().Perm(), info.ModTime(), fileMTime)
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Fatalf("the directory holds %d entries, want only a.txt: %v", len(names), names)
	}
	if p := f.last().Path; p != "/v1/datasets/web/files/docs/a.txt" {
		t.Fatalf("asked %s", p)
	}
}

func TestGetOutputLeavesNothingWhenTheTransferIsCutShort(t *testing.T) {
	_, env := newFakeNode(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("only the start"))
		conn, _, _ := http.NewResponseController(w).Hijack()
		conn.Close()
	})
	dir := t.TempDir()
	_, err := run(env, "get", "web", "big.bin", "-o", filepath.Join(dir, "big.bin"))
	wantErr(t, "get of a cut transfer", err, "get big.bin")
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Fatalf("a failed get left %v", names)
	}
}

func TestGetWritesTheBytesToStdoutByDefault(t *testing.T) {
	_, env := newFakeNode(t, serveFile("new content\n", "644", ""))
	out, errOut, err := runIO(env, nil, "get", "web", "a.txt")
	if err != nil || out != "new content\n" || errOut != "" {
		t.Fatalf("get: %v stdout %q stderr %q", err, out, errOut)
	}
}

func TestGetJSONNeedsOutputAndThenPrintsTheEntry(t *testing.T) {
	_, env := newFakeNode(t, serveFile("new content\n", "600", ""))
	_, err := run(env, "get", "web", "a.txt", "--json")
	wantErr(t, "get --json without -o", err, "needs -o FILE")
	out, err := run(env, "get", "web", "a.txt", "--json", "-o", filepath.Join(t.TempDir(), "a.txt"))
	var e api.FileEntry
	if err != nil || json.Unmarshal([]byte(out), &e) != nil || e.Path != "a.txt" || e.Size != 12 || e.Mode != 0o600 || !e.MTime.Equal(fileMTime) {
		t.Fatalf("get --json -o: %v %s", err, out)
	}
}

func TestGetOutputRecreatesASymlinkAndStdoutRefusesOne(t *testing.T) {
	_, env := newFakeNode(t, serveFile("", "777", "releases/v2"))
	dst := filepath.Join(t.TempDir(), "current")
	if _, err := run(env, "get", "web", "current", "-o", dst); err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(dst); err != nil || target != "releases/v2" {
		t.Fatalf("made %q, %v; want a symlink to releases/v2", target, err)
	}
	if info, err := os.Lstat(dst); err != nil || !info.ModTime().Equal(fileMTime) {
		t.Fatalf("the link's own mtime is %v (%v), want the served %v", info.ModTime(), err, fileMTime)
	}
	_, err := run(env, "get", "web", "current")
	wantErr(t, "get of a symlink to stdout", err, "symlink to releases/v2", "-o FILE")
}

func TestGetOutputIntoADirectoryNamesTheFix(t *testing.T) {
	_, env := newFakeNode(t, nil)
	dir := t.TempDir()
	_, err := run(env, "get", "web", "a.txt", "-o", dir, "--force")
	wantErr(t, "get -o DIR", err, "is a directory", "-o "+dir+"/NAME")
}
