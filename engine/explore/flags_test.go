package explore

import "testing"

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"4G", 4 << 30, true}, {"512M", 512 << 20, true}, {"1.5k", 1536, true}, {"100", 100, true},
		{"0", 0, true}, {"-1G", 0, false}, {"G", 0, false}, {"4GB", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"", Shard{}, true}, {"1/1", Shard{1, 1}, true}, {"2/4", Shard{2, 4}, true},
		{"0/4", Shard{}, false}, {"5/4", Shard{}, false}, {"2", Shard{}, false}, {"a/b", Shard{}, false},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
