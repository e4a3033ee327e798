package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/engine"
)

// schemaID names the story schema, for editors that cache schemas by id.
const schemaID = "https://github.com/avdoc/avdoc/docs/story-format-v1.schema.json"

// schemaFile is where the README and `avdoc new` expect the schema:
// `avdoc schema > avdoc-story.schema.json` at the top of a project.
const schemaFile = "avdoc-story.schema.json"

// obj is a JSON object of the schema. encoding/json writes its keys
// sorted, so the schema prints the same every time.
type obj = map[string]any

// runSchema prints the story schema: `avdoc schema`.
func runSchema(c *cli, args []string) int {
	fs := c.flags("schema")
	if _, code, ok := c.parse(fs, args); !ok {
		return code
	}
	out, err := json.MarshalIndent(storySchema(), "", "  ")
	if err != nil {
		c.errorf("writing the schema: %v", err)
		return exitFailed
	}
	fmt.Fprintf(c.stdout, "%s\n", out)
	return exitOK
}

// storySchema is a JSON Schema (draft 2020-12) of story-format v1 as
// docs/story-format.md describes it, for editors to complete and check
// stories as they are typed. It checks the shape of a story; `avdoc
// check` remains the judge of its events and expectations.
func storySchema() obj {
	return obj{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         schemaID,
		"title":       "avdoc story (story-format v1)",
		"description": "A story about Linux anonymous-memory reverse mapping: kernel models, steps of events, narration and expectations. See docs/story-format.md.",
		"type":        "object",
		"required":    []string{"title", "steps"},
		"oneOf": []obj{
			{"required": []string{"kernel"}, "not": obj{"required": []string{"kernels"}}},
			{"required": []string{"kernels"}, "not": obj{"required": []string{"kernel"}}},
		},
		"additionalProperties": false,
		"properties": obj{
			"title":   describe(textSchema(true), "The story's title, plain text."),
			"summary": describe(textSchema(false), "One Markdown paragraph, shown on the index and under the title."),
			"kernel":  describe(ref("kernel"), "The kernel model the story runs: a model name, or a custom kernel {name, base, fixes, ksm}."),
			"kernels": describe(obj{"anyOf": []obj{ref("kernel"), {"type": "array", "minItems": 1, "items": ref("kernel")}}},
				"The kernel models run side by side; the first is the primary."),
			"tags":  describe(ref("words"), "A list of words."),
			"intro": describe(textSchema(false), "Markdown, before the first step."),
			"outro": describe(textSchema(false), "Markdown, after the last step."),
			"show":  describe(ref("show"), "The default display options of every step."),
			"steps": describe(obj{"type": "array", "minItems": 1, "items": ref("step")}, "The steps, at least one."),
			"swap_device": describe(obj{"enum": engine.SwapDevices()},
				"The swap device: a swap file (the default; every swap-in goes through the swap cache) or zram (SWP_SYNCHRONOUS_IO: from 4.15 a swap-in of an entry with one user skips the swap cache, and reclaim frees the page at once)."),
		},
		"$defs": obj{
			"kernel":       kernelSchema(),
			"customKernel": customKernelSchema(),
			"step":         stepSchema(),
			"event":        eventSchema(),
			"expectation":  describe(obj{"type": "string", "minLength": 1}, "TERM OP TERM, or a predicate (clean, oops, no oops, violation NAME, freed(T), alive(T), swapped(ADDR)). One containing a list or a comma goes in a block list item."),
			"expectations": obj{"anyOf": []obj{ref("expectation"), {"type": "array", "items": ref("expectation")}}},
			"show":         showSchema(),
			"names": describe(obj{"anyOf": []obj{ref("name"), {"type": "array", "items": ref("name")}}},
				"Process names or name ranges such as C1..C8."),
			"name":  obj{"type": "string", "pattern": `^[A-Za-z_][A-Za-z0-9_-]*(\.\.[A-Za-z_][A-Za-z0-9_-]*)?$`},
			"words": obj{"anyOf": []obj{scalarSchema(), {"type": "array", "items": scalarSchema()}}},
		},
	}
}

