package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/story"
	"gopkg.in/yaml.v3"
)

// validator checks a JSON value against the subset of JSON Schema that
// Story uses. It refuses any other keyword, so that the schema
// cannot grow a check these tests ignore.
type validator struct {
	defs map[string]any
}

// newValidator reads a schema as JSON, as an editor would.
func newValidator(t *testing.T, schema []byte) (*validator, map[string]any) {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(schema, &root); err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	return &validator{defs: root["$defs"].(map[string]any)}, root
}

// annotations are the keywords that check nothing.
var annotations = []string{"$schema", "$id", "$defs", "title", "description", "examples"}

// validate returns the first problem of v against schema s, or "".
func (vd *validator) validate(s map[string]any, v any, at string) string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if slices.Contains(annotations, key) {
			continue
		}
		if msg := vd.keyword(s, key, v, at); msg != "" {
			return msg
		}
	}
	return ""
}

// keyword checks v against one keyword of s.
func (vd *validator) keyword(s map[string]any, key string, v any, at string) string {
	arg := s[key]
	switch key {
	case "$ref":
		return vd.validate(vd.defs[strings.TrimPrefix(arg.(string), "#/$defs/")].(map[string]any), v, at)
	case "type":
		return checkType(arg, v, at)
	case "enum":
		if !slices.ContainsFunc(arg.([]any), func(e any) bool { return sameJSON(e, v) }) {
			return fmt.Sprintf("%s: %v is not one of %v", at, v, arg)
		}
	case "const":
		if !sameJSON(arg, v) {
			return fmt.Sprintf("%s: %v is not %v", at, v, arg)
		}
	case "pattern", "minLength":
		return checkString(key, arg, v, at)
	case "anyOf", "oneOf", "not":
		return vd.combine(key, arg, v, at)
	case "required", "minProperties", "properties", "additionalProperties":
		if m, ok := v.(map[string]any); ok {
			return vd.object(s, key, m, at)
		}
	case "minItems", "items":
		if a, ok := v.([]any); ok {
			return vd.array(key, arg, a, at)
		}
	default:
		return fmt.Sprintf("the validator does not know keyword %q", key)
	}
	return ""
}

