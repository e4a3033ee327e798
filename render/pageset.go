package render

import (
	"iter"
	"math/bits"

	"github.com/avdoc/avdoc/engine"
)

// pageSet is a set of pages, by index (id-1), as a bitmap: a drawing of a
// million pages draws a few of them, and goes through those few a word of
// 64 pages at a time rather than a page at a time.
type pageSet []uint64

// newPageSet returns an empty set for pages 0..n-1.
func newPageSet(n int) pageSet { return make(pageSet, (n+63)/64) }

// has reports whether page i is in the set; false for an i out of range.
func (s pageSet) has(i int) bool {
	u := uint(i) // a negative i is out of range too
	return u/64 < uint(len(s)) && s[u/64]&(1<<(u%64)) != 0
}

// add puts page i, which must be in range, in the set.
func (s pageSet) add(i int) { s[uint(i)/64] |= 1 << (uint(i) % 64) }

// remove takes page i, which must be in range, out of the set.
func (s pageSet) remove(i int) { s[uint(i)/64] &^= 1 << (uint(i) % 64) }

// len returns how many pages the set holds.
func (s pageSet) len() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// all yields the pages of the set in increasing order. Pages taken out
// of the set below the one just yielded do not disturb it.
func (s pageSet) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range s {
			for w := s[i]; w != 0; w &= w - 1 {
				if !yield(i*64 + bits.TrailingZeros64(w)) {
					return
				}
			}
		}
	}
}

// pageSetBuilder adds many pages to a set fast when they come mostly in
// order: it gathers the bits of one word of the set at a time, and writes
// the word when the next page is in another (and, last, on flush).
type pageSetBuilder struct {
	w    uint   // the word being gathered
	bits uint64 // its bits so far, to or into s[w]
}

// add adds page i, which must be in range, to s.
func (b *pageSetBuilder) add(s pageSet, i int) {
	if w := uint(i) / 64; w != b.w {
		b.flush(s)
		b.w = w
	}
	b.bits |= 1 << (uint(i) % 64)
}

// flush writes the word being gathered into s.
func (b *pageSetBuilder) flush(s pageSet) {
	if b.bits != 0 {
		s[b.w] |= b.bits
		b.bits = 0
	}
}

// pageMappers is, for each page some VMAs' PTEs lead to, the first of
// those VMAs, found in [scene.mappers].
type pageMappers struct {
	pages pageSet        // the pages
	rank  []int          // per word of pages: how many pages the words before it hold
	vmas  []engine.VMAID // by rank: the i-th page of pages in increasing order is mapped first by vmas[i]
}

// of returns the first VMA that leads to page i, or 0.
func (m *pageMappers) of(i int) engine.VMAID {
	if !m.pages.has(i) {
		return 0
	}
	return m.vmas[m.at(i)]
}

// at returns where in vmas the mapper of page i, which is in pages, is.
func (m *pageMappers) at(i int) int {
	return m.rank[i/64] + bits.OnesCount64(m.pages[i/64]&(1<<(i%64)-1))
}