// describe adds a description to a schema.
func describe(s obj, text string) obj {
	s["description"] = text
	return s
}

// ref points at one of the schema's definitions.
func ref(def string) obj { return obj{"$ref": "#/$defs/" + def} }

// scalarSchema is any YAML scalar: avdoc reads scalars as written, so
// `6.0` is text to it though an editor sees a number.
func scalarSchema() obj { return obj{"type": []string{"string", "number", "boolean"}} }

// textSchema is text; required text must not be blank.
func textSchema(required bool) obj {
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
func kernelSchema() obj {
	return obj{
		"anyOf": []obj{
			{"enum": modelNameEnum(), "description": "A kernel model: `avdoc models` lists them."},
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
func customKernelSchema() obj {
	var fixes []string
	for _, f := range engine.Fixes() {
		fixes = append(fixes, f.Name)
	}
	fix := obj{"enum": fixes}
	return obj{
		"description":          "A custom kernel: a base model with another set of 2.6.34-cycle fixes, or with CONFIG_KSM.",
		"type":                 "object",
		"required":             []string{"name", "base"},
		"additionalProperties": false,
		"properties": obj{
			"name":  describe(obj{"type": []string{"string", "number"}, "pattern": `\S`, "not": obj{"const": "all"}}, "The custom kernel's own name (not `all`), e.g. rc3+oldest."),
			"base":  describe(obj{"enum": modelNameEnum()}, "The model it starts from."),
			"fixes": describe(obj{"anyOf": []obj{fix, {"type": "array", "items": fix}}}, "Replaces the base's set of 2.6.34-cycle fixes (even empty); `avdoc models` lists them."),
			"ksm":   describe(obj{"type": "boolean"}, "CONFIG_KSM, which changes the swap-in path of 2.6.33 to 2.6.35."),
		},
	}
}

// stepSchema is one step: do, say, expect, show.
func stepSchema() obj {
	return obj{
		"type":                 "object",
		"additionalProperties": false,
		"properties": obj{
			"do": describe(obj{"anyOf": []obj{ref("event"), {"type": "array", "items": ref("event")}}},
				"One event, or a list of events applied in order as one step (one diagram)."),
			"say": describe(textSchema(false), "Markdown narration. Raw HTML is not passed through."),
			"expect": describe(obj{"anyOf": []obj{
				ref("expectations"),
				{"type": "object", "minProperties": 1, "additionalProperties": ref("expectations")},
			}}, "Expectations that must hold after the step under every kernel, or a map from a kernel name (or `all`) to such a list."),
			"show": describe(ref("show"), "Display options for this step only, over the story's."),
		},
	}
}

// eventSchema is one event: a line that starts with an event's name.
func eventSchema() obj {
	var names []string
	for _, op := range engine.Ops() {
		names = append(names, op.String())
	}
	return obj{
		"type":        "string",
		"pattern":     `^\s*(` + strings.Join(names, "|") + `)(\s|$)`,
		"description": "An event: " + strings.Join(names, ", ") + ". For example `fork P C`, `write P:heap:0..1`, `mmap P heap 4`, `mremap P:heap 4 at 0x400`, `madvise P:heap:0 dontneed`.",
		"examples": []string{"spawn P", "mmap P heap 2", "write P:heap", "fork P C", "exit C", "swapout all", "walk P:heap:0",
			"mremap P:heap 4", "mremap P:heap 2 at 0x400", "madvise P:heap dontneed", "madvise P:heap:0..1 pageout"},
	}
}

// showSchema is the display options.
func showSchema() obj {
	return obj{
		"type":                 "object",
		"additionalProperties": false,
		"properties": obj{
			"pages":    describe(obj{"type": "boolean"}, "false hides pages and their mapping pointers (shown by default)."),
			"ptes":     describe(obj{"type": "boolean"}, "true draws PTE edges from VMAs to the pages they map."),
			"swap":     describe(obj{"type": "boolean"}, "true draws the swap slots."),
			"only":     describe(ref("names"), "Draw only these processes."),
			"collapse": describe(ref("names"), "Draw each run of these processes as one stack, e.g. C2..C999."),
		},
	}
}
