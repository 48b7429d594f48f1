package directio

// misalign makes the next direct write start on memory that is not
// aligned, which Linux refuses with EINVAL: the way a file system that
// takes O_DIRECT at open but refuses a write behaves.
func (w *Writer) misalign() {
	if err := w.wait(); err != nil {
		panic(err)
	}
	if w.spare == nil {
		w.spare = getBlock()
	}
	w.spare = w.spare[1:]
}

// misalign makes the Reader's next direct read land on memory that is
// not aligned, which Linux refuses with EINVAL.
// Reads into memory that is not aligned use the block, so a test that
// reads that way makes the refusal happen mid-file.
func (r *Reader) misalign() {
	if r.blk == nil {
		r.blk = getBlock()
	}
	r.blk = r.blk[1:]
}

// Direct says whether the Reader still reads past the page cache.
func (r *Reader) Direct() bool { return r.direct }
