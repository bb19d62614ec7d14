//go:build !purego && (amd64 || arm64)

package search

import "testing"

// BenchmarkIndexByteDispatch runs the exported wrapper and a direct call of the
// variant it chooses side by side, on a 16-byte input: the difference is what
// dispatch costs (the wrapper inlines, then its stub tests a boolean and jumps).
func BenchmarkIndexByteDispatch(b *testing.B) {
	s := benchInput()
	b.Run("wrapper", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink += IndexByte(s, 'b')
		}
	})
	b.Run("direct", func(b *testing.B) { indexByteDirect(b, s) })
}
