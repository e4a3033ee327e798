// Package story reads avdoc stories (story-format v1: YAML files naming
// kernel models, steps of events, narration and expectations) into a typed
// form, and runs them, kernel by kernel, on a [Machine]: the engine's model
// of the kernel ([Simulate]), or a real kernel observed running the same
// events. Every expectation is checked against the states it reports.
//
// Every problem in a file is reported, each with its file:line:col and,
// where one helps, a hint. No input makes the parser panic or hang, and
// [Limits] bound the time and memory a story's simulation may take.
package story

import "github.com/avdoc/avdoc/engine"

// Story is a parsed story file.
type Story struct {
	File    string // the path it was read from, as given
	Title   string
	Summary string // Markdown
	Kernels []Kernel
	Tags    []string
	Intro   string // Markdown
	Outro   string // Markdown
	Show    Show   // the default display options
	Steps   []Step
	// SwapDevice is the machine's swap device (`swap_device:`), a swap
	// file unless the story says zram.
	SwapDevice engine.SwapDevice
}

// Kernel is one model a story runs, with the position that named it.
type Kernel struct {
	Model engine.Model
	Pos   Pos
	// Live is set for `kernel: live`: the running kernel, observed, not
	// simulated. Its Model is the newest model renamed `live`, which labels
	// its states and decides what its expectations may ask.
	Live bool
	// Release is the live kernel's release (uname -r), set once a
	// machine ran it; empty for a model.
	Release string
}

// LiveKernel is the name that stands for the running kernel.
const LiveKernel = "live"

// Label is the kernel's name as a reader sees it: the model's name, or
// for the live kernel `live (6.18.44)` once its release is known.
func (k Kernel) Label() string {
	if k.Live && k.Release != "" {
		return k.Model.Name + " (" + k.Release + ")"
	}
	return k.Model.Name
}

// Step is one step of a story: events applied together, one diagram.
type Step struct {
	Pos    Pos // the step's first key
	Events []Event
	Say    string // Markdown
	Expect []Expectation
	Show   Show
}

// Event is an engine event with where it was written.
type Event struct {
	engine.Event
	Text   string // the event as written, for one name-range event the whole text
	Pos    Pos
	fields map[engine.Field]Pos
}

// PosOf returns the position of one field of the event, or of the event
// itself if the field was not written.
func (e *Event) PosOf(f engine.Field) Pos {
	if p, ok := e.fields[f]; ok {
		return p
	}
	return e.Pos
}

// Expectation is one line of a step's expect list.
type Expectation struct {
	Kernel string // the kernel it is for, or "" for every kernel
	Text   string // as written
	Pos    Pos
	Expr   Expr
}

// Show holds the display options of story-format v1. Nil pointers mean
// "not set here": a step inherits the story's setting, and the story the
// default.
type Show struct {
	Pages    *bool
	PTEs     *bool
	Swap     *bool
	Only     []string
	Collapse []string
}

// merge returns s with every option set in o overriding it.
func (s Show) merge(o Show) Show {
	if o.Pages != nil {
		s.Pages = o.Pages
	}
	if o.PTEs != nil {
		s.PTEs = o.PTEs
	}
	if o.Swap != nil {
		s.Swap = o.Swap
	}
	if o.Only != nil {
		s.Only = o.Only
	}
	if o.Collapse != nil {
		s.Collapse = o.Collapse
	}
	return s
}

// KernelNames returns the names of the story's kernels, primary first.
func (s *Story) KernelNames() []string {
	out := make([]string, len(s.Kernels))
	for i, k := range s.Kernels {
		out[i] = k.Model.Name
	}
	return out
}
