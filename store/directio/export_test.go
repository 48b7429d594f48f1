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
