/* The functions every benchmark route calls. Shared by cfuncs.c (the .syso) and
   the cgo module so both run the same code. */
#include <stdint.h>

static inline uint64_t goasm_mix_impl(uint64_t a, uint64_t b) {
	return (a ^ (b >> 7)) * 0x9E3779B97F4A7C15ull + b;
}

/* goasm_c0 .. goasm_c6: n arguments, each with its own odd weight (a bijection, so
   a swapped, dropped or truncated argument changes the result), plus n. The
   products are independent and cheap, so a benchmark of these measures the call,
   not the callee: every route pays the same few cycles. */
static inline uint64_t goasm_c0_impl(void) { return 0x1234567890abcdefull; }
static inline uint64_t goasm_c1_impl(uint64_t a) { return a + 1; }
static inline uint64_t goasm_c2_impl(uint64_t a, uint64_t b) { return a + 3 * b + 2; }
static inline uint64_t goasm_c3_impl(uint64_t a, uint64_t b, uint64_t c) {
	return a + 3 * b + 5 * c + 3;
}
static inline uint64_t goasm_c4_impl(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
	return a + 3 * b + 5 * c + 9 * d + 4;
}
static inline uint64_t goasm_c5_impl(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
				     uint64_t e) {
	return a + 3 * b + 5 * c + 9 * d + 17 * e + 5;
}
static inline uint64_t goasm_c6_impl(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
				     uint64_t e, uint64_t f) {
	return a + 3 * b + 5 * c + 9 * d + 17 * e + 33 * f + 6;
}
