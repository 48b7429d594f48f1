package bufpool

import (
	"sync"
	"testing"
	"time"
	"unsafe"
)

func TestAPutBufferIsHandedOutAgainWithItsBytes(t *testing.T) {
	p := New(1<<20, 2)
	b := p.Get()
	copy(b, "kept")
	p.Put(b[:0])
	c := p.Get()
	if unsafe.SliceData(c) != unsafe.SliceData(b) || string(c[:4]) != "kept" || len(c) != 1<<20 {
		t.Fatalf("Get after Put: a different buffer (len %d)", len(c))
	}
}

func TestBuffersStartOnAPageBoundary(t *testing.T) {
	p := New(3<<20+17, 1)
	for range 3 {
		if b := p.Get(); uintptr(unsafe.Pointer(unsafe.SliceData(b)))%4096 != 0 {
			t.Fatalf("buffer at %p is not page-aligned", unsafe.SliceData(b))
		}
	}
}

func TestAPoolKeepsNoMoreThanItsKeepAndLetsTheRestGo(t *testing.T) {
	p := New(64<<10, 2)
	bufs := [][]byte{p.Get(), p.Get(), p.Get(), p.Get()}
	for _, b := range bufs {
		b[len(b)-1] = 1 // every page is writable
		p.Put(b)
	}
	if len(p.free) != 2 || len(p.own) != 2 || p.Out() != 0 {
		t.Fatalf("after 4 puts with keep 2: %d kept, %d owned, %d out", len(p.free), len(p.own), p.Out())
	}
}

func TestAForeignSliceIsNotTakenIn(t *testing.T) {
	p := New(4096, 4)
	p.Put(make([]byte, 4096))
	b := p.Get()
	p.Put(b[8:]) // not from the buffer's start
	if len(p.free) != 0 || p.Out() != 1 {
		t.Fatalf("foreign slices were kept: %d free, %d out", len(p.free), p.Out())
	}
}

func TestPuttingABufferTwicePanics(t *testing.T) {
	p := New(4096, 4)
	b := p.Get()
	p.Put(b)
	defer func() {
		if recover() == nil {
			t.Fatal("a second Put of the same buffer did not panic")
		}
	}()
	p.Put(b)
}

func TestCloseLetsGoOfKeptBuffersAndOfThoseOutWhenPut(t *testing.T) {
	p := New(4096, 4)
	a, b := p.Get(), p.Get()
	p.Put(a)
	p.Close()
	if len(p.own) != 1 {
		t.Fatalf("after Close: %d buffers owned, want the 1 still out", len(p.own))
	}
	p.Put(b)
	if len(p.own) != 0 || len(p.free) != 0 {
		t.Fatalf("a buffer put back after Close was kept")
	}
}

func TestConcurrentGetsNeverShareABuffer(t *testing.T) {
	p := New(4096, 8)
	var wg sync.WaitGroup
	var mu sync.Mutex
	held := map[*byte]bool{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				b := p.Get()
				mu.Lock()
				if held[unsafe.SliceData(b)] {
					t.Error("one buffer handed to two callers at once")
				}
				held[unsafe.SliceData(b)] = true
				mu.Unlock()
				b[0]++
				mu.Lock()
				delete(held, unsafe.SliceData(b))
				mu.Unlock()
				p.Put(b)
			}
		}()
	}
	wg.Wait()
}

// waitOwned polls until the pool owns n buffers or a second has passed.
func waitOwned(p *Pool, n int) int {
	deadline := time.Now().Add(time.Second)
	for {
		p.mu.Lock()
		owned := len(p.own)
		p.mu.Unlock()
		if owned == n || time.Now().After(deadline) {
			return owned
		}
		time.Sleep(time.Millisecond)
	}
}

func TestAPoolWithNothingOutForItsIdleTimeLetsGoOfWhatItKeeps(t *testing.T) {
	p := New(64<<10, 4)
	p.SetIdle(20 * time.Millisecond)
	a, b := p.Get(), p.Get()
	p.Put(a)
	time.Sleep(60 * time.Millisecond) // b is out: nothing may go
	if n := waitOwned(p, 2); n != 2 {
		t.Fatalf("with a buffer out the pool let go: %d owned, want 2", n)
	}
	p.Put(b)
	if n := waitOwned(p, 0); n != 0 {
		t.Fatalf("idle for its idle time, the pool still owns %d buffers", n)
	}
	c := p.Get() // used again: maps anew, and keeps it once it is back
	p.Put(c)
	if len(c) != 64<<10 || waitOwned(p, 0) != 0 {
		t.Fatal("a pool used again after letting go did not serve or trim again")
	}
}
