package site

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"github.com/avdoc/avdoc/internal/fsname"
)

// validate reports every inconsistency of s at once, joined into one error.
func validate(s Site) error {
	var errs []error
	seen := map[string]int{} // slug → 1-based story number; only looked up, never ranged over
	for i, st := range s.Stories {
		where := fmt.Sprintf("story %d (slug %q)", i+1, st.Slug)
		if first, dup := seen[st.Slug]; dup && st.Slug != "" {
			errs = append(errs, fmt.Errorf("%s: duplicate slug, story %d has it too", where, first))
		}
		seen[st.Slug] = i + 1
		for _, err := range validateStory(st) {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
	}
	errs = append(errs, checkModels(s.Models)...)
	errs = append(errs, checkKeys(s)...)
	return errors.Join(errs...)
}

// checkModels requires a name of every model, and names that stay distinct as file names.
func checkModels(models []Model) []error {
	var errs []error
	files := map[string]string{} // file-name form → model name; only looked up
	for i, m := range models {
		if strings.TrimSpace(m.Name) == "" {
			errs = append(errs, fmt.Errorf("model %d: empty name", i+1))
			continue
		}
		f := fileSafe(m.Name)
		if other, dup := files[f]; dup {
			errs = append(errs, fmt.Errorf("models %q and %q would share the page %s", other, m.Name, modelPath(m.Name)))
		}
		files[f] = m.Name
	}
	return errs
}

// validateStory checks one story on its own.
func validateStory(st Story) []error {
	var errs []error
	if err := checkSlug(st.Slug); err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(st.Title) == "" {
		errs = append(errs, errors.New("empty title"))
	}
	errs = append(errs, checkKernels(st.Kernels)...)
	if st.KernelInfo != nil && len(st.KernelInfo) != len(st.Kernels) {
		errs = append(errs, fmt.Errorf("%d kernel infos for %d kernels (want one per kernel, or none)",
			len(st.KernelInfo), len(st.Kernels)))
	}
	for i, step := range st.Steps {
		for _, err := range checkFrames(st.Kernels, step.Frames) {
			errs = append(errs, fmt.Errorf("step %d: %w", i+1, err))
		}
	}
	return errs
}

// checkSlug accepts a non-empty string of lower-case letters, digits and hyphens.
func checkSlug(slug string) error {
	if slug == "" {
		return errors.New("empty slug (want lower-case letters, digits and '-')")
	}
	for _, r := range slug {
		if !isSlugRune(r) {
			return fmt.Errorf("slug may hold only lower-case letters, digits and '-', not %q", r)
		}
	}
	return nil
}

func isSlugRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-'
}

// checkKernels requires at least one kernel and distinct names, also after they are
// turned into file names.
func checkKernels(kernels []string) []error {
	if len(kernels) == 0 {
		return []error{errors.New("no kernels (want at least one model name)")}
	}
	var errs []error
	files := map[string]string{} // file-name form → kernel name; only looked up
	for _, k := range kernels {
		if strings.TrimSpace(k) == "" {
			errs = append(errs, errors.New("empty kernel name"))
			continue
		}
		f := fileSafe(k)
		if other, dup := files[f]; dup {
			errs = append(errs, fmt.Errorf("kernels %q and %q would share the diagram file name %q", other, k, f))
		}
		files[f] = k
	}
	return errs
}

// checkFrames requires one frame per kernel, in the story's order, each holding an SVG
// document or nothing.
func checkFrames(kernels []string, frames []Frame) []error {
	if len(frames) != len(kernels) {
		return []error{fmt.Errorf("%d frames for %d kernels (want one frame per kernel: %s)",
			len(frames), len(kernels), strings.Join(kernels, ", "))}
	}
	var errs []error
	for i, f := range frames {
		if f.Kernel != kernels[i] {
			errs = append(errs, fmt.Errorf("frame %d is for kernel %q, want %q (frames follow the story's kernel order)",
				i+1, f.Kernel, kernels[i]))
		}
		if err := checkSVG(f.SVG); err != nil {
			errs = append(errs, fmt.Errorf("frame %d (%s): %w", i+1, f.Kernel, err))
		}
	}
	return errs
}

// checkSVG accepts empty data (no diagram) or XML whose root element is <svg>.
func checkSVG(data []byte) error {
	if len(data) == 0 {
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("diagram is not an SVG document: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok {
			if el.Name.Local != "svg" {
				return fmt.Errorf("diagram is not an SVG document: root element is <%s>", el.Name.Local)
			}
			return nil
		}
	}
}

// fileSafe maps every byte outside [A-Za-z0-9._-] to '_', so that any kernel name
// becomes a harmless file-name part. The story parser refuses kernels whose names
// it would map to one file name (see fsname.Key).
func fileSafe(s string) string { return fsname.Part(s) }

// checkKeys checks every key entry of every frame (see [checkKey]).
func checkKeys(s Site) []error {
	var errs []error
	seen := map[string]KeyEntry{} // class → its entry; only looked up
	for i, st := range s.Stories {
		for _, e := range pageKey(st) {
			if err := checkKey(e, seen); err != nil {
				errs = append(errs, fmt.Errorf("story %d (slug %q): %w", i+1, st.Slug, err))
			}
		}
	}
	return errs
}
