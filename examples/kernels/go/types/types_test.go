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

// Structs and complex numbers by value: every field reaches the body, at the
// offsets go vet checks, with corner values.
func TestStructsByValue(t *testing.T) {
	r := rand.New(rand.NewSource(15))
	for i := 0; i < 1000; i++ {
		p := Pair{A: uint32(r.Uint64()), B: uint32(r.Uint64())}
		if i == 0 {
			p = Pair{A: 1, B: 0}
		}
		if got, want := Span(p), p.B-p.A; got != want {
			t.Fatalf("Span(%+v) = %d, want %d", p, got, want)
		}
		m := Mixed{Flag: r.Intn(2) == 0, K: int16(r.Uint64()), X: float32(r.NormFloat64()), Y: r.NormFloat64()}
		if i == 1 {
			m = Mixed{Flag: true, K: math.MinInt16, X: -0.5, Y: math.Inf(1)}
		}
		wantK := int64(m.K)
		if m.Flag {
			wantK++
		}
		if k, f := Weigh(m); k != wantK || f != float64(m.X)+m.Y {
			t.Fatalf("Weigh(%+v) = %d, %v; want %d, %v", m, k, f, wantK, float64(m.X)+m.Y)
		}
		v := Vec2{X: float32(r.NormFloat64()), Y: float32(r.NormFloat64())}
		if got, want := Norm2(v), float32(v.X*v.X)+float32(v.Y*v.Y); got != want {
			t.Fatalf("Norm2(%+v) = %v, want %v", v, got, want)
		}
		b := Big{A: r.Uint64(), B: r.Uint64(), C: r.Uint64(), D: int8(r.Uint64())}
		extra := r.Uint64()
		if got, want := BigSum(b, extra), extra+b.A+b.B+b.C+uint64(b.D); got != want {
			t.Fatalf("BigSum(%+v, %d) = %d, want %d", b, extra, got, want)
		}
		a, c := complex(r.NormFloat64(), r.NormFloat64()), complex(r.NormFloat64(), r.NormFloat64())
		// The body computes re = ar*br - ai*bi, im = ar*bi + ai*br, unfused
		// (an explicit conversion keeps Go from fusing on arm64).
		wantRe := float64(real(a)*real(c)) - float64(imag(a)*imag(c))
		wantIm := float64(real(a)*imag(c)) + float64(imag(a)*real(c))
		if re, im := Cmul(a, c); re != wantRe || im != wantIm {
			t.Fatalf("Cmul(%v, %v) = %v, %v; want %v, %v", a, c, re, im, wantRe, wantIm)
		}
		z := complex64(complex(r.NormFloat64(), r.NormFloat64()))
		if got, want := Cabs2(z), float32(real(z)*real(z))+float32(imag(z)*imag(z)); got != want {
			t.Fatalf("Cabs2(%v) = %v, want %v", z, got, want)
		}
	}
}

// Structs and complex numbers as results: every field back at the offsets go
// vet checks (ret_A, ret_real).
func TestStructResults(t *testing.T) {
	r := rand.New(rand.NewSource(16))
	for i := 0; i < 1000; i++ {
		p := Pair{A: uint32(r.Uint64()), B: uint32(r.Uint64())}
		if got, want := Swapped(p), (Pair{A: p.B, B: p.A}); got != want {
			t.Fatalf("Swapped(%+v) = %+v, want %+v", p, got, want)
		}
		a := Vec2{X: float32(r.NormFloat64()), Y: float32(r.NormFloat64())}
		b := Vec2{X: float32(r.NormFloat64()), Y: float32(r.NormFloat64())}
		if got, want := Midpoint(a, b), (Vec2{X: (a.X + b.X) * 0.5, Y: (a.Y + b.Y) * 0.5}); got != want {
			t.Fatalf("Midpoint(%+v, %+v) = %+v, want %+v", a, b, got, want)
		}
		m := Mixed{Flag: r.Intn(2) == 0, K: int16(r.Uint64()), X: float32(r.NormFloat64()), Y: r.NormFloat64()}
		if i == 0 {
			m.K = math.MaxInt16
		}
		if got, want := Nudged(m), (Mixed{Flag: m.Flag, K: m.K + 1, X: m.X, Y: m.Y + m.Y}); got != want {
			t.Fatalf("Nudged(%+v) = %+v, want %+v", m, got, want)
		}
		g := Big{A: r.Uint64(), B: r.Uint64(), C: r.Uint64(), D: int8(r.Uint64())}
		if i == 1 {
			g.D = math.MinInt8
		}
		if got, want := Rotated(g), (Big{A: g.C, B: g.A, C: g.B, D: -g.D}); got != want {
			t.Fatalf("Rotated(%+v) = %+v, want %+v", g, got, want)
		}
		c := complex(r.NormFloat64(), r.NormFloat64())
		if i == 2 {
			c = complex(0, 0)
		}
		got := Conj(c)
		if want := complex(real(c), -imag(c)); math.Float64bits(real(got)) != math.Float64bits(real(want)) || math.Float64bits(imag(got)) != math.Float64bits(imag(want)) {
			t.Fatalf("Conj(%v) = %v, want %v", c, got, want)
		}
		z, k := complex64(complex(r.NormFloat64(), r.NormFloat64())), float32(r.NormFloat64())
		if got, want := Cscale(z, k), complex(real(z)*k, imag(z)*k); got != want {
			t.Fatalf("Cscale(%v, %v) = %v, want %v", z, k, got, want)
		}
	}
}

// Nested structs, array fields (of float32s and of structs) and a pointer field,
// in a struct by value and back.
func TestNestedFields(t *testing.T) {
	r := rand.New(rand.NewSource(17))
	for i := 0; i < 1000; i++ {
		cell := r.Uint64()
		o := Outer{
			Tag:   uint8(r.Uint64()),
			Inner: Inner{Lo: int32(r.Uint64()), Hi: int32(r.Uint64())},
			W:     [3]float32{float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64())},
			Pts:   [2]Inner{{Lo: int32(r.Uint64()), Hi: -1}, {Lo: 5, Hi: int32(r.Uint64())}},
			P:     &cell,
		}
		wantS := int64(o.Tag) + int64(o.Inner.Lo) + int64(o.Inner.Hi) + int64(o.Pts[0].Lo) + int64(o.Pts[1].Hi) + int64(cell)
		wantW := o.W[0] + o.W[1] + o.W[2]
		if s, w := Tally(o); s != wantS || w != wantW {
			t.Fatalf("Tally(%+v) = %d, %v; want %d, %v", o, s, w, wantS, wantW)
		}
		q := Quad{V: [4]float32{float32(r.NormFloat64()), float32(r.NormFloat64()), -0.0, float32(i)}}
		if got, want := Reversed(q), (Quad{V: [4]float32{q.V[3], q.V[2], q.V[1], q.V[0]}}); got != want {
			t.Fatalf("Reversed(%+v) = %+v, want %+v", q, got, want)
		}
	}
}
