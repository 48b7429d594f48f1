package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

func TestFileCommandsRejectAbsoluteOrDotDotPathsNamingTheFix(t *testing.T) {
	f, env := newFakeNode(t, nil)
	cases := []struct {
		path  string
		wants []string
	}{
		{"/etc/passwd", []string{"absolute", `drop the leading slash: "etc/passwd"`}},
		{"a/../b", []string{"'..'", "path inside the dataset"}},
		{"..", []string{"'..'"}},
		{"a//b/", []string{"not clean", `"a/b"`}},
		{"", []string{"PATH is empty"}},
	}
	for _, c := range cases {
		for _, args := range [][]string{{"put", "web", c.path, "-"}, {"get", "web", c.path}, {"rm", "web", c.path}} {
			_, _, err := runIO(env, strings.NewReader("x"), args...)
			wantErr(t, strings.Join(args, " "), err, c.wants...)
		}
	}
	_, err := run(env, "ls", "web", "/a")
	wantErr(t, "ls with an absolute prefix", err, "PREFIX", "absolute")
	if n := len(f.requests()); n != 0 {
		t.Fatalf("invalid paths reached the node %d times", n)
	}
}

func TestPutDashStreamsStdinWithAModeAndMtimeAndNoProgressBarOffATerminal(t *testing.T) {
	res := api.WriteResult{Path: "logs/today.txt", Size: 11, Position: 7, Epoch: 2}
	f, env := newFakeNode(t, answer(http.StatusOK, res))
	before := time.Now()
	out, errOut, err := runIO(env, strings.NewReader("from stdin\n"), "put", "web", "logs/today.txt", "-")
	if err != nil || !strings.Contains(out, "wrote logs/today.txt (11 B) at position 7, epoch 2") || errOut != "" {
		t.Fatalf("put -: %v stdout %q stderr %q", err, out, errOut)
	}
	r := f.last()
	mtime, _ := time.Parse(time.RFC3339Nano, r.Header.Get(api.HeaderMTime))
	if r.Method != http.MethodPut || r.Path != "/v1/datasets/web/files/logs/today.txt" || string(r.Body) != "from stdin\n" ||
		r.Header.Get(api.HeaderMode) != "644" || mtime.Before(before.Add(-time.Second)) {
		t.Fatalf("sent %s %s %q mode %q mtime %q", r.Method, r.Path, r.Body, r.Header.Get(api.HeaderMode), r.Header.Get(api.HeaderMTime))
	}
}

func TestPutSendsTheFilesModeMtimeAndLength(t *testing.T) {
	f, env := newFakeNode(t, answer(http.StatusOK, api.WriteResult{Path: "a.bin", Size: 5}))
	file := filepath.Join(t.TempDir(), "a.bin")
	mtime := time.Date(2025, 7, 1, 8, 30, 0, 123456789, time.UTC)
	os.WriteFile(file, []byte("hello"), 0o600)
	os.Chmod(file, 0o640)
	os.Chtimes(file, mtime, mtime)
	out, err := run(env, "put", "web", "a.bin", file, "--json")
	var res api.WriteResult
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Path != "a.bin" {
		t.Fatalf("put --json: %v %s", err, out)
	}
	r := f.last()
	if r.Header.Get(api.HeaderMode) != "640" || r.Header.Get(api.HeaderMTime) != "2025-07-01T08:30:00.123456789Z" ||
		r.ContentLength != 5 || string(r.Body) != "hello" || r.Header.Get(api.HeaderTarget) != "" {
		t.Fatalf("sent mode %q mtime %q length %d body %q", r.Header.Get(api.HeaderMode), r.Header.Get(api.HeaderMTime), r.ContentLength, r.Body)
	}
}

func TestPutSendsASymlinkAsItsTargetWithAnEmptyBody(t *testing.T) {
	f, env := newFakeNode(t, answer(http.StatusOK, api.WriteResult{Path: "current"}))
	link := filepath.Join(t.TempDir(), "current")
	os.Symlink("releases/v2", link)
	if _, err := run(env, "put", "web", "current", link); err != nil {
		t.Fatal(err)
	}
	if r := f.last(); r.Header.Get(api.HeaderTarget) != "releases/v2" || len(r.Body) != 0 || r.Path != "/v1/datasets/web/files/current" {
		t.Fatalf("sent target %q body %q to %s", r.Header.Get(api.HeaderTarget), r.Body, r.Path)
	}
}

func TestPutRefusesADirectoryPointingAtDatasetSource(t *testing.T) {
	_, env := newFakeNode(t, nil)
	_, err := run(env, "put", "web", "site", t.TempDir())
	wantErr(t, "put of a directory", err, "is a directory", "meshctl dataset source web --dir")
}

func TestFilePathsAreEscapedPerSegmentKeepingTheSlashes(t *testing.T) {
	f, env := newFakeNode(t, func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("[]")) })
	run(env, "put", "web", "my dir/a#b?.txt", "-")
	run(env, "ls", "web", "my dir/")
	reqs := f.requests()
	if got, want := reqs[0].EscapedPath, "/v1/datasets/web/files/my%20dir/a%23b%3F.txt"; got != want {
		t.Errorf("put sent %s, want %s", got, want)
	}
	if reqs[1].Path != "/v1/datasets/web/files" || reqs[1].Query != "prefix=my+dir%2F" {
		t.Errorf("ls sent %s?%s", reqs[1].Path, reqs[1].Query)
	}
}

func TestLsPrintsModeSizeMtimePathAndSymlinkTargets(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	es := []api.FileEntry{{Path: "docs/a.txt", Size: 1234, Mode: 0o644, MTime: at},
		{Path: "current", Mode: uint32(os.ModeSymlink | 0o777), MTime: at, Target: "releases/v2"}}
	_, env := newFakeNode(t, answer(http.StatusOK, es))
	out, err := run(env, "ls", "web")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	stamp := at.Local().Format(time.DateTime)
	if err != nil || len(lines) != 2 || lines[0] != "-rw-r--r-- 1234 "+stamp+" docs/a.txt" ||
		lines[1] != "Lrwxrwxrwx    0 "+stamp+" current -> releases/v2" {
		t.Fatalf("ls: %v\n%s", err, out)
	}
	out, _ = run(env, "ls", "web", "--json")
	var got []map[string]any
	if json.Unmarshal([]byte(out), &got) != nil || len(got) != 2 || got[0]["path"] != "docs/a.txt" || got[1]["target"] != "releases/v2" {
		t.Fatalf("ls --json: %s", out)
	}
}

func TestPutStreamsStdinToTheNodeBeforeStdinEnds(t *testing.T) {
	firstChunk := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 5)
		io.ReadFull(r.Body, buf)
		firstChunk <- string(buf)
		io.Copy(io.Discard, r.Body)
		json.NewEncoder(w).Encode(api.WriteResult{Path: "stream.log"})
	}))
	defer srv.Close()
	stdin, feed := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, _, err := runIO(map[string]string{"MESHCTL_API": srv.URL, "MESHCTL_TOKEN": "t"}, stdin, "put", "web", "stream.log", "-")
		done <- err
	}()
	feed.Write([]byte("first"))
	select {
	case got := <-firstChunk:
		if got != "first" {
			t.Fatalf("the node got %q first", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the node got nothing before stdin ended: put buffers its input")
	}
	feed.Write([]byte(" and the rest"))
	feed.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
