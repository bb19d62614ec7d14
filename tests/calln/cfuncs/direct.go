//go:build amd64 || arm64

package cfuncs

// mixDirect is goasm_mix written directly in Go assembly: the baseline the
// trampolines are measured against.
func mixDirect(a, b uint64) uint64

// c2Direct and c6Direct are goasm_c2 and goasm_c6 written directly in Go
// assembly: the floor of BenchmarkCalls.
func c2Direct(a, b uint64) uint64
func c6Direct(a, b, c, d, e, f uint64) uint64
