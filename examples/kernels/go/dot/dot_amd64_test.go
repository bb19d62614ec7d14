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
	if dotGOAMD64 >= 3 || dotHasAvx2 && dotHasFma {
		chosen = "avx2+fma"
	}
	t.Logf("Dot dispatches to %s", chosen)
}
