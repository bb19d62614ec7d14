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
