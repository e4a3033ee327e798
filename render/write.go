package render

import "strings"

// attr is one DOT attribute. A plain value is written as an escaped DOT
// string; an HTML value is already an escaped HTML-like label body.
type attr struct {
	key, val string
	html     bool
}

// str is an attribute with a plain string value.
func str(key, val string) attr { return attr{key: key, val: val} }

// html is an attribute with an HTML-like label value.
func html(key, body string) attr { return attr{key: key, val: body, html: true} }

// node writes one node statement; its id attribute is the prefixed name.
func (d *drawing) node(indent, name, class string, as ...attr) {
	d.attrLine(indent+name, append([]attr{str("id", d.opt.ID+name), str("class", class)}, as...)...)
}

// edge writes one edge statement with the given (unprefixed) id.
func (d *drawing) edge(id, from, to, class string, as ...attr) {
	d.attrLine("\t"+from+" -> "+to, append([]attr{str("id", d.opt.ID+id), str("class", class)}, as...)...)
}

// attrLine writes head followed by an attribute list and a newline.
func (d *drawing) attrLine(head string, as ...attr) {
	d.b.WriteString(head)
	d.b.WriteString(" [")
	for i, a := range as {
		if i > 0 {
			d.b.WriteString(", ")
		}
		d.b.WriteString(a.key)
		if a.html {
			d.b.WriteString("=<" + a.val + ">")
		} else {
			d.b.WriteString(`="` + escapeDOT(a.val) + `"`)
		}
	}
	d.b.WriteString("]\n")
}

// classes joins the non-empty class names with spaces.
func classes(names ...string) string {
	var out []string
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}
