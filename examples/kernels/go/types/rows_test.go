package types

import (
	"math/bits"
	"testing"
)

// The rows of issue 15 (types.rs): named results, `_` parameters, arrays by
// value as parameters and results, types of other Go packages.

func TestAddCarry(t *testing.T) {
	for _, c := range []struct {
		a, b uint64
		cin  bool
	}{{0, 0, false}, {1, 2, true}, {^uint64(0), 1, false}, {^uint64(0), 0, true}, {^uint64(0), ^uint64(0), true}, {1 << 63, 1 << 63, false}} {
		var in uint64
		if c.cin {
			in = 1
		}
		ws, wc := bits.Add64(c.a, c.b, in)
		sum, carry := AddCarry(c.a, c.b, c.cin)
		if sum != ws || carry != (wc != 0) {
			t.Errorf("AddCarry(%#x, %#x, %v) = %#x, %v; want %#x, %v", c.a, c.b, c.cin, sum, carry, ws, wc != 0)
		}
	}
}

func TestSecond(t *testing.T) {
	for _, c := range []struct {
		b uint32
		c float64
	}{{0, 0}, {1, 0.5}, {^uint32(0), -1e300}, {1 << 31, 3.25}} {
		if got, want := Second(^uint64(0), c.b, []byte{1, 2}, c.c, true), c.c+float64(c.b); got != want {
			t.Errorf("Second(_, %d, _, %v, _) = %v, want %v", c.b, c.c, got, want)
		}
	}
}
