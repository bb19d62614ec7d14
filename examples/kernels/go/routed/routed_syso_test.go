//go:build ((linux && amd64) || (linux && arm64) || (darwin && amd64) || (darwin && arm64) || (windows && amd64)) && !purego

package routed

import (
	"math"
	"testing"
	"unsafe"

	"goasm.example/kernels/calln"
)

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

// TestByAddress calls the native functions by address through the call runtime
// the build step wrote next to this package (go/calln), as foreign code would be.
func TestByAddress(t *testing.T) {
	for i := uint64(0); i < 1000; i++ {
		a, b := i*0x9E3779B97F4A7C15, ^i*31
		if g, w := uint64(calln.Call2(MixAddr(), uintptr(a), uintptr(b))), Mix(a, b); g != w {
			t.Fatalf("Call2(mix, %#x, %#x) = %#x, want %#x", a, b, g, w)
		}
	}
	xs := []uint32{1, 2, 3, 1 << 31}
	if g := uint64(calln.Call3(SumU32Addr(), uintptr(unsafe.Pointer(&xs[0])), uintptr(len(xs)), uintptr(cap(xs)))); g != SumU32(xs) {
		t.Fatalf("Call3(sum_u32) = %d, want %d", g, SumU32(xs))
	}
	// scale_by(double x, int16_t k, bool neg): the native prologue narrows k and neg.
	_, f := calln.CallMixed(ScaleByAddr(), 0b001, math.Float64bits(1.5), uint64(0xffff_fffd), 1, 0, 0, 0)
	if w := ScaleBy(1.5, -3, true); f != w || f != 4.5 {
		t.Fatalf("CallMixed(scale_by, 1.5, -3, true) = %v, want %v", f, w)
	}
}
