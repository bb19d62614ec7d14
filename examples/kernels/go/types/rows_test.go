package types

import (
	"math/bits"
	"testing"
	"time"
	"unsafe"
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

func TestTranspose(t *testing.T) {
	m := [2][3]uint32{{1, 2, 3}, {4, 5, 0xffffffff}}
	want := [3][2]uint32{{1, 4}, {2, 5}, {3, 0xffffffff}}
	if got := Transpose(m); got != want {
		t.Errorf("Transpose(%v) = %v, want %v", m, got, want)
	}
}

func TestBools(t *testing.T) {
	for x := 0; x < 256; x++ {
		var want [8]bool
		var n uint32
		for i := range want {
			want[i] = x>>i&1 != 0
			if want[i] {
				n++
			}
		}
		if got, gn := Bools(uint8(x)); got != want || gn != n {
			t.Errorf("Bools(%#x) = %v, %d; want %v, %d", x, got, gn, want, n)
		}
	}
}

func TestAxpy2(t *testing.T) {
	for _, c := range []struct {
		a    float64
		x, y [2]float64
	}{{2, [2]float64{1, -1}, [2]float64{0.5, 3}}, {1e300, [2]float64{1e10, -1e-300}, [2]float64{1, 2}}, {-0.0, [2]float64{0, 1}, [2]float64{-0.0, 0}}} {
		want := [2]float64{float64(c.a*c.x[0]) + c.y[0], float64(c.a*c.x[1]) + c.y[1]}
		if got := Axpy2(c.a, c.x, c.y); got != want {
			t.Errorf("Axpy2(%v, %v, %v) = %v, want %v", c.a, c.x, c.y, got, want)
		}
	}
}

func TestSum2HalvesSplit(t *testing.T) {
	a, b := uint64(1)<<63, uint64(7)
	if got := Sum2([2]*uint64{&a, &b}); got != a+b {
		t.Errorf("Sum2 = %d", got)
	}
	var block [16]uint8
	if got := Halves(&block[0]); got != [2]*uint8{&block[0], &block[8]} {
		t.Errorf("Halves = %v, want %p %p", got, &block[0], &block[8])
	}
	x := [4]uint64{1, 2, 3, ^uint64(0)}
	if lo, hi := Split(x); lo != [2]uint64{1, 2} || hi != [2]uint64{3, ^uint64(0)} {
		t.Errorf("Split(%v) = %v, %v", x, lo, hi)
	}
}

func TestOtherPackagesTypes(t *testing.T) {
	var block [16]byte
	if got, want := Advance(unsafe.Pointer(&block[0]), 9), unsafe.Pointer(&block[9]); got != want {
		t.Errorf("Advance = %p, want %p", got, want)
	}
	// Duration is time.Duration itself.
	if got, want := Later(time.Second, -2*time.Millisecond), 998*time.Millisecond; got != want {
		t.Errorf("Later = %v, want %v", got, want)
	}
	var k Kelvin = Warmer(273, 0xffffffff)
	if k != 272 {
		t.Errorf("Warmer(273, -1 wrapped) = %d, want 272", k)
	}
}
