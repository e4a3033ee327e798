package site

import (
	"cmp"
	"html/template"
	"slices"
)

// modelPath is the page of the model with that name. It lives at the site root: a slug
// has no '.', so no story folder can take its name.
func modelPath(name string) string { return "model-" + fileSafe(name) + ".html" }

// kernelModel is the model kernel i of a story is or derives from, and how it differs.
func kernelModel(st Story, i int) (model, note string) {
	if st.KernelInfo == nil {
		return st.Kernels[i], ""
	}
	return st.KernelInfo[i].Model, st.KernelInfo[i].Note
}

// hasModel reports whether the site has a page for the model with that name.
func hasModel(s Site, name string) bool {
	return name != "" && slices.ContainsFunc(s.Models, func(m Model) bool { return m.Name == name })
}

// usage is a story that runs a model, on the model's page.
type usage struct {
	Href  string
	Title string
	As    string // the story's name for a kernel derived from the model, else ""
	Note  string
}

type modelView struct {
	page
	Model   Model
	Fixes   []fixView
	Stories []usage
	Prev    *modelLink // the model before and after, in the site's order
	Next    *modelLink
}

type modelLink struct{ Name, Href string }

type fixView struct {
	Fix
	Has    bool     // the model has it (model pages)
	Models []string // the models that have it (models.html)
}

type modelsView struct {
	page
	Models []modelRow
	Fixes  []fixView
}

type modelRow struct {
	Model
	Href    string
	Stories int
}

// usages lists, for each model name, the stories that run it or a kernel derived from it.
func usages(s Site) map[string][]usage {
	out := map[string][]usage{} // model name → stories; read by name only
	for _, st := range s.Stories {
		for i, k := range st.Kernels {
			model, note := kernelModel(st, i)
			u := usage{Href: st.Slug + "/index.html", Title: st.Title, Note: note}
			if model != k {
				u.As = k
			}
			out[model] = append(out[model], u)
		}
	}
	return out
}

// modelPages renders models.html and a page per model.
func (b *builder) modelPages(s Site) ([]File, error) {
	used := usages(s)
	mv := modelsView{page: page{SiteTitle: siteTitle(s), DocTitle: "Kernel models – " + siteTitle(s), Section: "models"}}
	for _, f := range s.Fixes {
		fv := fixView{Fix: f}
		for _, m := range s.Models {
			if slices.Contains(m.Fixes, f.Name) {
				fv.Models = append(fv.Models, m.Name)
			}
		}
		mv.Fixes = append(mv.Fixes, fv)
	}
	var files []File
	for i, m := range s.Models {
		mv.Models = append(mv.Models, modelRow{Model: m, Href: modelPath(m.Name), Stories: len(used[m.Name])})
		f, err := b.execute(modelPath(m.Name), "model.tmpl", modelViewOf(s, i, used[m.Name]))
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	f, err := b.execute("models.html", "models.tmpl", mv)
	if err != nil {
		return nil, err
	}
	return append(files, f), nil
}

// modelViewOf is the view of the page of model i.
func modelViewOf(s Site, i int, stories []usage) modelView {
	m := s.Models[i]
	v := modelView{
		page:    page{SiteTitle: siteTitle(s), DocTitle: "Kernel model " + m.Name + " – " + siteTitle(s), Section: "models"},
		Model:   m,
		Stories: stories,
	}
	if len(m.Fixes) > 0 {
		for _, f := range s.Fixes {
			v.Fixes = append(v.Fixes, fixView{Fix: f, Has: slices.Contains(m.Fixes, f.Name)})
		}
	}
	if i > 0 {
		v.Prev = &modelLink{s.Models[i-1].Name, modelPath(s.Models[i-1].Name)}
	}
	if i+1 < len(s.Models) {
		v.Next = &modelLink{s.Models[i+1].Name, modelPath(s.Models[i+1].Name)}
	}
	return v
}

type glossaryView struct {
	page
	Terms []termView
}

type termView struct {
	ID   string
	Name template.HTML
	Def  template.HTML
}

// glossary renders glossary.html. Its text is the site's own Markdown.
func (b *builder) glossary(s Site) (File, error) {
	v := glossaryView{page: page{SiteTitle: siteTitle(s), DocTitle: "Glossary – " + siteTitle(s), Section: "glossary"}}
	terms := glossaryTerms()
	for i, t := range terms {
		others := append(slices.Clone(terms[:i]), terms[i+1:]...) // an entry links the others
		md, plain := &mdBatch{b: b, gl: &glossaryLinker{terms: others, href: "#"}}, &mdBatch{b: b}
		v.Terms = append(v.Terms, termView{ID: t.ID, Name: inline(plain.render(t.Name)), Def: md.render(t.Def)})
		if err := cmp.Or(md.err, plain.err); err != nil {
			return File{}, err
		}
	}
	return b.execute("glossary.html", "glossary.tmpl", v)
}

// inline strips the paragraph goldmark puts around one line of Markdown.
func inline(h template.HTML) template.HTML {
	s := string(h)
	if len(s) > len("<p></p>\n") && s[:3] == "<p>" && s[len(s)-5:] == "</p>\n" {
		return template.HTML(s[3 : len(s)-5])
	}
	return h
}