func checkType(arg, v any, at string) string {
	types, ok := arg.([]any)
	if !ok {
		types = []any{arg}
	}
	for _, t := range types {
		if jsonType(v) == t || (t == "number" && jsonType(v) == "integer") {
			return ""
		}
	}
	return fmt.Sprintf("%s: %v is %s, not %v", at, v, jsonType(v), arg)
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func checkString(key string, arg, v any, at string) string {
	str, ok := v.(string)
	switch {
	case !ok:
	case key == "minLength" && float64(len([]rune(str))) < arg.(float64):
		return fmt.Sprintf("%s: %q is too short", at, str)
	case key == "pattern" && !regexp.MustCompile(arg.(string)).MatchString(str):
		return fmt.Sprintf("%s: %q does not match %s", at, str, arg)
	}
	return ""
}

func (vd *validator) combine(key string, arg, v any, at string) string {
	if key == "not" {
		if vd.validate(arg.(map[string]any), v, at) == "" {
			return fmt.Sprintf("%s: %v matches what it must not", at, v)
		}
		return ""
	}
	var passed int
	var msgs []string
	for _, sub := range arg.([]any) {
		if msg := vd.validate(sub.(map[string]any), v, at); msg == "" {
			passed++
		} else {
			msgs = append(msgs, msg)
		}
	}
	switch {
	case passed == 0:
		return fmt.Sprintf("%s: matches none of %s: %s", at, key, strings.Join(msgs, "; "))
	case key == "oneOf" && passed > 1:
		return fmt.Sprintf("%s: matches %d of oneOf", at, passed)
	}
	return ""
}

// object checks an object's keys.
func (vd *validator) object(s map[string]any, key string, m map[string]any, at string) string {
	props, _ := s["properties"].(map[string]any)
	switch key {
	case "required":
		for _, k := range s[key].([]any) {
			if _, ok := m[k.(string)]; !ok {
				return fmt.Sprintf("%s: missing %s", at, k)
			}
		}
	case "minProperties":
		if float64(len(m)) < s[key].(float64) {
			return fmt.Sprintf("%s: too few keys", at)
		}
	default:
		for _, k := range sortedKeys(m) {
			sub, known := props[k].(map[string]any)
			if key == "additionalProperties" {
				if known {
					continue
				}
				if s[key] == false {
					return fmt.Sprintf("%s: unknown key %q", at, k)
				}
				sub, known = s[key].(map[string]any)
			}
			if msg := vd.validate(sub, m[k], at+"."+k); known && msg != "" {
				return msg
			}
		}
	}
	return ""
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (vd *validator) array(key string, arg any, a []any, at string) string {
	if key == "minItems" {
		if float64(len(a)) < arg.(float64) {
			return fmt.Sprintf("%s: too few items", at)
		}
		return ""
	}
	for i, item := range a {
		if msg := vd.validate(arg.(map[string]any), item, fmt.Sprintf("%s[%d]", at, i)); msg != "" {
			return msg
		}
	}
	return ""
}

// yamlAsJSON reads a story as an editor's YAML language server sees it:
// plain JSON values, an unquoted 6.0 a number.
func yamlAsJSON(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatalf("not YAML: %v", err)
	}
	b, err := json.Marshal(stringKeys(v))
	if err != nil {
		t.Fatalf("not JSON-like: %v", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// stringKeys makes every mapping key text, as in JSON.
func stringKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = stringKeys(x)
		}
		return v
	case map[any]any:
		out := map[string]any{}
		for k, x := range v {
			out[fmt.Sprint(k)] = stringKeys(x)
		}
		return out
	case []any:
		for i, x := range v {
			v[i] = stringKeys(x)
		}
	}
	return v
}

// printedSchema is what `avdoc schema` prints.
func printedSchema(t *testing.T) []byte {
	t.Helper()
	out, err := JSON()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSchemaAcceptsShippedStories validates every story in stories/ and
// the one `avdoc new` writes against the printed schema.
func TestSchemaAcceptsShippedStories(t *testing.T) {
	vd, root := newValidator(t, printedSchema(t))
	files, err := filepath.Glob("../../stories/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped stories: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if msg := vd.validate(root, yamlAsJSON(t, src), "story"); msg != "" {
			t.Errorf("%s: %s", f, msg)
		}
	}
	if msg := vd.validate(root, yamlAsJSON(t, Starter("scaffold", "../"+File, "stories/scaffold.yaml")), "story"); msg != "" {
		t.Errorf("the story avdoc new writes: %s", msg)
	}
}

// TestSchemaAgreesWithParser checks the schema on stories that are right
// and wrong in shape, and that the parser agrees with it on each.
func TestSchemaAgreesWithParser(t *testing.T) {
	vd, root := newValidator(t, printedSchema(t))
	const steps = "steps:\n  - do: [spawn P, mmap P heap 1]\n    expect: [clean]\n"
	tests := []struct {
		name, src string
		valid     bool
	}{
		{"minimal", "title: T\nkernel: 2.6.34\n" + steps, true},
		{"numeric model name", "title: T\nkernel: 6.0\n" + steps, true},
		{"kernels list", "title: T\nkernels: [2.6.34-rc3, 3.7, 3.19]\n" + steps, true},
		{"custom kernel", "title: T\nkernels:\n  - 2.6.34-rc3\n  - {name: rc3+old, base: 2.6.34-rc3, fixes: [oldest-anon-vma], ksm: true}\n" + steps, true},
		{"expect map", "title: T\nkernels: [2.6.34, 2.6.36]\nsteps:\n  - do: spawn P\n    expect:\n      all: [clean]\n      2.6.36: clean\n", true},
		{"show and tags", "title: T\nkernel: 2.6.34\ntags: [fork, 2010]\nshow: {pages: false, only: [P, C1..C3], collapse: C2..C3}\n" + steps, true},
		{"narration only", "title: T\nkernel: 2.6.34\nsteps:\n  - say: hello\n", true},
		{"model 6.18 and zram", "title: T\nkernels: [6.0, 6.18]\nswap_device: zram\n" + steps, true},
		{"swap file", "title: T\nkernel: 6.18\nswap_device: file\n" + steps, true},
		{"mremap and madvise", "title: T\nkernel: 6.18\nsteps:\n  - do: [spawn P, mmap P heap 2, mremap P:heap 3 at 0x400, madvise P:heap dontneed]\n", true},
		{"the live kernel beside a model", "title: T\nkernels: [6.18, live]\nsteps:\n  - do: spawn P\n    expect:\n      live: [clean]\n", true},
		{"live as a custom kernel's base", "title: T\nkernel: {name: x, base: live}\n" + steps, false},
		{"unknown swap device", "title: T\nkernel: 6.18\nswap_device: floppy\n" + steps, false},
		{"no title", "kernel: 2.6.34\n" + steps, false},
		{"blank title", "title: ' '\nkernel: 2.6.34\n" + steps, false},
		{"no kernel", "title: T\n" + steps, false},
		{"kernel and kernels", "title: T\nkernel: 2.6.34\nkernels: [2.6.36]\n" + steps, false},
		{"unknown model", "title: T\nkernel: 2.6.35\n" + steps, false},
		{"unknown fix", "title: T\nkernel: {name: x, base: 2.6.34, fixes: [nope]}\n" + steps, false},
		{"custom kernel without base", "title: T\nkernel: {name: x}\n" + steps, false},
		{"custom kernel named all", "title: T\nkernel: {name: all, base: 2.6.34}\n" + steps, false},
		{"unknown top key", "title: T\nkernel: 2.6.34\nauthor: me\n" + steps, false},
		{"no steps", "title: T\nkernel: 2.6.34\n", false},
		{"empty steps", "title: T\nkernel: 2.6.34\nsteps: []\n", false},
		{"unknown step key", "title: T\nkernel: 2.6.34\nsteps:\n  - do: spawn P\n    see: x\n", false},
		{"unknown event", "title: T\nkernel: 2.6.34\nsteps:\n  - do: frok P C\n", false},
		{"show pages not boolean", "title: T\nkernel: 2.6.34\nshow: {pages: lots}\n" + steps, false},
		{"unknown show option", "title: T\nkernel: 2.6.34\nshow: {colour: red}\n" + steps, false},
		{"bad process name", "title: T\nkernel: 2.6.34\nshow: {only: [1P]}\n" + steps, false},
		{"expectation not text", "title: T\nkernel: 2.6.34\nsteps:\n  - do: spawn P\n    expect: [{a: b}]\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := vd.validate(root, yamlAsJSON(t, []byte(tt.src)), "story")
			if (msg == "") != tt.valid {
				t.Errorf("schema: valid = %v, want %v (%s)", msg == "", tt.valid, msg)
			}
			_, err := story.Parse("t.yaml", []byte(tt.src))
			if (err == nil) != tt.valid {
				t.Errorf("parser: valid = %v, want %v (%v)", err == nil, tt.valid, err)
			}
		})
	}
}

