package fnv

import (
	"hash/fnv"
	"math/rand"
	"testing"
)

func TestFnv1a64(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 300; n++ {
		data := make([]byte, n)
		r.Read(data)
		h := fnv.New64a()
		h.Write(data)
		if got, want := Fnv1a64(data), h.Sum64(); got != want {
			t.Fatalf("Fnv1a64(len %d) = %#x, want %#x", n, got, want)
		}
	}
}

func BenchmarkFnv1a64(b *testing.B) {
	data := make([]byte, 4096)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		Fnv1a64(data)
	}
}

func BenchmarkFnv1a64Stdlib(b *testing.B) {
	data := make([]byte, 4096)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		h := fnv.New64a()
		h.Write(data)
		h.Sum64()
	}
}
