package lookup

import (
	"math/bits"
	"math/rand"
	"testing"
)

func popGo(xs []byte) uint64 {
	var n uint64
	for _, x := range xs {
		n += uint64(bits.OnesCount8(x))
	}
	return n
}

func TestPopCount(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 300; n++ {
		xs := make([]byte, n)
		r.Read(xs)
		if got, want := PopCount(xs), popGo(xs); got != want {
			t.Fatalf("PopCount(len %d) = %d, want %d", n, got, want)
		}
	}
}

func BenchmarkPopCount(b *testing.B) {
	xs := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(xs)
	b.SetBytes(int64(len(xs)))
	for i := 0; i < b.N; i++ {
		PopCount(xs)
	}
}

func BenchmarkPopCountGo(b *testing.B) {
	xs := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(xs)
	b.SetBytes(int64(len(xs)))
	for i := 0; i < b.N; i++ {
		popGo(xs)
	}
}
