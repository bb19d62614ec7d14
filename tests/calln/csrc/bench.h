/* The function every benchmark route calls. Shared by cfuncs.c (the .syso) and
   the cgo module so both run the same code. */
#include <stdint.h>

static inline uint64_t goasm_mix_impl(uint64_t a, uint64_t b) {
	return (a ^ (b >> 7)) * 0x9E3779B97F4A7C15ull + b;
}
