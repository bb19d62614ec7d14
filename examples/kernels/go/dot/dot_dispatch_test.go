//go:build !purego && (amd64 || arm64)

package dot

import "testing"

var dotSink float32

// BenchmarkDotDispatch runs the exported wrapper and a direct call of the variant
// it chooses side by side, on 16 lanes: the difference is what dispatch costs
// (the wrapper inlines, then its stub tests a boolean and jumps).
func BenchmarkDotDispatch(b *testing.B) {
	x, y := benchData()
	x, y = x[:16], y[:16]
	b.Run("wrapper", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dotSink += Dot(x, y)
		}
	})
	b.Run("direct", func(b *testing.B) { dotDirect(b, x, y) })
}
