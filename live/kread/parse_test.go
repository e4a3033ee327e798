package kread

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
)

// records encodes iterator records: each is a kind and its words.
func records(recs ...[]uint64) []byte {
	var b bytes.Buffer
	for _, r := range recs {
		var w [recWords]uint64
		copy(w[:], r)
		binary.Write(&b, binary.NativeEndian, w)
	}
	return b.Bytes()
}

func TestParse(t *testing.T) {
	vma := []uint64{recVMA, 42, 0xa000, 0x1000, 0x2000, 1, 0x73, 0xb000, 0xc000}
	avc := []uint64{recAVC, 0xd000, 0xa000, 0xb000, 0xb000, 0xb000, 2, 1, 1, 1, 0, 0, 16, 0xd020, 0xd020, 0xd020}
	tests := []struct {
		name  string
		in    []byte
		err   string
		chain int
		cut   bool
	}{
		{"a VMA and its chain", records(vma, avc, avc), "", 2, false},
		{"a cut chain", records(vma, avc, []uint64{recCut}), "", 1, true},
		{"nothing", nil, "", 0, false},
		{"an AVC first", records(avc), "before any VMA", 0, false},
		{"an unknown kind", records(vma, []uint64{9}), "unknown record kind 9", 0, false},
		{"a truncated record", records(vma)[:100], "unexpected EOF", 0, false},
	}
	for _, tt := range tests {
		vmas, err := parse(bytes.NewReader(tt.in))
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.in != nil && (len(vmas) != 1 || len(vmas[0].Chain) != tt.chain || vmas[0].Cut != tt.cut):
			t.Errorf("%s: got %+v; want one VMA with %d AVCs, cut %v", tt.name, vmas, tt.chain, tt.cut)
		}
	}
	vmas, _ := parse(bytes.NewReader(records(vma, avc)))
	want := VMA{Pid: 42, Ptr: 0xa000, Start: 0x1000, End: 0x2000, Pgoff: 1, Flags: 0x73, AnonVMA: 0xb000, MM: 0xc000}
	got := vmas[0]
	got.Chain = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("VMA fields: got %+v, want %+v", got, want)
	}
	c := vmas[0].Chain[0]
	if c.Ptr != 0xd000 || c.AnonVMA.Refcount != 2 || c.AnonVMA.NumChildren != 1 || c.Node.SubtreeLast != 16 || c.Node.Addr != 0xd020 || c.AnonVMA.TreeRoot != 0xd020 {
		t.Errorf("AVC fields: got %+v", c)
	}
}

// TestParseStopsWhereTheIteratorWraps: a VMA at or below the one before
// it, of the same process, ends the reading (the per-task iterator's
// endless repeat); another process's VMAs start afresh.
func TestParseStopsWhereTheIteratorWraps(t *testing.T) {
	at := func(pid, start uint64) []uint64 { return []uint64{recVMA, pid, 0xa000 + start, start, start + 0x1000} }
	for _, tt := range []struct {
		name string
		in   []byte
		want []uint64 // the starts read
	}{
		{"wraps back", records(at(42, 0x1000), at(42, 0x3000), at(42, 0x2000), at(42, 0x3000)), []uint64{0x1000, 0x3000}},
		{"repeats the last", records(at(42, 0x1000), at(42, 0x3000), at(42, 0x3000)), []uint64{0x1000, 0x3000}},
		{"another process", records(at(42, 0x3000), at(43, 0x1000), at(43, 0x2000)), []uint64{0x3000, 0x1000, 0x2000}},
	} {
		vmas, err := parse(bytes.NewReader(tt.in))
		var got []uint64
		for _, v := range vmas {
			got = append(got, v.Start)
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %#x, %v; want %#x", tt.name, got, err, tt.want)
		}
	}
}
