//go:build !purego

package dot

import "testing"

// TestDotVariants runs each amd64 variant the CPU has, whatever GODEBUG chose,
// and says which the wrapper dispatches to.
func TestDotVariants(t *testing.T) {
	variants := []struct {
		name string
		has  bool
		fn   func(a, b []float32) float32
	}{
		{"avx2+fma", dotHasAvx2 && dotHasFma, dotAmd64Avx2Fma},
		{"sse2", true, dotAmd64Sse2},
	}
	for _, v := range variants {
		if !v.has {
			t.Logf("variant %s: the CPU lacks it (or GODEBUG turned it off)", v.name)
			continue
		}
		checkDot(t, v.fn)
		t.Logf("variant %s: ran", v.name)
	}
	chosen := "sse2"
	if dotGOAMD64 >= 3 || dotAmd64Avx2FmaRuns {
		chosen = "avx2+fma"
	}
	t.Logf("Dot dispatches to %s", chosen)
}

// dotDirect calls the variant Dot chooses by its name, b.N times.
func dotDirect(b *testing.B, x, y []float32) {
	if dotGOAMD64 >= 3 || dotAmd64Avx2FmaRuns {
		for i := 0; i < b.N; i++ {
			dotSink += dotAmd64Avx2Fma(x, y)
		}
		return
	}
	for i := 0; i < b.N; i++ {
		dotSink += dotAmd64Sse2(x, y)
	}
}
