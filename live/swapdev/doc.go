// Package swapdev sets up a small swap device for a live run, a zram
// device or a swap file, and tears it down again, touching nothing it did
// not create.
//
// A device is avdoc's when its swap header carries avdoc's mark: the
// volume label "avdoc:PID", PID being the process that set it up. The
// header is written here (see [Header]), not by mkswap(8), so that avdoc
// needs no tool besides itself and the mark is always there.
//
// Teardown (swapoff, a zram reset and hot_remove, removing the swap file)
// runs on Close, and on SIGINT or SIGTERM while [Device.ExitOnInterrupt]
// listens. SIGKILL cannot be caught: a device left behind by a killed
// avdoc is swapped off and removed by the next set-up ([CleanLeftovers]),
// which touches only devices with avdoc's mark whose process is gone.
package swapdev
