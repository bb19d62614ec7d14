//go:build !purego

package count

import (
	"strings"
	"testing"
)

// TestCountByte64Variants runs each amd64 variant the CPU has, whatever GODEBUG
// chose, and says which the wrapper dispatches to.
func TestCountByte64Variants(t *testing.T) {
	avx512 := countByte64Amd64Avx512fAvx512bwBmi2PopcntRuns
	variants := []struct {
		name string
		has  bool
		fn   func(s string, b byte) uint64
	}{
		{"avx512", avx512, countByte64Amd64Avx512fAvx512bwBmi2Popcnt},
		{"sse2", true, countByte64Amd64Sse2},
	}
	for _, v := range variants {
		if !v.has {
			t.Logf("variant %s: the CPU lacks it (or GODEBUG turned it off)", v.name)
			continue
		}
		checkCountByte64(t, v.fn)
		t.Logf("variant %s: ran", v.name)
	}
	chosen := "sse2"
	if countGOAMD64 >= 4 || avx512 {
		chosen = "avx512"
	}
	t.Logf("CountByte64 dispatches to %s", chosen)
}

// countByte64Direct calls the variant CountByte64 chooses by its name, b.N times.
func countByte64Direct(b *testing.B, s string) {
	if countGOAMD64 >= 4 || countByte64Amd64Avx512fAvx512bwBmi2PopcntRuns {
		for i := 0; i < b.N; i++ {
			countSink += countByte64Amd64Avx512fAvx512bwBmi2Popcnt(s, 'o')
		}
		return
	}
	for i := 0; i < b.N; i++ {
		countSink += countByte64Amd64Sse2(s, 'o')
	}
}

// BenchmarkCountByte64Variants runs the AVX-512 variant (where the CPU has it)
// and the SSE2 baseline variant side by side on the same 4,000 bytes.
func BenchmarkCountByte64Variants(b *testing.B) {
	s := strings.Repeat("the quick brown fox ", 200)
	variants := []struct {
		name string
		has  bool
		fn   func(s string, b byte) uint64
	}{
		{"avx512", countByte64Amd64Avx512fAvx512bwBmi2PopcntRuns, countByte64Amd64Avx512fAvx512bwBmi2Popcnt},
		{"sse2", true, countByte64Amd64Sse2},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			if !v.has {
				b.Skip("the CPU lacks it (or GODEBUG turned it off)")
			}
			b.SetBytes(int64(len(s)))
			for i := 0; i < b.N; i++ {
				countSink += v.fn(s, 'o')
			}
		})
	}
}
