package cfuncs

import (
	"fmt"
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
		if g, w := c2Direct(a, b), refC(2, a, b); g != w {
			t.Fatalf("c2Direct(%#x, %#x) = %#x, want %#x", a, b, g, w)
		}
		if g, w := c6Direct(a, b, ^a, ^b, a*3, b*5), refC(6, a, b, ^a, ^b, a*3, b*5); g != w {
			t.Fatalf("c6Direct(%#x, %#x, ...) = %#x, want %#x", a, b, g, w)
		}
	}
}

// benchCgoCalls[n] is set by bench_cgo_test.go when cgo is enabled: goasm_cn's
// body through cgo.
var benchCgoCalls [7]func(b *testing.B)

// benchPurego[n] is set by bench_purego_test.go (tag purego_bench): goasm_cn
// through purego.
var benchPurego [7]func(b *testing.B)

// BenchmarkCalls calls goasm_c0 .. goasm_c6 through calln.Call0 .. Call6, through
// the exact trampoline the .syso route writes for a function of known stack use,
// through cgo, and for 2 and 6 arguments also as Go assembly written directly
// (no C, no second call) and through purego: the paired ratios of the call
// runtime against its floor. Each loop calls its route directly (no function
// values, which would add the same indirect call to every route), and each
// iteration but Call0's depends on the previous result.
func BenchmarkCalls(b *testing.B) {
	for n := 0; n <= 6; n++ {
		b.Run(fmt.Sprintf("%d/callN", n), benchCallN[n])
		b.Run(fmt.Sprintf("%d/exact", n), benchExact[n])
		if benchDirect[n] != nil {
			b.Run(fmt.Sprintf("%d/direct", n), benchDirect[n])
		}
		if benchCgoCalls[n] != nil {
			b.Run(fmt.Sprintf("%d/cgo", n), benchCgoCalls[n])
		}
		if benchPurego[n] != nil {
			b.Run(fmt.Sprintf("%d/purego", n), benchPurego[n])
		}
	}
}

var benchDirect = [7]func(b *testing.B){
	2: func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = c2Direct(s, uint64(i))
		}
		benchSink = s
	},
	6: func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = c6Direct(s, uint64(i), uint64(i), uint64(i), uint64(i), uint64(i))
		}
		benchSink = s
	},
}

var benchCallN = [7]func(b *testing.B){
	func(b *testing.B) {
		addr, s := C0Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s += calln.Call0(addr)
		}
		benchSink = uint64(s)
	},
	func(b *testing.B) {
		addr, s := C1Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s = calln.Call1(addr, s)
		}
		benchSink = uint64(s)
	},
	func(b *testing.B) {
		addr, s := C2Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s = calln.Call2(addr, s, uintptr(i))
		}
		benchSink = uint64(s)
	},
	func(b *testing.B) {
		addr, s := C3Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s = calln.Call3(addr, s, uintptr(i), uintptr(i))
		}
		benchSink = uint64(s)
	},
	func(b *testing.B) {
		addr, s := C4Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s = calln.Call4(addr, s, uintptr(i), uintptr(i), uintptr(i))
		}
		benchSink = uint64(s)
	},
	func(b *testing.B) {
		addr, s := C5Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s = calln.Call5(addr, s, uintptr(i), uintptr(i), uintptr(i), uintptr(i))
		}
		benchSink = uint64(s)
	},
	func(b *testing.B) {
		addr, s := C6Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s = calln.Call6(addr, s, uintptr(i), uintptr(i), uintptr(i), uintptr(i), uintptr(i))
		}
		benchSink = uint64(s)
	},
}

var benchExact = [7]func(b *testing.B){
	func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s += c0Exact()
		}
		benchSink = s
	},
	func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = c1Exact(s)
		}
		benchSink = s
	},
	func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = c2Exact(s, uint64(i))
		}
		benchSink = s
	},
	func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = c3Exact(s, uint64(i), uint64(i))
		}
		benchSink = s
	},
	func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = c4Exact(s, uint64(i), uint64(i), uint64(i))
		}
		benchSink = s
	},
	func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = c5Exact(s, uint64(i), uint64(i), uint64(i), uint64(i))
		}
		benchSink = s
	},
	func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = c6Exact(s, uint64(i), uint64(i), uint64(i), uint64(i), uint64(i))
		}
		benchSink = s
	},
}

func TestExactMatchesReference(t *testing.T) {
	for i := uint64(0); i < 100; i++ {
		a, b := i*k2, ^i*31
		got := []uint64{c0Exact(), c1Exact(a), c2Exact(a, b), c3Exact(a, b, a),
			c4Exact(a, b, a, b), c5Exact(a, b, a, b, a), c6Exact(a, b, a, b, a, b)}
		args := []uint64{a, b, a, b, a, b}
		for n, g := range got {
			if w := refC(n, args[:n]...); g != w {
				t.Fatalf("c%dExact(%#x, %#x, ...) = %#x, want %#x", n, a, b, g, w)
			}
		}
	}
}
