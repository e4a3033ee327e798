package site

import (
	"strings"
	"testing"
)

// TestGlossaryLinks: the first mention of each term in a document links to its entry,
// wherever Markdown has plain text or a code span that is the term, and nowhere else.
func TestGlossaryLinks(t *testing.T) {
	b, err := newBuilder()
	if err != nil {
		t.Fatal(err)
	}
	gl := &glossaryLinker{terms: glossaryTerms(), href: "g#"}
	tests := []struct {
		name, md, want string
	}{
		{"first mention only",
			"An anon_vma, and another anon_vma.",
			`<p>An <a href="g#anon_vma" class="gl">anon_vma</a>, and another anon_vma.</p>`},
		{"goldmark's split at '_' does not hide a term",
			"P's anon_vma_chain.",
			`<p>P&rsquo;s <a href="g#avc" class="gl">anon_vma_chain</a>.</p>`},
		{"whole words only",
			"VMAcache and anon_vma_prepare_x and xVMA",
			`<p>VMAcache and anon_vma_prepare_x and xVMA</p>`},
		{"plural forms",
			"two VMAs and AVCs",
			`<p>two <a href="g#vma" class="gl">VMAs</a> and <a href="g#avc" class="gl">AVCs</a></p>`},
		{"lower-case terms match any case; acronyms only as written",
			"Root of a cow, the COW",
			`<p><a href="g#root" class="gl">Root</a> of a cow, the <a href="g#cow" class="gl">COW</a></p>`},
		{"the longest term at a place wins",
			"the rmap walk and the rmap",
			`<p>the <a href="g#rmap" class="gl">rmap walk</a> and the rmap</p>`},
		{"a code span that is the term, with or without ()",
			"`anon_vma_prepare()` then `page->mapping` but not `vma->anon_vma`",
			`<p><a href="g#anon_vma_prepare" class="gl"><code>anon_vma_prepare()</code></a> then <a href="g#page-mapping" class="gl"><code>page-&gt;mapping</code></a> but not <code>vma-&gt;anon_vma</code></p>`},
		{"never inside a link or an image",
			"[the VMA](x.html) ![a VMA](y.svg) then VMA",
			`<p><a href="x.html">the VMA</a> <img src="y.svg" alt="a VMA"> then <a href="g#vma" class="gl">VMA</a></p>`},
		{"inside emphasis, and across soft line breaks",
			"*the VMA*\nand its\nanon_vma",
			"<p><em>the <a href=\"g#vma\" class=\"gl\">VMA</a></em>\nand its\n<a href=\"g#anon_vma\" class=\"gl\">anon_vma</a></p>"},
		{"never in code blocks",
			"    VMA\n\n```\nanon_vma\n```",
			"<pre><code>VMA\n</code></pre>\n<pre><code>anon_vma\n</code></pre>"},
		{"escapes and entities are kept",
			`\*VMA\* &amp; AVC`,
			`<p>*<a href="g#vma" class="gl">VMA</a>* &amp; <a href="g#avc" class="gl">AVC</a></p>`},
		{"raw HTML stays out",
			"<b>VMA</b> anon_vma",
			`<p><!-- raw HTML omitted --><a href="g#vma" class="gl">VMA</a><!-- raw HTML omitted --> <a href="g#anon_vma" class="gl">anon_vma</a></p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.markdownLinked(tt.md, gl)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(got)) != tt.want {
				t.Errorf("markdown %q\n got %s\nwant %s", tt.md, got, tt.want)
			}
		})
	}
}

// TestGlossaryLinksChangeNothingElse: with no terms to link, the linker (which merges
// goldmark's split text nodes) renders every Markdown document exactly as goldmark does.
func TestGlossaryLinksChangeNothingElse(t *testing.T) {
	b, err := newBuilder()
	if err != nil {
		t.Fatal(err)
	}
	none := &glossaryLinker{href: "g#"}
	for _, md := range []string{
		mdEvil,
		"a_b_c *em* __strong__ _x_ snake_case_name `co_de` \\_esc\\_ &amp; &#x41; 'q' \"dq\" -- ...",
		"line one  \nline_two\\\nthree\n\n- a_b\n- [l_i](u_v) <http://x_y>\n\n> q_uote",
		"| a_b | c |\n|---|---|\n| d_e | ~~f_g~~ |",
	} {
		want, err := b.markdown(md)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.markdownLinked(md, none)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("markdown %q renders differently once its text nodes are merged:\n got %s\nwant %s", md, got, want)
		}
	}
}

// TestGlossaryTerms keeps the glossary consistent: ids are unique anchors, and no two
// terms claim the same word.
func TestGlossaryTerms(t *testing.T) {
	ids, words := map[string]bool{}, map[string]string{}
	for _, tm := range glossaryTerms() {
		if ids[tm.ID] || tm.ID == "" || strings.ContainsAny(tm.ID, " /#?") {
			t.Errorf("term %q: id %q is empty, repeated or not a plain anchor", tm.Name, tm.ID)
		}
		ids[tm.ID] = true
		if tm.Def == "" || len(tm.Match) == 0 {
			t.Errorf("term %q has no definition or nothing to match", tm.Name)
		}
		for _, m := range tm.Match {
			if other, dup := words[strings.ToLower(m)]; dup {
				t.Errorf("%q is claimed by %s and %s", m, other, tm.ID)
			}
			words[strings.ToLower(m)] = tm.ID
		}
	}
}
