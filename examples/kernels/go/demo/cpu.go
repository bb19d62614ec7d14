package main

import (
	"os"
	"strings"
)

// haveAVX2FMA reports whether /proc/cpuinfo lists AVX2 and FMA (Linux only).
func haveAVX2FMA() bool {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false
	}
	s := " " + strings.ReplaceAll(string(info), "\n", " ") + " "
	return strings.Contains(s, " avx2 ") && strings.Contains(s, " fma ")
}
