package cfuncs

import (
	"testing"

	"go-asm.dev/runtime/calln"
)

// benchCgo is set by bench_cgo_test.go when cgo is enabled.
var benchCgo func(b *testing.B)

var benchSink uint64

// BenchmarkMix calls the same C function, goasm_mix, by every route. Each
// iteration depends on the previous result, so calls cannot overlap.
func BenchmarkMix(b *testing.B) {
	addr := MixAddr()
	b.Run("callN", func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = uint64(calln.Call2(addr, uintptr(i), uintptr(s)))
		}
		benchSink = s
	})
	b.Run("binding", func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = Mix(uint64(i), s)
		}
		benchSink = s
	})
	b.Run("exact", func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = mixExact(uint64(i), s)
		}
		benchSink = s
	})
	b.Run("direct-asm", func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = mixDirect(uint64(i), s)
		}
		benchSink = s
	})
	b.Run("go", func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = mixGo(uint64(i), s)
		}
		benchSink = s
	})
	if benchCgo != nil {
		b.Run("cgo", benchCgo)
	}
}

func TestDirectMatchesGo(t *testing.T) {
	for i := uint64(0); i < 1000; i++ {
		a, b := i*0x9E3779B97F4A7C15, ^i*31
		if g, w := mixDirect(a, b), mixGo(a, b); g != w {
			t.Fatalf("mixDirect(%#x, %#x) = %#x, want %#x", a, b, g, w)
		}
		if g, w := mixExact(a, b), mixGo(a, b); g != w {
			t.Fatalf("mixExact(%#x, %#x) = %#x, want %#x", a, b, g, w)
		}
	}
}
