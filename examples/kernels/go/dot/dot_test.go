package dot

import (
	"math"
	"math/rand"
	"testing"
)

func dotGo(a, b []float32) float32 {
	var s float64
	for i := range a {
		if i >= len(b) {
			break
		}
		s += float64(a[i]) * float64(b[i])
	}
	return float32(s)
}

func TestDot(t *testing.T) {
	checkDot(t, Dot)
}

// checkDot compares dot with a float64 reference over lengths 0..199.
func checkDot(t *testing.T, dot func(a, b []float32) float32) {
	t.Helper()
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 200; n++ {
		a := make([]float32, n)
		b := make([]float32, n+n%3)
		for i := range a {
			a[i] = r.Float32()*2 - 1
		}
		for i := range b {
			b[i] = r.Float32()*2 - 1
		}
		got, want := dot(a, b), dotGo(a, b)
		if math.Abs(float64(got-want)) > 1e-4*float64(n+1) {
			t.Fatalf("Dot(len %d, len %d) = %v, want %v", len(a), len(b), got, want)
		}
		if got := dot(b, a); math.Abs(float64(got-want)) > 1e-4*float64(n+1) {
			t.Fatalf("Dot(len %d, len %d) = %v, want %v", len(b), len(a), got, want)
		}
	}
}

func benchData() ([]float32, []float32) {
	a := make([]float32, 4096)
	b := make([]float32, 4096)
	for i := range a {
		a[i] = float32(i%7) * 0.5
		b[i] = float32(i%5) * 0.25
	}
	return a, b
}

func BenchmarkDot(b *testing.B) {
	x, y := benchData()
	b.SetBytes(int64(len(x) * 8))
	for i := 0; i < b.N; i++ {
		Dot(x, y)
	}
}

func BenchmarkDotGo(b *testing.B) {
	x, y := benchData()
	b.SetBytes(int64(len(x) * 8))
	for i := 0; i < b.N; i++ {
		var s float32
		for j := range x {
			s += x[j] * y[j]
		}
		_ = s
	}
}

// dotPlain is the plain Go loop the assembly is measured against.
func dotPlain(a, b []float32) float32 {
	var s float32
	for j := range a {
		s += a[j] * b[j]
	}
	return s
}

var sink float32

// BenchmarkDot4KiB and BenchmarkDot4KiBGo: 4 KiB per vector (1024 floats), side by side.
func BenchmarkDot4KiB(b *testing.B) {
	x, y := benchData()
	x, y = x[:1024], y[:1024]
	b.SetBytes(4096)
	for i := 0; i < b.N; i++ {
		sink = Dot(x, y)
	}
}

func BenchmarkDot4KiBGo(b *testing.B) {
	x, y := benchData()
	x, y = x[:1024], y[:1024]
	b.SetBytes(4096)
	for i := 0; i < b.N; i++ {
		sink = dotPlain(x, y)
	}
}
