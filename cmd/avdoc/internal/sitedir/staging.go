// Package sitedir puts a built site in place of the output directory:
// built beside it in a staging directory, swapped in in one step when
// complete, and only over a directory avdoc built itself (proved by the
// manifest of what avdoc wrote); it removes what killed builds left, and
// nothing it did not make.
package sitedir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/avdoc/avdoc/cmd/avdoc/internal/storyfile"
	"github.com/avdoc/avdoc/site"
)

// StagingPrefix starts the name of the directory a build writes into,
// beside the output, before it takes the output's place.
const StagingPrefix = ".avdoc-build-"

// StagingMarker is the file a build writes into its staging directory
// once it holds the directory's lock, and removes once the site is
// complete: with it, or with a manifest the site matches, a directory
// named .avdoc-build-* is avdoc's to remove when no build holds it. A
// user's own .avdoc-build-* directory, or one just made and not yet
// locked, has neither, and is left alone.
const StagingMarker = ".avdoc-build"

// StagingMarkerText is the StagingMarker's content, checked byte for
// byte.
const StagingMarkerText = "avdoc is building a site in this directory; once no avdoc build runs, `avdoc build` removes it\n"

// Target returns the directory a build into out replaces, as an
// absolute path: out, or, if out is a symbolic link, the directory it
// points to (the link stays as it is). It refuses a directory avdoc did
// not build.
func Target(out string) (string, error) {
	out = filepath.Clean(out)
	if info, err := os.Lstat(out); err == nil && info.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(out)
		if err != nil {
			link, _ := os.Readlink(out)
			if errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("%s is a symbolic link to %s, which does not exist; create it, or choose another -o", out, link)
			}
			return "", fmt.Errorf("%s is a symbolic link to %s: %s", out, link, storyfile.PathProblem(err))
		}
		out = target
	}
	// The staging directory goes beside the output, in its parent: "."
	// has one too.
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	if filepath.Dir(abs) == abs {
		return "", fmt.Errorf("%s is the root directory, which has nothing beside it to build in; choose another -o", out)
	}
	return abs, CheckReplaceable(out)
}

// CheckReplaceable refuses to replace a directory avdoc did not build:
// one that is not empty and is not a site whose manifest lists every
// file in it, unchanged.
func CheckReplaceable(out string) error {
	info, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %s", out, storyfile.PathProblem(err))
	}
	if !info.IsDir() {
		return fmt.Errorf("%s exists and is not a directory; choose another -o", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("%s: %s", out, storyfile.PathProblem(err))
	}
	if len(entries) == 0 {
		return nil
	}
	if err := CheckOwnSite(out); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = fmt.Errorf("it has no %s, the list of the files avdoc wrote", ManifestName)
		}
		return fmt.Errorf("refusing to replace %s: it is not empty and not a site avdoc built as it left it (%v); choose another -o, or empty it", out, err)
	}
	return nil
}

// Staging is a site being built: a new directory beside the output that
// takes the output's place once it is complete, so that the output is
// never half-written. Make one with New.
type Staging struct {
	out, dir string
	lock     *os.File // held while the build runs, so that no other build takes dir for stale
	// mu is held while a file is written and during the swap, and by an
	// interrupt from the moment it arrives: an interrupt never leaves a
	// file half-written or the output half-swapped.
	mu        sync.Mutex
	committed bool
	ended     bool // committed or discarded: nothing more is written

	oldOnce sync.Once
	old     *oldSite // what files may be linked from (see link.go)

	// putMu is held by Put, and by Commit while it takes over what Put
	// wrote: once sealed, Put writes nothing the manifest would miss.
	putMu  sync.Mutex
	put    map[string]string // files written ahead of Commit: their SHA-256 by path
	sealed bool
}

// New returns the staging of a build into the directory out (absolute,
// from Target).
func New(out string) *Staging { return &Staging{out: out} }

// Create makes the directory a build of st.out writes into, first
// removing those of earlier builds that were killed (kill -9) before
// they could clean up.
func (st *Staging) Create() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	parent := filepath.Dir(st.out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	RemoveStale(parent)
	for range 100 {
		dir, lock, err := newStagingDir(parent)
		if err != nil {
			return fmt.Errorf("creating a build directory beside %s: %w", st.out, err)
		}
		if dir != "" {
			st.dir, st.lock = dir, lock
			return nil
		}
	}
	return fmt.Errorf("creating a build directory beside %s: other builds kept removing it", st.out)
}

// newStagingDir makes a staging directory in parent, locks it, and only
// then marks it as avdoc's. Until it is locked, it is empty, and another
// build's clean-up may remove it as a killed build's: then it returns
// no directory and no error, to try again.
func newStagingDir(parent string) (dir string, lock *os.File, err error) {
	dir, err = os.MkdirTemp(parent, StagingPrefix)
	if err != nil {
		return "", nil, err
	}
	lock, err = lockDirWait(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !lockedIsAt(lock, dir)) {
		lock.Close()
		return "", nil, nil
	}
	if err == nil {
		err = mark(dir)
	}
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		lock.Close()
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, lock, nil
}

