// Package cgobench calls the benchmark's C functions through cgo, for comparison
// with go-asm's trampolines. It is a separate module so that the main test
// module builds with CGO_ENABLED=0.
package cgobench

/*
#include "../csrc/bench.h"

static uint64_t cgo_mix(uint64_t a, uint64_t b) { return goasm_mix_impl(a, b); }
static uint64_t cgo_c0(void) { return goasm_c0_impl(); }
static uint64_t cgo_c1(uint64_t a) { return goasm_c1_impl(a); }
static uint64_t cgo_c2(uint64_t a, uint64_t b) { return goasm_c2_impl(a, b); }
static uint64_t cgo_c3(uint64_t a, uint64_t b, uint64_t c) { return goasm_c3_impl(a, b, c); }
static uint64_t cgo_c4(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
	return goasm_c4_impl(a, b, c, d);
}
static uint64_t cgo_c5(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) {
	return goasm_c5_impl(a, b, c, d, e);
}
static uint64_t cgo_c6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f) {
	return goasm_c6_impl(a, b, c, d, e, f);
}
*/
import "C"

// Mix calls the C function through cgo.
func Mix(a, b uint64) uint64 {
	return uint64(C.cgo_mix(C.uint64_t(a), C.uint64_t(b)))
}

type u = C.uint64_t

// C0 .. C6 call goasm_c0 .. goasm_c6's bodies through cgo.
func C0() uint64                  { return uint64(C.cgo_c0()) }
func C1(a uint64) uint64          { return uint64(C.cgo_c1(u(a))) }
func C2(a, b uint64) uint64       { return uint64(C.cgo_c2(u(a), u(b))) }
func C3(a, b, c uint64) uint64    { return uint64(C.cgo_c3(u(a), u(b), u(c))) }
func C4(a, b, c, d uint64) uint64 { return uint64(C.cgo_c4(u(a), u(b), u(c), u(d))) }
func C5(a, b, c, d, e uint64) uint64 {
	return uint64(C.cgo_c5(u(a), u(b), u(c), u(d), u(e)))
}
func C6(a, b, c, d, e, f uint64) uint64 {
	return uint64(C.cgo_c6(u(a), u(b), u(c), u(d), u(e), u(f)))
}
