package fsname

import "testing"

func TestPart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2.6.34-rc3", "2.6.34-rc3"},
		{"rc3+oldest", "rc3_oldest"},
		{"a b", "a_b"},
		{"../../etc/passwd", ".._.._etc_passwd"},
		{"é", "__"}, // one '_' per byte of a multi-byte rune
		{"\x1b[2J", "__2J"},
		{"", ""},
		{"A_z.9-", "A_z.9-"},
	}
	for _, tt := range tests {
		if got := Part(tt.in); got != tt.want {
			t.Errorf("Part(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		a, b  string
		share bool
	}{
		{"a b", "a_b", true},
		{"a+b", "a/b", true},
		{"RC3", "rc3", true},
		{"rc3", "rc4", false},
		{"a.b", "a_b", false},
		{"a-b", "a_b", false},
	}
	for _, tt := range tests {
		if got := Key(tt.a) == Key(tt.b); got != tt.share {
			t.Errorf("Key(%q) == Key(%q) is %v, want %v", tt.a, tt.b, got, tt.share)
		}
	}
}
