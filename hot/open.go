package hot

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/meshvault/meshvault/store"
)

// OpenFile is one version of a dataset's file, readable whole however
// the file changes meanwhile: it holds a store View, and a chunk sweep
// keeps every chunk an open View references. Close releases it.
type OpenFile struct {
	Entry Entry
	view  *store.View
	local local
}

// Open takes the file at path as this site's copy holds it now.
func (e *Engine) Open(name, path string) (*OpenFile, error) {
	p, err := CleanPath(path)
	if err != nil {
		return nil, err
	}
	ds, err := e.dataset(name)
	if err != nil {
		return nil, err
	}
	v := e.cfg.DB.View()
	b, ok, err := v.Get(ds.local.treeKey(p))
	var en Entry
	if err == nil && !ok {
		err = fmt.Errorf("%s/%s: no such file", name, p)
	}
	if err == nil {
		err = json.Unmarshal(b, &en)
	}
	if err == nil && en.IsDir() {
		err = fmt.Errorf("%s/%s is a directory and has no content: list what is under it with 'meshctl ls %s %s'", name, p, name, p)
	}
	if err != nil {
		v.Close()
		return nil, err
	}
	return &OpenFile{Entry: en, view: v, local: ds.local}, nil
}

// Copy writes the file's bytes to w, checking each chunk's hash.
func (f *OpenFile) Copy(w io.Writer) error { return f.local.copyFile(w, f.Entry) }

// Close releases the file's chunks to the next sweep.
func (f *OpenFile) Close() error { return f.view.Close() }
