//go:build ((linux && amd64) || (linux && arm64) || (darwin && amd64) || (darwin && arm64) || (windows && amd64)) && !purego

package routed

import "testing"

// TestAddresses: on the routed platforms every function is linked from the
// .syso object, and its address is exposed.
func TestAddresses(t *testing.T) {
	seen := map[uintptr]string{}
	for name, addr := range map[string]uintptr{
		"mix": MixAddr(), "mix_saved": MixSavedAddr(), "sum_u32": SumU32Addr(),
		"tally": TallyAddr(), "hex_digit": HexDigitAddr(), "scale_by": ScaleByAddr(),
		"len_sum": LenSumAddr(), "mul_wide": MulWideAddr(), "split_bits": SplitBitsAddr(),
	} {
		if addr == 0 {
			t.Errorf("%s: address 0", name)
		}
		if other, dup := seen[addr]; dup {
			t.Errorf("%s and %s share address %#x", name, other, addr)
		}
		seen[addr] = name
	}
}
