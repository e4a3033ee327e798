// Package parallel runs independent pieces of work a few at a time. The
// pieces write their results by index, so what they make comes out in
// the same order whatever order they finish in.
package parallel

import "sync"

// For calls f(i) for every i in [0, n), on at most workers goroutines at
// once (at least one), and returns once every call has. If calls panic,
// For panics, after all calls are done, with the value of the one with the
// lowest i, as calling them in order would have.
func For(n, workers int, f func(i int)) {
	panics := make([]*any, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(max(workers, 1), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				call(f, i, &panics[i])
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(*p)
		}
	}
}

// call calls f(i), keeping what it panics with in *p.
func call(f func(int), i int, p **any) {
	defer func() {
		if r := recover(); r != nil {
			*p = &r
		}
	}()
	f(i)
}
