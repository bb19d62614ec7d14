//go:build !purego

package search

import "testing"

// TestIndexByteVariants runs each amd64 variant the CPU has, whatever GODEBUG
// chose, and says which the wrapper dispatches to.
func TestIndexByteVariants(t *testing.T) {
	variants := []struct {
		name string
		has  bool
		fn   func(s []byte, c byte) int
	}{
		{"avx2", searchHasAvx2, indexByteAmd64Avx2},
		{"sse2", true, indexByteAmd64Sse2},
	}
	for _, v := range variants {
		if !v.has {
			t.Logf("variant %s: the CPU lacks it (or GODEBUG turned it off)", v.name)
			continue
		}
		checkIndexByte(t, v.fn)
		t.Logf("variant %s: ran", v.name)
	}
	t.Logf("IndexByte dispatches to %s", chosen())
}

// chosen names the variant IndexByte dispatches to: the stub reads the same
// boolean (or GOAMD64 implies AVX2 and the wrapper calls it directly).
func chosen() string {
	if searchGOAMD64 >= 3 || indexByteAmd64Avx2Runs {
		return "avx2"
	}
	return "sse2"
}

// indexByteDirect calls the variant IndexByte chooses by its name, b.N times.
func indexByteDirect(b *testing.B, s []byte) {
	if searchGOAMD64 >= 3 || indexByteAmd64Avx2Runs {
		for i := 0; i < b.N; i++ {
			sink += indexByteAmd64Avx2(s, 'b')
		}
		return
	}
	for i := 0; i < b.N; i++ {
		sink += indexByteAmd64Sse2(s, 'b')
	}
}
