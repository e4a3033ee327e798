package live

import (
	"errors"
	"fmt"

	"github.com/avdoc/avdoc/engine"
)

// Step runs one story step live, as engine.Machine.Step runs it on a
// model: the events in order, then the observation as a StepResult (see
// [Result]). The first event that fails stops the step: the
// state after the events before it is observed and returned, with an
// [engine.Errors] naming the event, as a model names an event it refuses.
func (s *Session) Step(events []engine.Event, model *engine.Model) (engine.StepResult, error) {
	before := s.ids.last
	refused := s.applyAll(events)
	o, err := s.Observe()
	if err != nil {
		if refused != nil {
			err = errors.Join(refused, err)
		}
		return engine.StepResult{}, err
	}
	s.step++
	r := Result(s.step, events, before, o, model, s.lastViolations)
	s.lastViolations = r.Violations
	if refused != nil {
		return r, refused
	}
	return r, nil
}

// Last returns the session's last observation, or an empty one before
// the first.
func (s *Session) Last() *Observation { return s.ids.last }

// applyAll runs a step's events in order and stops at the first the
// kernel (or the session) refuses: an [engine.Errors] naming it, as a
// model names an event it refuses, or nil.
func (s *Session) applyAll(events []engine.Event) engine.Errors {
	for i, ev := range events {
		if err := s.Apply(ev); err != nil {
			return engine.Errors{refusal(i, ev, err)}
		}
	}
	return nil
}

// refusal is event i's failure as the engine words a refused event.
func refusal(i int, ev engine.Event, err error) *engine.EventError {
	e := &engine.EventError{Event: i, Msg: fmt.Sprintf("the live kernel refused %s: %v", ev, err)}
	switch {
	case !errors.Is(err, ErrNotLive):
	default:
		e.Msg, e.Hint = fmt.Sprintf("%s %v", ev, err), hintOf(err)
	}
	return e
}

// Machine is a Session stepping as a story.Machine does (Step(events),
// Model()), under a model's name: what story.Run needs to run a story
// live where it runs a model.
type Machine struct {
	s     *Session
	model *engine.Model
}

// Machine returns the session as a story machine labelled with model.
func (s *Session) Machine(model *engine.Model) *Machine { return &Machine{s: s, model: model} }

// Step runs one step live (see [Session.Step]).
func (m *Machine) Step(events []engine.Event) (engine.StepResult, error) {
	return m.s.Step(events, m.model)
}

// Model returns the model the machine's states are labelled with.
func (m *Machine) Model() *engine.Model { return m.model }
