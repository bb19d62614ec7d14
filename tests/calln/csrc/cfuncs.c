/* C functions called from Go through go-asm's trampolines. Compiled by the test
   (tests/tests/calln.rs) into relocation-free .syso objects, one per platform.
   Every function mixes its arguments with distinct weights so that a swapped,
   dropped or truncated argument changes the result. */
#include <stdint.h>
#include "bench.h"

#define K1 0x100000001b3ull
#define K2 0x9E3779B97F4A7C15ull

uint64_t goasm_mix(uint64_t a, uint64_t b) { return goasm_mix_impl(a, b); }

uint64_t goasm_c0(void) { return goasm_c0_impl(); }
uint64_t goasm_c1(uint64_t a) { return goasm_c1_impl(a); }
uint64_t goasm_c2(uint64_t a, uint64_t b) { return goasm_c2_impl(a, b); }
uint64_t goasm_c3(uint64_t a, uint64_t b, uint64_t c) { return goasm_c3_impl(a, b, c); }
uint64_t goasm_c4(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
	return goasm_c4_impl(a, b, c, d);
}
uint64_t goasm_c5(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) {
	return goasm_c5_impl(a, b, c, d, e);
}
uint64_t goasm_c6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f) {
	return goasm_c6_impl(a, b, c, d, e, f);
}

/* Narrow types: the callee only trusts the low 32 bits. */
int32_t goasm_neg32(int32_t a) { return -a; }
uint32_t goasm_rot32(uint32_t a, int32_t n) { return (a << (n & 31)) | (a >> ((32 - n) & 31)); }
int64_t goasm_widen(int32_t a, uint32_t b) { return (int64_t)a * 3 + (int64_t)b; }
uint16_t goasm_narrow(int8_t a, uint8_t b, int16_t c, uint16_t d, _Bool e) {
	return (uint16_t)(a * 5 + b * 7 + c * 11 + d * 13 + (e ? 1000 : 0));
}

/* Floats. */
double goasm_fadd(double a, double b) { return a + b; }
double goasm_f6(double a, double b, double c, double d, double e, double f) {
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}
float goasm_f32(float a, float b) { return a * b - 1.5f; }
double goasm_fconst(void) { return 2.718281828459045; }

/* Mixed, interleaved in every order the ABIs assign differently. */
double goasm_mixed(int64_t a, double x, int64_t b, double y, int64_t c, double z) {
	return (double)a * x + (double)b * y + (double)c * z;
}
int64_t goasm_mixed_int(double x, int64_t a, double y) { return (int64_t)(x * 1000.0) + a * 7 + (int64_t)y; }
double goasm_mixed2(double x, double y, int64_t a, int64_t b) { return x * 3.0 - y + (double)(a - 2 * b); }

/* More arguments than registers: stack arguments in every convention. */
uint64_t goasm_many(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		    uint64_t a6, uint64_t a7, uint64_t a8, int32_t s9, uint32_t u10,
		    double f1, double f2, uint64_t a11) {
	uint64_t h = 0;
	uint64_t v[] = {a1, a2, a3, a4, a5, a6, a7, a8, (uint64_t)(int64_t)s9, (uint64_t)u10,
			(uint64_t)(int64_t)(f1 * 16.0), (uint64_t)(int64_t)(f2 * 16.0), a11};
	for (int i = 0; i < 13; i++)
		h = h * K1 + v[i];
	return h;
}

double goasm_manyf(double f1, double f2, double f3, double f4, double f5, double f6,
		   double f7, double f8, double f9, double f10, int64_t a) {
	return f1 + 2 * f2 + 3 * f3 + 4 * f4 + 5 * f5 + 6 * f6 + 7 * f7 + 8 * f8 + 9 * f9 +
	       10 * f10 + (double)a;
}

/* Pointers. */
uint64_t goasm_sum(const uint64_t *p, uint64_t n) {
	uint64_t s = 0;
	for (uint64_t i = 0; i < n; i++)
		s += p[i];
	return s;
}
void goasm_fill(uint64_t *p, uint64_t n, uint64_t v) {
	for (uint64_t i = 0; i < n; i++)
		p[i] = v + i;
}

/* Uses about 8 KiB of stack: the frame budget must cover it. */
uint64_t goasm_stack(uint64_t seed) {
	volatile uint64_t buf[1024];
	for (int i = 0; i < 1024; i++)
		buf[i] = seed * (uint64_t)(i + 1);
	uint64_t h = 0;
	for (int i = 1023; i >= 0; i--)
		h = h * K1 + buf[i];
	return h;
}

/* Spins for n rounds: long enough for profiling signals to land in C. */
uint64_t goasm_spin(uint64_t n, uint64_t x) {
	for (uint64_t i = 0; i < n; i++)
		x = x * K2 + i;
	return x;
}
