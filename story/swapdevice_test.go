package story

import (
	"testing"

	"github.com/avdoc/avdoc/engine"
)

// TestSwapDevice: `swap_device:` sets the swap device of every kernel the
// story runs, wherever the key stands; a story without it swaps to a file.
func TestSwapDevice(t *testing.T) {
	const steps = "steps:\n  - do: spawn P\n"
	for _, tt := range []struct {
		name, src string
		want      engine.SwapDevice
	}{
		{"default", "title: T\nkernels: [6.0, 6.18]\n" + steps, engine.SwapFile},
		{"file", "title: T\nswap_device: file\nkernels: [6.0, 6.18]\n" + steps, engine.SwapFile},
		{"zram before kernels", "title: T\nswap_device: zram\nkernels: [6.0, 6.18]\n" + steps, engine.SwapZram},
		{"zram after kernels", "title: T\nkernels: [6.0, 6.18]\nswap_device: zram\n" + steps, engine.SwapZram},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if s.SwapDevice != tt.want {
				t.Errorf("story swap device %v, want %v", s.SwapDevice, tt.want)
			}
			for _, k := range s.Kernels {
				if k.Model.Swap != tt.want {
					t.Errorf("kernel %s swaps to %v, want %v", k.Model.Name, k.Model.Swap, tt.want)
				}
			}
		})
	}
}