// TestSchemaEnums checks that the schema lists every model, fix and event
// the parser knows, and only those.
func TestSchemaEnums(t *testing.T) {
	s := Story()
	defs := s["$defs"].(Obj)
	models := defs["kernel"].(Obj)["anyOf"].([]Obj)[0]["enum"].([]any)
	for _, name := range engine.ModelNames() {
		if !slices.Contains(models, any(name)) {
			t.Errorf("model %s is not in the schema", name)
		}
	}
	for _, m := range models {
		if _, err := engine.Lookup(fmt.Sprint(m)); err != nil {
			t.Errorf("the schema lists model %v, which the engine does not know: %v", m, err)
		}
	}
	fix := defs["customKernel"].(Obj)["properties"].(Obj)["fixes"].(Obj)["anyOf"].([]Obj)[0]["enum"].([]string)
	if len(fix) != len(engine.Fixes()) {
		t.Errorf("the schema lists %d fixes, the engine %d", len(fix), len(engine.Fixes()))
	}
	for _, op := range engine.Ops() {
		src := "title: T\nkernel: 2.6.34\nsteps:\n  - do: " + op.String() + "\n"
		if _, err := story.Parse("t.yaml", []byte(src)); err != nil && strings.Contains(err.Error(), "unknown event") {
			t.Errorf("the parser does not know event %s, which the schema lists: %v", op, err)
		}
	}
}

// TestSchemaIsDeterministic prints the schema twice.
func TestSchemaIsDeterministic(t *testing.T) {
	a, b := printedSchema(t), printedSchema(t)
	if !bytes.Equal(a, b) {
		t.Error("avdoc schema printed two different schemas")
	}
	if !bytes.Contains(a, []byte(`"https://json-schema.org/draft/2020-12/schema"`)) {
		t.Error("the schema does not say it is draft 2020-12")
	}
}