// RemoveStale removes the staging directories in parent that no running
// build holds and that avdoc made: those of builds that were killed, and
// old sites swapped out. It does nothing where directories cannot be
// locked.
func RemoveStale(parent string) {
	if !DirLocks {
		return
	}
	entries, _ := os.ReadDir(parent) // nothing to remove if it cannot be read
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), StagingPrefix) {
			continue
		}
		path := filepath.Join(parent, e.Name())
		if f, free, err := LockDir(path); err == nil && free {
			if avdocMade(path) || onlyMarking(path) {
				removeOwn(path)
			} else {
				os.Remove(path) // only if empty: a build killed before it could mark it
			}
			f.Close()
		}
	}
}

// markTemp is the name the mark is written under before it is renamed,
// so that a mark is always whole.
const markTemp = StagingMarker + ".tmp"

// mark marks dir as avdoc's, in one step: a build killed while marking
// leaves the whole mark, or only markTemp (see onlyMarking).
func mark(dir string) error {
	tmp := filepath.Join(dir, markTemp)
	if err := os.WriteFile(tmp, []byte(StagingMarkerText), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, StagingMarker))
}

// onlyMarking reports whether dir holds nothing but a mark being
// written: a build killed while it marked its new staging directory.
func onlyMarking(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return false
	}
	for _, e := range entries {
		if e.Name() != markTemp && e.Name() != StagingMarker {
			return false
		}
	}
	return true
}

// removeOwn removes a directory avdoc made, marking it as avdoc's first
// and removing the mark last: a build killed half-way through leaves a
// marked directory (or an empty one), which the next build's RemoveStale
// removes, never a part of a site that no build would claim.
func removeOwn(dir string) error {
	marker := filepath.Join(dir, StagingMarker)
	if err := mark(dir); err != nil {
		return os.RemoveAll(dir)
	}
	entries, err := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != StagingMarker {
			err = errors.Join(err, os.RemoveAll(filepath.Join(dir, e.Name())))
		}
	}
	if err != nil {
		return err
	}
	if err := os.Remove(marker); err != nil {
		return err
	}
	return os.Remove(dir)
}

// avdocMade reports whether avdoc made dir: it holds the staging marker,
// or it is a site avdoc built, untouched.
func avdocMade(dir string) bool {
	if b, err := os.ReadFile(filepath.Join(dir, StagingMarker)); err == nil {
		return bytes.Equal(b, []byte(StagingMarkerText))
	}
	return CheckOwnSite(dir) == nil
}

// ExitOnInterrupt makes SIGINT and SIGTERM remove the staging directory
// and end avdoc with code, after saying so with report. It returns
// the function that stops listening.
func (st *Staging) ExitOnInterrupt(code int, report func(sig os.Signal, committed bool)) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			st.mu.Lock() // never released: avdoc ends here
			if st.dir != "" && !st.committed {
				removeOwn(st.dir)
			}
			report(sig, st.committed)
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// Put writes f into the staging directory ahead of Commit, as soon as it
// is known, so that writing overlaps with making the rest of the site.
// Commit keeps it if it is among its files, unchanged, and removes it
// otherwise. Put is safe for concurrent use.
func (st *Staging) Put(f site.File) error {
	fsum := sum(f.Data)
	st.putMu.Lock()
	defer st.putMu.Unlock()
	if st.sealed {
		return errors.New("writing " + f.Path + ": the site is being committed")
	}
	if err := st.write(f, fsum, st.oldSite()); err != nil {
		return err
	}
	if st.put == nil {
		st.put = map[string]string{}
	}
	st.put[f.Path] = fsum
	return nil
}

// PutDiagrams returns what Puts the diagrams of each story drawn (see
// [site.Diagrams]) ahead of Commit, best effort (Commit writes any it
// could not), within lim: since a build writes nothing past the site's
// limits, a story whose diagrams are past the page limit, or would take
// those Put past the site limit, is left to Commit, which checks them.
func (st *Staging) PutDiagrams(lim site.Limits) func(site.Story) {
	page, whole := lim.Bytes()
	var mu sync.Mutex
	var total int64
	return func(s site.Story) {
		files := site.Diagrams(s)
		var n int64
		for _, f := range files {
			n += int64(len(f.Data))
		}
		mu.Lock()
		ok := n <= page && total+n <= whole
		if ok {
			total += n
		}
		mu.Unlock()
		for i := 0; ok && i < len(files); i++ {
			st.Put(files[i])
		}
	}
}

// oldSite is what the output holds that files may be linked from, read
// once.
func (st *Staging) oldSite() *oldSite {
	st.oldOnce.Do(func() { st.old = readOld(st.out) })
	return st.old
}

