//go:build cgo

package cfuncs

import (
	"testing"

	cgobench "go-asm.dev/calln-cgo"
)

func init() {
	benchCgo = func(b *testing.B) {
		s := uint64(1)
		for i := 0; i < b.N; i++ {
			s = cgobench.Mix(uint64(i), s)
		}
		benchSink = s
	}
	benchCgoCalls = [7]func(b *testing.B){
		func(b *testing.B) {
			s := uint64(1)
			for i := 0; i < b.N; i++ {
				s += cgobench.C0()
			}
			benchSink = s
		},
		func(b *testing.B) {
			s := uint64(1)
			for i := 0; i < b.N; i++ {
				s = cgobench.C1(s)
			}
			benchSink = s
		},
		func(b *testing.B) {
			s := uint64(1)
			for i := 0; i < b.N; i++ {
				s = cgobench.C2(s, uint64(i))
			}
			benchSink = s
		},
		func(b *testing.B) {
			s := uint64(1)
			for i := 0; i < b.N; i++ {
				s = cgobench.C3(s, uint64(i), uint64(i))
			}
			benchSink = s
		},
		func(b *testing.B) {
			s := uint64(1)
			for i := 0; i < b.N; i++ {
				s = cgobench.C4(s, uint64(i), uint64(i), uint64(i))
			}
			benchSink = s
		},
		func(b *testing.B) {
			s := uint64(1)
			for i := 0; i < b.N; i++ {
				s = cgobench.C5(s, uint64(i), uint64(i), uint64(i), uint64(i))
			}
			benchSink = s
		},
		func(b *testing.B) {
			s := uint64(1)
			for i := 0; i < b.N; i++ {
				s = cgobench.C6(s, uint64(i), uint64(i), uint64(i), uint64(i), uint64(i))
			}
			benchSink = s
		},
	}
}
