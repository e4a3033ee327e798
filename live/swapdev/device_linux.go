package swapdev

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Device is a swap device that avdoc sets up and tears down. Its methods
// may be called from any goroutine.
type Device struct {
	kind Kind
	dir  string // where a swap file's directory goes

	mu       sync.Mutex
	path     string // /dev/zramN or the swap file
	zram     int    // N of /dev/zramN, -1 for a file
	claimed  bool   // avdoc set the zram device's disksize: it may reset it
	hotAdded bool   // avdoc added the zram device: it may remove it
	tmpDir   string // the swap file's directory, which avdoc created
	on       bool   // avdoc swapped it on: it may swap it off
	cleaned  []string
}

// New returns a device of kind kind, not yet set up. A swap file goes in
// a new directory under dir ("" for os.TempDir()), which must be on a
// file system that takes swap files (ext4, xfs, btrfs; not tmpfs).
func New(kind Kind, dir string) *Device {
	if dir == "" {
		dir = os.TempDir()
	}
	return &Device{kind: kind, dir: dir, zram: -1}
}

// swapPrio is the priority the device is swapped on with: the highest,
// so that what a story swaps goes to it even where the machine has swap
// of its own.
const swapPrio = 32767

// The swapon(2) flags (include/linux/swap.h).
const (
	swapFlagPrefer   = 0x8000
	swapFlagPrioMask = 0x7fff
)

// Setup first removes what a killed avdoc left behind (see
// [CleanLeftovers]), then sets the device up and swaps it on. On an
// error, what was set up is torn down.
func (d *Device) Setup() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	cleaned, err := CleanLeftovers(d.dir)
	d.cleaned = cleaned
	if err != nil {
		return fmt.Errorf("removing a swap device a killed avdoc left: %w", err)
	}
	switch d.kind {
	case Zram:
		err = d.setupZram()
	case File:
		err = d.setupFile()
	default:
		err = fmt.Errorf("swap device kind %v: unknown", d.kind)
	}
	if err == nil {
		err = swapon(d.path)
		d.on = err == nil
	}
	if err != nil {
		return errors.Join(fmt.Errorf("setting up a %s swap device: %w", d.kind, err), d.teardown())
	}
	return nil
}

// Path is the device's path: /dev/zramN or the swap file.
func (d *Device) Path() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.path
}

// Kind is the device's kind.
func (d *Device) Kind() Kind { return d.kind }

// Cleaned lists the devices a killed avdoc had left, which Setup removed.
func (d *Device) Cleaned() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cleaned
}

// Close swaps the device off and removes it. It may be called more than
// once.
func (d *Device) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.teardown()
}

// teardown undoes, in reverse, each step of the set-up that happened:
// only those.
func (d *Device) teardown() error {
	var errs []error
	if d.on {
		if err := swapoff(d.path); err != nil {
			return fmt.Errorf("swapoff %s: %w (the device is left as it is)", d.path, err)
		}
		d.on = false
	}
	if d.claimed {
		errs = append(errs, writeSys(fmt.Sprintf("/sys/block/zram%d/reset", d.zram), "1"))
		d.claimed = false
	}
	if d.hotAdded {
		errs = append(errs, writeSys("/sys/class/zram-control/hot_remove", strconv.Itoa(d.zram)))
		d.hotAdded = false
	}
	if d.tmpDir != "" {
		errs = append(errs, os.RemoveAll(d.tmpDir))
		d.tmpDir = ""
	}
	return errors.Join(errs...)
}

// ExitOnInterrupt tears the device down and ends the process on SIGINT
// or SIGTERM, after report, with exit code 128 + the signal's number, as
// a shell reports a process a signal ended. Call stop once the device is
// closed.
func (d *Device) ExitOnInterrupt(report func(sig os.Signal, err error)) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			d.mu.Lock() // never released: the process ends here
			report(sig, d.teardown())
			code := 1
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// setupZram claims a zram device and writes the swap header on it.
func (d *Device) setupZram() error {
	if err := d.claimZram(); err != nil {
		return err
	}
	d.path = fmt.Sprintf("/dev/zram%d", d.zram)
	h, err := newHeader()
	if err != nil {
		return err
	}
	return writeAt(d.path, h, 0)
}

// claimZram sizes zram0, or a zram device it adds if zram0 is in use: the
// kernel refuses (EBUSY) to size a device already sized, so a device
// whose disksize avdoc set is avdoc's.
func (d *Device) claimZram() error {
	size := strconv.Itoa(Size)
	err := writeSys("/sys/block/zram0/disksize", size)
	if err == nil {
		d.zram, d.claimed = 0, true
		return nil
	}
	if !errors.Is(err, unix.EBUSY) && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	b, err := os.ReadFile("/sys/class/zram-control/hot_add")
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("zram is not available on this kernel (no /sys/class/zram-control); try --swap file")
	}
	if err != nil {
		return fmt.Errorf("zram0 is in use, and adding a zram device: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("zram-control/hot_add said %q", b)
	}
	d.zram, d.hotAdded = n, true
	if err := writeSys(fmt.Sprintf("/sys/block/zram%d/disksize", n), size); err != nil {
		return err
	}
	d.claimed = true
	return nil
}

// setupFile writes a swap file, header then zeros (a swap file may have
// no holes), mode 0600, in a new directory.
func (d *Device) setupFile() error {
	dir, err := os.MkdirTemp(d.dir, dirPrefix)
	if err != nil {
		return err
	}
	d.tmpDir = dir
	d.path = filepath.Join(dir, fileName)
	f, err := os.OpenFile(d.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h, err := newHeader()
	if err == nil {
		_, err = f.Write(h)
	}
	zeros := make([]byte, 1<<20)
	for off := len(h); err == nil && off < Size; off += len(zeros) {
		_, err = f.Write(zeros[:min(len(zeros), Size-off)])
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// The swap file's directory (a prefix of os.MkdirTemp) and name.
const (
	dirPrefix = "avdoc-swap-"
	fileName  = "swap"
)

// newHeader is the header of a device of Size bytes with avdoc's mark
// and a random uuid.
func newHeader() ([]byte, error) {
	var uuid [16]byte
	if _, err := rand.Read(uuid[:]); err != nil {
		return nil, err
	}
	uuid[6] = uuid[6]&0x0f | 0x40 // version 4
	uuid[8] = uuid[8]&0x3f | 0x80 // RFC 4122 variant
	ps := os.Getpagesize()
	return Header(ps, Size/ps, uuid, mark(os.Getpid()))
}

// writeAt writes b at off of path and syncs it.
func writeAt(path string, b []byte, off int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteAt(b, off)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// writeSys writes a value to a sysfs attribute.
func writeSys(path, val string) error {
	err := os.WriteFile(path, []byte(val), 0)
	if err != nil {
		return fmt.Errorf("writing %s to %s: %w", val, path, err)
	}
	return nil
}

func swapon(path string) error {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return err
	}
	_, _, e := unix.Syscall(unix.SYS_SWAPON, uintptr(unsafe.Pointer(p)), swapFlagPrefer|swapPrio&swapFlagPrioMask, 0)
	if e != 0 {
		return fmt.Errorf("swapon %s: %w", path, e)
	}
	return nil
}

func swapoff(path string) error {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return err
	}
	if _, _, e := unix.Syscall(unix.SYS_SWAPOFF, uintptr(unsafe.Pointer(p)), 0, 0); e != 0 {
		return e
	}
	return nil
}