// Commit writes files and their manifest into the staging directory and
// swaps it in for the output. Files the output holds already, unchanged,
// are linked rather than written (see link.go); files Put wrote are kept
// if among files, unchanged, and removed otherwise.
func (st *Staging) Commit(files []site.File) error {
	fsums := sums(files)
	if err := st.writeAll(files, fsums); err != nil {
		return err
	}
	if err := st.write(site.File{Path: ManifestName, Data: manifest(files, fsums)}, "", nil); err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.ended = true
	// Complete now: its manifest makes it avdoc's to remove, should this
	// build be killed before the swap.
	if err := os.Remove(filepath.Join(st.dir, StagingMarker)); err != nil {
		return err
	}
	swapped, err := Replace(st.dir, st.out)
	st.committed = swapped
	return err
}

// writeAll writes the files Put did not write as they are, and removes
// those it wrote that are not among files. It writes one file at a time:
// two threads creating files took longer here than one (ext4).
func (st *Staging) writeAll(files []site.File, sums []string) error {
	st.putMu.Lock()
	put := st.put
	st.put, st.sealed = nil, true
	st.putMu.Unlock()
	for i, f := range files {
		s, ok := put[f.Path]
		delete(put, f.Path)
		if ok && s == sums[i] {
			continue
		}
		if err := st.write(f, sums[i], st.oldSite()); err != nil {
			return err
		}
	}
	var errs []error
	for p := range put {
		errs = append(errs, st.unput(p))
	}
	return errors.Join(errs...)
}

// unput removes the file Put wrote at p, and the directories it leaves
// empty: the manifest lists files only.
func (st *Staging) unput(p string) error {
	if err := os.Remove(filepath.Join(st.dir, filepath.FromSlash(p))); err != nil {
		return err
	}
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		if os.Remove(filepath.Join(st.dir, filepath.FromSlash(d))) != nil {
			break // not empty
		}
	}
	return nil
}

// write puts f, whose SHA-256 is fsum, into the staging directory:
// linked from old if that holds it (old may be nil), else written.
func (st *Staging) write(f site.File, fsum string, old *oldSite) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.dir == "" || st.ended {
		return errors.New("writing " + f.Path + ": the site's staging directory is gone")
	}
	if old != nil && filepath.IsLocal(filepath.FromSlash(f.Path)) && old.link(st.dir, f, fsum) {
		return nil
	}
	return WriteFile(st.dir, f)
}

// Discard removes the staging directory unless it became the output, and
// lets go of its lock.
func (st *Staging) Discard() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.ended = true
	if !st.committed {
		removeOwn(st.dir)
	}
	st.lock.Close()
}

// WriteFile writes one site file below root, refusing any path that would
// land outside it. It always makes a new file, never writing into one
// that is there (which may be linked from an old site).
func WriteFile(root string, f site.File) error {
	rel := filepath.FromSlash(f.Path)
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("site file %q would be written outside the site", f.Path)
	}
	path := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return newFile(path, f.Data)
}

// Replace puts the complete site dir in out's place in one step, and
// removes the site it replaced: at every moment out is a complete site,
// the old or the new. It checks, holding out's lock, that out is still
// a site avdoc built, and reports whether the new site is in place.
func Replace(dir, out string) (swapped bool, err error) {
	lock, exists, err := lockOutput(out)
	if err != nil {
		return false, err
	}
	defer lock.Close()
	if err := CheckReplaceable(out); err != nil {
		return false, err
	}
	if !exists {
		if err := os.Rename(dir, out); err != nil {
			return false, fmt.Errorf("moving the new site into place: %w", err)
		}
		return true, nil
	}
	if err := exchange(dir, out); err != nil {
		return false, fmt.Errorf("swapping the new site in for %s: %w", out, err)
	}
	// dir is the old site now, locked until it is gone.
	if err := removeOwn(dir); err != nil {
		return true, fmt.Errorf("removing the old site: %w", err)
	}
	return true, nil
}

// lockOutput locks the directory out, waiting for a build that holds it
// (one swapping its site in) to finish, and reports whether it exists.
// If another build swapped its site in meanwhile, it locks that one.
func lockOutput(out string) (lock *os.File, exists bool, err error) {
	for range 100 {
		lock, err := lockDirWait(out)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("locking %s: %w", out, err)
		}
		if lockedIsAt(lock, out) {
			return lock, true, nil
		}
		lock.Close()
	}
	return nil, false, fmt.Errorf("other avdoc builds keep replacing %s; try again", out)
}

// lockedIsAt reports whether the directory lock holds open is the one at
// path now (always, where directories are not locked).
func lockedIsAt(lock *os.File, path string) bool {
	if lock == nil {
		return true
	}
	a, err1 := lock.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// exchangeByRenames swaps dir and out, both directories, with three
// renames, where the system cannot exchange them in one step: out moves
// aside, dir takes its place, and the old site takes dir's name. A build
// killed between the first two leaves no out, and the old site under a
// name (.avdoc-old-*) that avdoc never removes: the last complete site
// is never deleted.
func exchangeByRenames(dir, out string) error {
	aside := filepath.Join(filepath.Dir(out), ".avdoc-old-"+strings.TrimPrefix(filepath.Base(dir), StagingPrefix))
	if err := os.Rename(out, aside); err != nil {
		return err
	}
	if err := os.Rename(dir, out); err != nil {
		os.Rename(aside, out)
		return err
	}
	return os.Rename(aside, dir)
}
