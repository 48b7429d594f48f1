package hot

// Watch calls fn after every op this site applies to the dataset (as
// primary or replica) and after a state transfer completes (with an op
// of Type "resync": re-read the whole tree). fn runs on the applying
// goroutine and must not block for long.
func (e *Engine) Watch(name string, fn func(Op)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.watchers[name] = append(e.watchers[name], fn)
}

// OpResync tells a watcher that the tree was replaced as a whole.
const OpResync = "resync"

func (e *Engine) notify(name string, op Op) {
	e.mu.Lock()
	fns := append([]func(Op){}, e.watchers[name]...)
	e.mu.Unlock()
	for _, fn := range fns {
		fn(op)
	}
}
