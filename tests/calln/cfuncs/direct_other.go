//go:build !amd64 && !arm64

package cfuncs

func mixDirect(a, b uint64) uint64 { return mixGo(a, b) }

func c2Direct(a, b uint64) uint64 { return a + 3*b + 2 }

func c6Direct(a, b, c, d, e, f uint64) uint64 {
	return a + 3*b + 5*c + 9*d + 17*e + 33*f + 6
}
