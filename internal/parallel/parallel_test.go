package parallel

import (
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	tests := []struct{ n, workers int }{{0, 4}, {1, 4}, {10, 1}, {10, 3}, {100, 0}, {5, 50}}
	for _, tt := range tests {
		out := make([]int, tt.n)
		var running, most atomic.Int32
		For(tt.n, tt.workers, func(i int) {
			now := running.Add(1)
			for {
				m := most.Load()
				if now <= m || most.CompareAndSwap(m, now) {
					break
				}
			}
			out[i] = i * i
			running.Add(-1)
		})
		for i, v := range out {
			if v != i*i {
				t.Errorf("n=%d workers=%d: out[%d] = %d, want %d", tt.n, tt.workers, i, v, i*i)
			}
		}
		if limit := int32(max(tt.workers, 1)); most.Load() > limit {
			t.Errorf("n=%d workers=%d: %d calls ran at once", tt.n, tt.workers, most.Load())
		}
	}
}

// A panic comes out of For, the lowest index's, once every call is done.
func TestForPanics(t *testing.T) {
	var done atomic.Int32
	defer func() {
		if r := recover(); r != "panic 3" {
			t.Errorf("recovered %v, want panic 3", r)
		}
		if done.Load() != 8 {
			t.Errorf("%d calls finished before the panic came out, want all 8 others", done.Load())
		}
	}()
	For(10, 3, func(i int) {
		if i == 3 || i == 7 {
			panic("panic " + string(rune('0'+i)))
		}
		done.Add(1)
	})
	t.Error("For returned after a panic")
}
