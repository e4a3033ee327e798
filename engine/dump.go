package engine

import (
	"fmt"
	"strings"
)

// Dump writes the state as plain text, one object a line, in id order:
// a deterministic form for golden tests and for reading a state closely.
func (s *State) Dump() string {
	var b strings.Builder
	for i := range s.Procs {
		s.dumpProc(&b, &s.Procs[i])
	}
	for i := range s.AnonVMAs {
		a := &s.AnonVMAs[i]
		fmt.Fprintf(&b, "anon_vma %d %s%s list=%s\n", a.ID, a.Name, freed(a.Freed), s.avcList(a.Head, false))
	}
	for i := range s.Pages {
		pg := &s.Pages[i]
		if pg.Freed {
			fmt.Fprintf(&b, "page %d freed\n", pg.ID)
			continue
		}
		fmt.Fprintf(&b, "page %d index=%#x mapping=%s mapcount=%d\n", pg.ID, pg.Index, s.avName(pg.Mapping), pg.Mapcount)
	}
	return b.String()
}

func (s *State) dumpProc(b *strings.Builder, p *Process) {
	if p.Exited {
		fmt.Fprintf(b, "process %s exited\n", p.Name)
		return
	}
	fmt.Fprintf(b, "process %s\n", p.Name)
	for _, id := range p.VMAs {
		v := s.VMA(id)
		fmt.Fprintf(b, "  vma %d %s %#x..%#x pgoff=%#x %s anon_vma=%s chain=%s\n", v.ID, s.VMAName(id),
			v.Start, v.End-1, v.Pgoff, protName(v.Writable), s.avName(v.AnonVMA), s.avcList(v.Chain, true))
		for j, pte := range v.PTEs {
			if pte.Kind != PTENone {
				fmt.Fprintf(b, "    %#x %s\n", v.Start+uint64(j), pteString(pte))
			}
		}
	}
}

func (s *State) avName(id AVID) string {
	if id == 0 {
		return "NULL"
	}
	return s.AnonVMA(id).Name + freed(s.AnonVMA(id).Freed)
}

// avcList prints AVCs as "avc4:P:heap" (byAV) or "avc4:C:heap" (by VMA).
func (s *State) avcList(ids []AVCID, byAV bool) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		a := s.AVC(id)
		if byAV {
			parts[i] = fmt.Sprintf("avc%d:%s", id, s.avName(a.AnonVMA))
		} else {
			parts[i] = fmt.Sprintf("avc%d:%s", id, s.VMAName(a.VMA))
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func pteString(p PTE) string {
	switch p.Kind {
	case PTEZero:
		return "zero page ro"
	case PTESwap:
		return fmt.Sprintf("swap %d", p.Swap)
	}
	return fmt.Sprintf("page %d %s", p.Page, protName(p.Writable))
}

func freed(f bool) string {
	if f {
		return "(freed)"
	}
	return ""
}
