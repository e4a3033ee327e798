package main

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// recipesDoc is the page of recipes TestRecipes runs.
const recipesDoc = "../../docs/integrations.md"

// fence is one fenced code block of a Markdown page.
type fence struct{ info, body string }

// fences returns the fenced code blocks of a Markdown page.
func fences(doc string) []fence {
	var out []fence
	var cur *fence
	for _, line := range strings.SplitAfter(doc, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &fence{info: strings.TrimSpace(line[3:])}
		case cur != nil && strings.TrimSpace(line) == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.body += line
		}
	}
	return out
}

// fenceFile is the file a block is, by the file= of its info string.
func fenceFile(info string) string {
	for _, f := range strings.Fields(info) {
		if name, ok := strings.CutPrefix(f, "file="); ok {
			return name
		}
	}
	return ""
}

// recipeCommands are the lines of the page's sh blocks that need avdoc
// alone (avdoc and mkdir), and the avdoc steps of its workflows.
func recipeCommands(blocks []fence) []string {
	var out []string
	for _, b := range blocks {
		for _, line := range strings.Split(b.body, "\n") {
			line = strings.TrimSpace(line)
			if run, ok := strings.CutPrefix(line, "- run: "); ok && strings.HasSuffix(fenceFile(b.info), ".yml") {
				line = run
			} else if b.info != "sh" {
				continue
			}
			if strings.HasPrefix(line, "avdoc ") || strings.HasPrefix(line, "mkdir ") {
				out = append(out, line)
			}
		}
	}
	return out
}

// TestRecipes runs docs/integrations.md as a reader would, in a directory
// with two stories: it writes the files the page shows, runs its avdoc
// commands as written, and checks that every file a recipe includes was
// made and is what it should be.
func TestRecipes(t *testing.T) {
	doc, err := os.ReadFile(recipesDoc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, s := range []string{"01-one-process.yaml", "02-fork.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../stories", s))
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(dir, "stories", s), string(data))
	}
	blocks := fences(string(doc))
	for _, b := range blocks {
		if name := fenceFile(b.info); name != "" {
			mustWrite(t, filepath.Join(dir, name), b.body)
		}
	}
	t.Setenv("GITHUB_STEP_SUMMARY", filepath.Join(dir, "summary.md"))
	cmds := recipeCommands(blocks)
	if len(cmds) < 10 {
		t.Fatalf("found %d commands in %s: %q", len(cmds), recipesDoc, cmds)
	}
	for _, c := range cmds {
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", c)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", c, err, out)
		}
	}
	checkIncludes(t, dir, blocks)
	checkRecipeFiles(t, dir)
	checkRecipeBook(t, dir)
	checkPlainDot(t, dir)
	checkMailText(t, dir, blocks)
}

// checkMailText: the text figure the page shows is the one its command
// wrote, and fits a mail.
func checkMailText(t *testing.T, dir string, blocks []fence) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(dir, "fork-step2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	shown := false
	for _, b := range blocks {
		shown = shown || b.info == "text" && b.body == string(got)
	}
	if !shown || !strings.Contains(string(got), "same_vma: AVC 3") {
		t.Errorf("the page shows no text block that is what the mail recipe printed:\n%s", got)
	}
	for _, l := range strings.Split(string(got), "\n") {
		if len(l) > 72 {
			t.Errorf("the mail figure has a line of %d columns: %q", len(l), l)
		}
	}
}

// checkPlainDot: Graphviz's plain dot, which kfigure runs, draws the
// recipe's DOT exactly as neato -n2 draws avdoc's DOT, at avdoc's
// positions. It needs Graphviz; CI installs it (.ci/run).
func checkPlainDot(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("dot"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no Graphviz dot to check the kfigure recipe with: .ci/run installs it")
		}
		t.Log("no Graphviz dot: the kfigure recipe's DOT is not drawn (CI draws it)")
		return
	}
	draw := func(script string) string {
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", script, err)
		}
		return string(out)
	}
	plain := draw("dot -Tsvg Documentation/mm/fork-graph.dot")
	placed := draw("avdoc render stories/02-fork.yaml --step 2 --format dot | neato -n2 -Tsvg")
	if plain != placed || !strings.Contains(plain, "<svg") {
		t.Errorf("plain dot of the recipe's DOT is not what neato -n2 draws of avdoc's:\n%.500s\n----\n%.500s", plain, placed)
	}
}

// includeRE matches what a recipe's file includes: a kfigure figure, a
// Markdown image or link, or an avdoc directive.
var includeRE = regexp.MustCompile(`kernel-figure:: (\S+)|\]\(([^)\s]+)\)|\{\{#avdoc ([^\s}]+)`)

