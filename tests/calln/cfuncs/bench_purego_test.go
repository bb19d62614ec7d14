//go:build purego_bench && linux && (amd64 || arm64)

package cfuncs

import (
	"testing"

	"github.com/ebitengine/purego"
)

// Built only with -tags purego_bench and -modfile=go.bench.mod (scripts/bench),
// so that the test module itself needs no dependency: goasm_c2 and goasm_c6,
// the same .syso functions, called through purego's fastest path, SyscallN.
func init() {
	benchPurego[2] = func(b *testing.B) {
		addr, s := C2Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s, _, _ = purego.SyscallN(addr, s, uintptr(i))
		}
		benchSink = uint64(s)
	}
	benchPurego[6] = func(b *testing.B) {
		addr, s := C6Addr(), uintptr(1)
		for i := 0; i < b.N; i++ {
			s, _, _ = purego.SyscallN(addr, s, uintptr(i), uintptr(i), uintptr(i), uintptr(i), uintptr(i))
		}
		benchSink = uint64(s)
	}
}
