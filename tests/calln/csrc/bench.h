/* The functions every benchmark route calls. Shared by cfuncs.c (the .syso) and
   the cgo module so both run the same code. */
#include <stdint.h>

static inline uint64_t goasm_mix_impl(uint64_t a, uint64_t b) {
	return (a ^ (b >> 7)) * 0x9E3779B97F4A7C15ull + b;
}

/* goasm_c0 .. goasm_c6: n arguments, each with its own weight. */
#define GOASM_K1 0x100000001b3ull
static inline uint64_t goasm_c0_impl(void) { return 0x1234567890abcdefull; }
static inline uint64_t goasm_c1_impl(uint64_t a) { return a * GOASM_K1 + 1; }
static inline uint64_t goasm_c2_impl(uint64_t a, uint64_t b) {
	return (a * GOASM_K1 + b) * GOASM_K1 + 2;
}
static inline uint64_t goasm_c3_impl(uint64_t a, uint64_t b, uint64_t c) {
	return ((a * GOASM_K1 + b) * GOASM_K1 + c) * GOASM_K1 + 3;
}
static inline uint64_t goasm_c4_impl(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
	return (((a * GOASM_K1 + b) * GOASM_K1 + c) * GOASM_K1 + d) * GOASM_K1 + 4;
}
static inline uint64_t goasm_c5_impl(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
				     uint64_t e) {
	return ((((a * GOASM_K1 + b) * GOASM_K1 + c) * GOASM_K1 + d) * GOASM_K1 + e) * GOASM_K1 + 5;
}
static inline uint64_t goasm_c6_impl(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
				     uint64_t e, uint64_t f) {
	return (((((a * GOASM_K1 + b) * GOASM_K1 + c) * GOASM_K1 + d) * GOASM_K1 + e) * GOASM_K1 +
		f) * GOASM_K1 + 6;
}
