package explore

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSize reads a size, as --max-memory takes it: a number of bytes, or of K, M, G or T (powers
// of 1024).
func ParseSize(s string) (uint64, error) {
	mult := uint64(1)
	if i := strings.IndexAny(s, "KMGTkmgt"); i >= 0 && i == len(s)-1 {
		mult = 1 << (10 * (1 + strings.IndexByte("KMGT", strings.ToUpper(s[i:])[0])))
		s = s[:i]
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a size (try 4G or 512M)", s)
	}
	return uint64(n * float64(mult)), nil
}

// ParseShard reads a shard as --shard takes it, K/N; "" is no shard.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("--shard %q: want K/N with 1 <= K <= N, e.g. 2/4", s)
	}
	return Shard{K: ki, N: ni}, nil
}
