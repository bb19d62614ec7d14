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

// func c2Direct(a, b uint64) uint64
TEXT ·c2Direct(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), AX
	MOVQ b+8(FP), CX
	LEAQ (CX)(CX*2), CX
	LEAQ 2(AX)(CX*1), AX
	MOVQ AX, ret+16(FP)
	RET

// func c6Direct(a, b, c, d, e, f uint64) uint64
TEXT ·c6Direct(SB), NOSPLIT, $0-56
	MOVQ a+0(FP), AX
	MOVQ b+8(FP), CX
	LEAQ (CX)(CX*2), CX
	ADDQ CX, AX
	MOVQ c+16(FP), CX
	LEAQ (CX)(CX*4), CX
	ADDQ CX, AX
	MOVQ d+24(FP), CX
	LEAQ (CX)(CX*8), CX
	ADDQ CX, AX
	MOVQ e+32(FP), CX
	IMULQ $17, CX
	ADDQ CX, AX
	MOVQ f+40(FP), CX
	IMULQ $33, CX
	ADDQ CX, AX
	ADDQ $6, AX
	MOVQ AX, ret+48(FP)
	RET
