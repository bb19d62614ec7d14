// Package cgobench calls the benchmark's C function through cgo, for comparison
// with go-asm's trampolines. It is a separate module so that the main test
// module builds with CGO_ENABLED=0.
package cgobench

/*
#include "../csrc/bench.h"

static uint64_t cgo_mix(uint64_t a, uint64_t b) { return goasm_mix_impl(a, b); }
*/
import "C"

// Mix calls the C function through cgo.
func Mix(a, b uint64) uint64 {
	return uint64(C.cgo_mix(C.uint64_t(a), C.uint64_t(b)))
}
