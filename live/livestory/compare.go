package livestory

import (
	"errors"
	"fmt"
	"io"

	"github.com/avdoc/avdoc/engine"
	"github.com/avdoc/avdoc/live"
	"github.com/avdoc/avdoc/live/swapdev"
	"github.com/avdoc/avdoc/story"
)

// Difference is one way the kernel and the model part after a step, at
// the step's position.
type Difference struct {
	Pos  story.Pos
	Step int // 1-based
	live.Difference
	// Recorded says the kernel differs from the story's recording (see
	// [Recording]), not from the model.
	Recorded bool
}

func (d Difference) String() string {
	if d.Recorded {
		return fmt.Sprintf("%s: step %d: %s: the recording says %s; the kernel shows %s", d.Pos, d.Step, d.What, d.Model, d.Kernel)
	}
	return fmt.Sprintf("%s: step %d: %s", d.Pos, d.Step, d.Difference)
}

// Comparison is a story run on the running kernel and under a model.
type Comparison struct {
	Release     string // the kernel's (uname -r)
	Differences []Difference
}

// Compare runs story s on the running kernel and under model side by
// side, and lists after each step how the model's state differs from the
// kernel's (see [live.Compare]). Swap events run on a swap device of
// kind swap that the caller set up (see live/swapdev), and the model
// swaps to the same kind of device, whatever the story's swap_device
// says. A story with a recording is compared with it too, step by step
// ([Difference.Recorded]). An event the kernel refuses but the model runs is a difference,
// and the last compared. A story the model refuses, or one with swap
// events and no device (swap 0), is an error that names the events'
// positions ([story.ErrorList]); a kernel that cannot be read here gives
// a *kread.UnavailableError.
func Compare(s *story.Story, model engine.Model, swap swapdev.Kind) (*Comparison, error) {
	if err := needsSwap(s, swap != 0); err != nil {
		return nil, err
	}
	if swap != 0 {
		model.Swap = swapModel(swap)
	}
	lm := story.LiveModel()
	var rec story.Machine
	if r, err := LoadRecording(s.File); err != nil {
		return nil, err
	} else if r != nil {
		rec = r.Replay(&lm, s.File)
	}
	k, err := open(&lm, swap)
	if err != nil {
		return nil, err
	}
	cmp, err := compareSteps(s, engine.New(model), k, rec)
	return cmp, errors.Join(err, k.(io.Closer).Close())
}

// compareSteps steps the model m and the kernel k through the story, and
// the recording rec where it is not nil.
func compareSteps(s *story.Story, m, k, rec story.Machine) (*Comparison, error) {
	out := &Comparison{Release: k.(interface{ Release() string }).Release()}
	for i := range s.Steps {
		st := &s.Steps[i]
		events := stepEvents(st)
		mr, err := m.Step(events)
		if err != nil {
			return nil, positioned(st, err)
		}
		kr, err := k.Step(events)
		var refused engine.Errors
		if errors.As(err, &refused) {
			ev := &st.Events[refused[0].Event]
			out.Differences = append(out.Differences, Difference{Pos: ev.Pos, Step: i + 1,
				Difference: live.Difference{What: ev.Text, Model: "it runs", Kernel: refused[0].Error()}})
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: step %d: %w", st.Pos, i+1, err)
		}
		for _, d := range live.Compare(&mr.State, &kr.State) {
			out.Differences = append(out.Differences, Difference{Pos: st.Pos, Step: i + 1, Difference: d})
		}
		if rec == nil {
			continue
		}
		rr, err := rec.Step(events)
		if err != nil {
			return nil, err
		}
		for _, d := range live.Compare(&rr.State, &kr.State) {
			out.Differences = append(out.Differences, Difference{Pos: st.Pos, Step: i + 1, Difference: d, Recorded: true})
		}
	}
	return out, nil
}

// swapModel is the engine's name for a kind of swap device.
func swapModel(k swapdev.Kind) engine.SwapDevice {
	if k == swapdev.Zram {
		return engine.SwapZram
	}
	return engine.SwapFile
}

// positioned gives the model's refusals of a step's events the events'
// positions, as a story run does.
func positioned(st *story.Step, err error) error {
	var refused engine.Errors
	if !errors.As(err, &refused) {
		return err
	}
	var out story.ErrorList
	for _, e := range refused {
		out = append(out, &story.Error{Pos: st.Events[e.Event].PosOf(e.Field), Msg: e.Msg, Hint: e.Hint})
	}
	return out.Err()
}

// needsSwap refuses a story with hibernation events, or with swap events
// unless a swap device is on: the live kernel runs them only with a swap
// device that avdoc sets up (`--swap zram|file`).
func needsSwap(s *story.Story, on bool) error {
	var out story.ErrorList
	for _, st := range s.Steps {
		for _, ev := range st.Events {
			switch {
			case ev.Op == engine.OpHibernate:
				out.Add(ev.Pos, "run this story under a model only", "%s cannot run on the live kernel: hibernation never runs live", ev.Text)
			case on:
			case ev.Op == engine.OpSwapout, ev.Op == engine.OpEvict, ev.Op == engine.OpMadvise && ev.Advice == engine.AdvicePageout:
				out.Add(ev.Pos, "run it with `avdoc live --swap zram` or `--swap file`, or under a model only",
					"%s cannot run on the live kernel: swap events need `--swap zram|file`", ev.Text)
			}
		}
	}
	return out.Err()
}
