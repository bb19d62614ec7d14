package sum

import (
	"math/rand"
	"testing"
)

func sumGo(xs []uint64) uint64 {
	var t uint64
	for _, x := range xs {
		t += x
	}
	return t
}

func TestSum(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 300; n++ {
		xs := make([]uint64, n)
		for i := range xs {
			xs[i] = r.Uint64()
		}
		if got, want := Sum(xs), sumGo(xs); got != want {
			t.Fatalf("Sum(len %d) = %d, want %d", n, got, want)
		}
	}
}

func BenchmarkSum(b *testing.B) {
	xs := make([]uint64, 4096)
	for i := range xs {
		xs[i] = uint64(i)
	}
	b.SetBytes(int64(len(xs) * 8))
	for i := 0; i < b.N; i++ {
		Sum(xs)
	}
}

func BenchmarkSumGo(b *testing.B) {
	xs := make([]uint64, 4096)
	for i := range xs {
		xs[i] = uint64(i)
	}
	b.SetBytes(int64(len(xs) * 8))
	for i := 0; i < b.N; i++ {
		sumGo(xs)
	}
}
