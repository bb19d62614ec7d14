#include "textflag.h"

// func mixDirect(a, b uint64) uint64
TEXT ·mixDirect(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), AX
	MOVQ b+8(FP), CX
	MOVQ CX, DX
	SHRQ $7, DX
	XORQ DX, AX
	MOVQ $0x9E3779B97F4A7C15, DX
	IMULQ DX, AX
	ADDQ CX, AX
	MOVQ AX, ret+16(FP)
	RET
