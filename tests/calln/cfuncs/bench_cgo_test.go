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
}
