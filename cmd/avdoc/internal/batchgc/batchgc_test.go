package batchgc

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneFor: a batch command gets the batch settings, another command
// Go's, and a user's GOGC or GOMEMLIMIT wins over them.
func TestTuneFor(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		gogc, limit string // "" unset
		wantPercent int
		wantLimit   int64
	}{
		{"build", []string{"build", "-o", "x"}, "", "", percent, limit},
		{"a render worker", []string{"__w"}, "", "", percent, limit},
		{"serve", []string{"serve"}, "", "", 100, math.MaxInt64},
		{"no command", nil, "", "", 100, math.MaxInt64},
		{"GOGC set", []string{"build"}, "100", "", 100, limit},
		{"GOMEMLIMIT set", []string{"check"}, "", "8GiB", percent, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setenv(t, "GOGC", tt.gogc)
			setenv(t, "GOMEMLIMIT", tt.limit)
			oldPercent, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
			defer func() { debug.SetGCPercent(oldPercent); debug.SetMemoryLimit(oldLimit) }()
			TuneFor(tt.args, "build", "check", "render", "__w")
			if got := debug.SetGCPercent(100); got != tt.wantPercent {
				t.Errorf("GC percent = %d, want %d", got, tt.wantPercent)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.wantLimit {
				t.Errorf("memory limit = %d, want %d", got, tt.wantLimit)
			}
		})
	}
}

// setenv sets or, for "", unsets an environment variable for the test.
func setenv(t *testing.T, key, value string) {
	t.Setenv(key, value) // restores it after the test
	if value == "" {
		os.Unsetenv(key)
	}
}
