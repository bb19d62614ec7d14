//go:build amd64 || arm64

package cfuncs

// mixDirect is goasm_mix written directly in Go assembly: the baseline the
// trampolines are measured against.
func mixDirect(a, b uint64) uint64