// checkIncludes: every file that a file of the recipes includes exists.
func checkIncludes(t *testing.T, dir string, blocks []fence) {
	t.Helper()
	n := 0
	for _, b := range blocks {
		name := fenceFile(b.info)
		for _, m := range includeRE.FindAllStringSubmatch(b.body, -1) {
			ref := m[1] + m[2] + m[3]
			path := filepath.Join(dir, filepath.Dir(name), ref)
			switch {
			case strings.HasPrefix(ref, "/"): // Hugo: from static/
				path = filepath.Join(dir, "static", ref)
			case m[3] != "": // mdBook: from the book's root
				path = filepath.Join(dir, "book", ref)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s includes %s: %v", name, ref, err)
			}
			n++
		}
	}
	if n < 10 {
		t.Errorf("found %d includes in the recipes' files, want 10 or more", n)
	}
}

// checkRecipeFiles: the figures are SVG documents, the DOT keeps its
// positions and draws them under plain dot, the sites have an index,
// and the workflow's check passed and wrote its summary.
func checkRecipeFiles(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"Documentation/mm/fork-step2.svg", "docs/img/fork-step2.svg", "docs/img/fork-all.svg", "static/img/fork-step2.svg"} {
		var doc struct {
			XMLName xml.Name
			Desc    string `xml:"desc"`
		}
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err == nil {
			err = xml.Unmarshal(data, &doc)
		}
		if err != nil || doc.XMLName.Local != "svg" || !strings.Contains(doc.Desc+string(data), "anon_vma") {
			t.Errorf("%s: %v, root <%s>; want an SVG document about anon_vmas", f, err, doc.XMLName.Local)
		}
	}
	dot, err := os.ReadFile(filepath.Join(dir, "Documentation/mm/fork-graph.dot"))
	if lines := strings.SplitN(string(dot), "\n", 3); err != nil || len(lines) < 3 || lines[0] != "digraph avdoc {" || !strings.Contains(lines[1], `layout="nop2"`) || !strings.Contains(lines[2], `pos="`) {
		t.Errorf("the DOT for kfigure (%v) starts %.200q; want digraph avdoc {, layout=\"nop2\" and positions", err, dot)
	}
	for _, f := range []string{"docs/stories/index.html", "static/stories/index.html", "summary.md"} {
		if data, err := os.ReadFile(filepath.Join(dir, f)); err != nil || len(data) == 0 {
			t.Errorf("%s: %v, %d bytes", f, err, len(data))
		}
	}
	if summary, _ := os.ReadFile(filepath.Join(dir, "summary.md")); !strings.Contains(string(summary), "ok: 2 stories") {
		t.Errorf("the workflow's job summary: %q", summary)
	}
}

// checkRecipeBook gives avdoc mdbook the recipe's chapter as mdBook
// would: the story and the figure come in, checked.
func checkRecipeBook(t *testing.T, dir string) {
	t.Helper()
	chapter, err := os.ReadFile(filepath.Join(dir, "book/src/fork.md"))
	if err != nil {
		t.Fatal(err)
	}
	in := `[{"root":` + jsonText(t, filepath.Join(dir, "book")) + `,"config":{"book":{"src":"src"}},"renderer":"html","mdbook_version":"0.4.40"},` +
		`{"sections":[{"Chapter":{"name":"Fork","content":` + jsonText(t, string(chapter)) + `,"number":[1],"sub_items":[],"path":"fork.md","source_path":"fork.md","parent_names":[]}}],"__non_exhaustive":null}]`
	code, stdout, stderr := avdocIn(t, "", in, "mdbook")
	if code != exitOK || strings.Contains(stdout, "{{#avdoc") || strings.Count(stdout, "<svg ") < 2 || !strings.Contains(stdout, "step 2 of") {
		t.Errorf("avdoc mdbook on the recipe's chapter: exit %d, stderr %q, stdout %.300q", code, stderr, stdout)
	}
}

// TestReadmeWorkflow: the README's CI job is the one the recipes run.
func TestReadmeWorkflow(t *testing.T) {
	readme, err1 := os.ReadFile("../../README.md")
	doc, err2 := os.ReadFile(recipesDoc)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	var job string
	for _, b := range fences(string(doc)) {
		if fenceFile(b.info) == ".github/workflows/stories.yml" {
			job = b.body
		}
	}
	if job == "" || !strings.Contains(job, "avdoc check --format github stories/") || !strings.Contains(string(readme), "```yaml\n"+job+"```\n") {
		t.Errorf("the README does not show the workflow of %s:\n%s", recipesDoc, job)
	}
}
