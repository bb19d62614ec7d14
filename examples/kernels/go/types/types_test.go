package types

import (
	"math"
	"math/rand"
	"testing"
)

func TestWiden(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 1000; i++ {
		a, b, c, d := int8(r.Uint64()), int16(r.Uint64()), int32(r.Uint64()), int64(r.Uint64())
		e, f, g := uint8(r.Uint64()), uint16(r.Uint64()), uint32(r.Uint64())
		want := int64(a) + int64(b) + int64(c) + d + int64(e) + int64(f) + int64(g)
		if got := Widen(a, b, c, d, e, f, g); got != want {
			t.Fatalf("Widen(%d, %d, %d, %d, %d, %d, %d) = %d, want %d", a, b, c, d, e, f, g, got, want)
		}
	}
}

func TestChoose(t *testing.T) {
	for _, c := range []struct {
		flag bool
		a    uintptr
		b    int
	}{{true, 7, -3}, {false, 7, -3}, {true, ^uintptr(0), 1}, {false, 0, math.MinInt32}} {
		want := c.b
		if c.flag {
			want = int(c.a)
		}
		if got := Choose(c.flag, c.a, c.b); got != want {
			t.Errorf("Choose(%v, %d, %d) = %d, want %d", c.flag, c.a, c.b, got, want)
		}
	}
}

func TestIsEven(t *testing.T) {
	for _, x := range []uint64{0, 1, 2, 255, 256, ^uint64(0), 1 << 63} {
		if got, want := IsEven(x), x%2 == 0; got != want {
			t.Errorf("IsEven(%d) = %v, want %v", x, got, want)
		}
	}
}

func TestScale(t *testing.T) {
	for _, c := range [][2]float64{{1.5, 2}, {-3, 0.25}, {1e300, 1e-30}, {0, -1}} {
		x, y := c[0], float32(c[1])
		if got, want := Scale(x, y), x*float64(y); got != want {
			t.Errorf("Scale(%v, %v) = %v, want %v", x, y, got, want)
		}
	}
}

func TestEnds(t *testing.T) {
	a := [4]uint32{7, 1, 2, 0xfffffff0}
	if got, want := Ends(a), a[0]+a[3]; got != want {
		t.Errorf("Ends(%v) = %d, want %d", a, got, want)
	}
}

func TestBump(t *testing.T) {
	for _, v := range []uint32{0, 1, 0x7fffffff, 0x80000000, 0xffffffff} {
		state := [5]uint32{v, 1, 2, 3, ^v}
		grid := [2][4]uint32{{9, 9, 9, 9}, {8, 8, 8, v * 3}}
		want := state
		want[4] += grid[1][3]
		if got := Bump(&state, &grid); got != v || state != want {
			t.Errorf("Bump(%#x): got %#x, state %v, want %#x, %v", v, got, state, v, want)
		}
	}
}

func TestStoreFillOffsetSwap(t *testing.T) {
	var v uint64
	Store(&v, 42)
	if v != 42 {
		t.Errorf("Store: %d", v)
	}
	b := make([]byte, 37)
	if n := Fill(b, 0xab); n != 37 {
		t.Errorf("Fill returned %d", n)
	}
	for i, x := range b {
		if x != 0xab {
			t.Fatalf("Fill: b[%d] = %#x", i, x)
		}
	}
	if n := Fill(nil, 1); n != 0 {
		t.Errorf("Fill(nil) = %d", n)
	}
	arr := [4]uint64{10, 20, 30, 40}
	if p := Offset(&arr[0], 2); p != &arr[2] {
		t.Errorf("Offset: %p, want %p", p, &arr[2])
	}
	x, y := uint64(1), uint64(2)
	Swap(&x, &y)
	if x != 2 || y != 1 {
		t.Errorf("Swap: %d %d", x, y)
	}
}
