// Package schema describes the story format to editors: a JSON Schema
// (draft 2020-12) of it, for the YAML language server to complete and
// check stories as they are typed, and a first story to start from whose
// modeline names the schema. The story package's parser stays the judge
// of events and expectations.
package schema

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// ID names the story schema, for editors that cache schemas by id.
const ID = "https://github.com/avdoc/avdoc/docs/story-format-v1.schema.json"

// File is where the README and `avdoc new` expect the schema:
// `avdoc schema > avdoc-story.schema.json` at the top of a project.
const File = "avdoc-story.schema.json"

// Obj is a JSON object of the schema. encoding/json writes its keys
// sorted, so the schema prints the same every time.
type Obj = map[string]any

// JSON is the schema as `avdoc schema` prints it: indented JSON, its keys
// sorted, the same every time.
func JSON() ([]byte, error) {
	out, err := json.MarshalIndent(Story(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("writing the schema: %w", err)
	}
	return append(out, '\n'), nil
}

// Story is a JSON Schema (draft 2020-12) of story-format v1 as
// docs/story-format.md describes it, for editors to complete and check
// stories as they are typed. It checks the shape of a story; `avdoc
// check` remains the judge of its events and expectations.
func Story() Obj {
	return Obj{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         ID,
		"title":       "avdoc story (story-format v1)",
		"description": "A story about Linux anonymous-memory reverse mapping: kernel models, steps of events, narration and expectations. See docs/story-format.md.",
		"type":        "object",
		"required":    []string{"title", "steps"},
		"oneOf": []Obj{
			{"required": []string{"kernel"}, "not": Obj{"required": []string{"kernels"}}},
			{"required": []string{"kernels"}, "not": Obj{"required": []string{"kernel"}}},
		},
		"additionalProperties": false,
		"properties": Obj{
			"title":   describe(textSchema(true), "The story's title, plain text."),
			"summary": describe(textSchema(false), "One Markdown paragraph, shown on the index and under the title."),
			"kernel":  describe(ref("kernel"), "The kernel model the story runs: a model name, or a custom kernel {name, base, fixes, ksm}."),
			"kernels": describe(Obj{"anyOf": []Obj{ref("kernel"), {"type": "array", "minItems": 1, "items": ref("kernel")}}},
				"The kernel models run side by side; the first is the primary."),
			"tags":  describe(ref("words"), "A list of words."),
			"intro": describe(textSchema(false), "Markdown, before the first step."),
			"outro": describe(textSchema(false), "Markdown, after the last step."),
			"show":  describe(ref("show"), "The default display options of every step."),
			"steps": describe(Obj{"type": "array", "minItems": 1, "items": ref("step")}, "The steps, at least one."),
			"swap_device": describe(Obj{"enum": engine.SwapDevices()},
				"The swap device: a swap file (the default; every swap-in goes through the swap cache) or zram (SWP_SYNCHRONOUS_IO: from 4.15 a swap-in of an entry with one user skips the swap cache, and reclaim frees the page at once)."),
		},
		"$defs": Obj{
			"kernel":       kernelSchema(),
			"customKernel": customKernelSchema(),
			"step":         stepSchema(),
			"event":        eventSchema(),
			"expectation":  describe(Obj{"type": "string", "minLength": 1}, "TERM OP TERM, or a predicate (clean, oops, no oops, violation NAME, freed(T), alive(T), swapped(ADDR)). A function term may read an earlier step's state: page(C:heap:0) == page(C:heap:0)@before (or @N, after step N). One containing a list or a comma goes in a block list item."),
			"expectations": Obj{"anyOf": []Obj{ref("expectation"), {"type": "array", "items": ref("expectation")}}},
			"show":         showSchema(),
			"names": describe(Obj{"anyOf": []Obj{ref("name"), {"type": "array", "items": ref("name")}}},
				"Process names or name ranges such as C1..C8."),
			"name":  Obj{"type": "string", "pattern": `^[A-Za-z_][A-Za-z0-9_-]*(\.\.[A-Za-z_][A-Za-z0-9_-]*)?$`},
			"words": Obj{"anyOf": []Obj{scalarSchema(), {"type": "array", "items": scalarSchema()}}},
		},
	}
}

// describe adds a description to a schema.
func describe(s Obj, text string) Obj {
	s["description"] = text
	return s
}

// ref points at one of the schema's definitions.
func ref(def string) Obj { return Obj{"$ref": "#/$defs/" + def} }

// scalarSchema is any YAML scalar: avdoc reads scalars as written, so
// `6.0` is text to it though an editor sees a number.
func scalarSchema() Obj { return Obj{"type": []string{"string", "number", "boolean"}} }

// textSchema is text; required text must not be blank.
func textSchema(required bool) Obj {
	s := scalarSchema()
	if required {
		s["pattern"] = `\S`
	} else {
		s["type"] = []string{"string", "number", "boolean", "null"}
	}
	return s
}

// kernelSchema is a model name or a custom kernel. Editors read an
// unquoted 3.7 or 6.0 as a number, so the names that look like numbers
// are listed as numbers too.
func kernelSchema() Obj {
	return Obj{
		"anyOf": []Obj{
			{"enum": modelNameEnum(), "description": "A kernel model: `avdoc models` lists them."},
			{"const": "live", "description": "The running kernel: the events run in real processes and the kernel's reverse map is read after each step (Linux, root, BTF)."},
			ref("customKernel"),
		},
	}
}

// modelNameEnum lists every model name, and those that read as numbers
// (3.7, 3.19, 6.0, 6.18) once more as numbers.
func modelNameEnum() []any {
	var out []any
	for _, name := range engine.ModelNames() {
		out = append(out, name)
	}
	for _, name := range engine.ModelNames() {
		if numeric(name) {
			out = append(out, json.Number(name))
		}
	}
	return out
}

// numeric reports whether YAML reads name as a number: digits with one
// dot, such as 3.19 (2.6.34 has two dots and stays text).
func numeric(name string) bool {
	whole, frac, ok := strings.Cut(name, ".")
	return ok && digits(whole) && digits(frac)
}

// digits reports whether s is a non-empty run of decimal digits.
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// customKernelSchema is a kernel of its own: {name, base, fixes, ksm}.
func customKernelSchema() Obj {
	var fixes []string
	for _, f := range engine.Fixes() {
		fixes = append(fixes, f.Name)
	}
	fix := Obj{"enum": fixes}
	return Obj{
		"description":          "A custom kernel: a base model with another set of 2.6.34-cycle fixes, or with CONFIG_KSM.",
		"type":                 "object",
		"required":             []string{"name", "base"},
		"additionalProperties": false,
		"properties": Obj{
			"name":  describe(Obj{"type": []string{"string", "number"}, "pattern": `\S`, "not": Obj{"const": "all"}}, "The custom kernel's own name (not `all`), e.g. rc3+oldest."),
			"base":  describe(Obj{"enum": modelNameEnum()}, "The model it starts from."),
			"fixes": describe(Obj{"anyOf": []Obj{fix, {"type": "array", "items": fix}}}, "Replaces the base's set of 2.6.34-cycle fixes (even empty); `avdoc models` lists them."),
			"ksm":   describe(Obj{"type": "boolean"}, "CONFIG_KSM, which changes the swap-in path of 2.6.33 to 2.6.35."),
		},
	}
}

// stepSchema is one step: do, say, expect, show.
func stepSchema() Obj {
	return Obj{
		"type":                 "object",
		"additionalProperties": false,
		"properties": Obj{
			"do": describe(Obj{"anyOf": []Obj{ref("event"), {"type": "array", "items": ref("event")}}},
				"One event, or a list of events applied in order as one step (one diagram)."),
			"say": describe(textSchema(false), "Markdown narration. Raw HTML is not passed through."),
			"expect": describe(Obj{"anyOf": []Obj{
				ref("expectations"),
				{"type": "object", "minProperties": 1, "additionalProperties": ref("expectations")},
			}}, "Expectations that must hold after the step under every kernel, or a map from a kernel name (or `all`) to such a list."),
			"show": describe(ref("show"), "Display options for this step only, over the story's."),
		},
	}
}

// eventSchema is one event: a line that starts with an event's name.
func eventSchema() Obj {
	var names []string
	for _, op := range engine.Ops() {
		names = append(names, op.String())
	}
	return Obj{
		"type":        "string",
		"pattern":     `^\s*(` + strings.Join(names, "|") + `)(\s|$)`,
		"description": "An event: " + strings.Join(names, ", ") + ". For example `fork P C`, `write P:heap:0..1`, `mmap P heap 4`, `mremap P:heap 4 at 0x400`, `madvise P:heap:0 dontneed`.",
		"examples": []string{"spawn P", "mmap P heap 2", "write P:heap", "fork P C", "exit C", "swapout all", "walk P:heap:0",
			"mremap P:heap 4", "mremap P:heap 2 at 0x400", "madvise P:heap dontneed", "madvise P:heap:0..1 pageout"},
	}
}

// showSchema is the display options.
func showSchema() Obj {
	return Obj{
		"type":                 "object",
		"additionalProperties": false,
		"properties": Obj{
			"pages":    describe(Obj{"type": "boolean"}, "false hides pages and their mapping pointers (shown by default)."),
			"ptes":     describe(Obj{"type": "boolean"}, "true draws PTE edges from VMAs to the pages they map."),
			"swap":     describe(Obj{"type": "boolean"}, "true draws the swap slots."),
			"only":     describe(ref("names"), "Draw only these processes."),
			"collapse": describe(ref("names"), "Draw each run of these processes as one stack, e.g. C2..C999."),
		},
	}
}
