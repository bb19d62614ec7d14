//go:build !purego && (amd64 || arm64)

package count

import "testing"

var countSink uint64

// BenchmarkCountByte64Dispatch runs the exported wrapper and a direct call of the
// variant it chooses side by side, on a 16-byte string: the difference is what
// dispatch costs (the wrapper inlines, then its stub tests a boolean and jumps).
func BenchmarkCountByte64Dispatch(b *testing.B) {
	s := "the quick brown "
	b.Run("wrapper", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			countSink += CountByte64(s, 'o')
		}
	})
	b.Run("direct", func(b *testing.B) { countByte64Direct(b, s) })
}
