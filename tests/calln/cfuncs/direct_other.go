//go:build !amd64 && !arm64

package cfuncs

func mixDirect(a, b uint64) uint64 { return mixGo(a, b) }
