package render

import "strings"

// columns puts all AVCs in one rank, all anon_vmas in the next and all
// pages (with the zero page and an oops marker) in the last, so that each
// kind of object lines up whatever links it.
func (d *drawing) columns() {
	var avcs, avs, pages []string
	for i, ok := range d.sc.avc {
		if ok {
			avcs = append(avcs, avcName(d.st.AVCs[i].ID))
		}
	}
	for i, ok := range d.sc.av {
		if ok {
			avs = append(avs, avName(d.st.AnonVMAs[i].ID))
		}
	}
	for i, ok := range d.sc.page {
		if ok {
			pages = append(pages, pageName(d.st.Pages[i].ID))
		}
	}
	if d.sc.zero {
		pages = append(pages, "zero")
	}
	if d.hasOops() {
		pages = append(pages, "oops")
	}
	for _, col := range [][]string{avcs, avs, pages} {
		d.sameRank(col)
	}
}

func (d *drawing) sameRank(names []string) {
	if len(names) > 1 {
		d.b.WriteString("\t{rank=\"same\"; " + strings.Join(names, "; ") + "}\n")
	}
}
