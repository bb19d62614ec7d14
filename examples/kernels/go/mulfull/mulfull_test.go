package mulfull

import (
	"math/bits"
	"math/rand"
	"testing"
)

func TestMulFull(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	vals := []uint64{0, 1, 2, ^uint64(0), 1 << 63, 0xdeadbeef}
	for i := 0; i < 200; i++ {
		vals = append(vals, r.Uint64())
	}
	for _, a := range vals {
		for _, b := range vals[:20] {
			hi, lo := MulFull(a, b)
			whi, wlo := bits.Mul64(a, b)
			if hi != whi || lo != wlo {
				t.Fatalf("MulFull(%#x, %#x) = (%#x, %#x), want (%#x, %#x)", a, b, hi, lo, whi, wlo)
			}
		}
	}
}

//go:noinline
func mulFullGo(a, b uint64) (uint64, uint64) { return bits.Mul64(a, b) }

func BenchmarkMulFull(b *testing.B) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := 0; i < b.N; i++ {
		hi, lo := MulFull(x, uint64(i))
		x ^= hi + lo
	}
}

func BenchmarkMulFullGo(b *testing.B) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := 0; i < b.N; i++ {
		hi, lo := mulFullGo(x, uint64(i))
		x ^= hi + lo
	}
}
