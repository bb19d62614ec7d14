#include "textflag.h"

// func mixDirect(a, b uint64) uint64
TEXT ·mixDirect(SB), NOSPLIT, $0-24
	MOVD a+0(FP), R0
	MOVD b+8(FP), R1
	EOR R1>>7, R0, R0
	MOVD $0x9E3779B97F4A7C15, R2
	MUL R2, R0, R0
	ADD R1, R0, R0
	MOVD R0, ret+16(FP)
	RET

// func c2Direct(a, b uint64) uint64
TEXT ·c2Direct(SB), NOSPLIT, $0-24
	MOVD a+0(FP), R0
	MOVD b+8(FP), R1
	ADD R1<<1, R1, R1
	ADD R1, R0, R0
	ADD $2, R0, R0
	MOVD R0, ret+16(FP)
	RET

// func c6Direct(a, b, c, d, e, f uint64) uint64
TEXT ·c6Direct(SB), NOSPLIT, $0-56
	MOVD a+0(FP), R0
	MOVD b+8(FP), R1
	MOVD c+16(FP), R2
	MOVD d+24(FP), R3
	MOVD e+32(FP), R4
	MOVD f+40(FP), R5
	ADD R1<<1, R1, R1
	ADD R2<<2, R2, R2
	ADD R3<<3, R3, R3
	ADD R4<<4, R4, R4
	ADD R5<<5, R5, R5
	ADD R1, R0, R0
	ADD R2, R0, R0
	ADD R3, R0, R0
	ADD R4, R0, R0
	ADD R5, R0, R0
	ADD $6, R0, R0
	MOVD R0, ret+48(FP)
	RET
