package search

import (
	"bytes"
	"testing"
)

// checkIndexByte compares index with bytes.IndexByte: every length up to 100 and
// some long ones, the byte absent, at every position, and repeated.
func checkIndexByte(t *testing.T, index func(s []byte, c byte) int) {
	t.Helper()
	for _, n := range []int{0, 1, 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 4096, 4097} {
		s := make([]byte, n)
		for i := range s {
			s[i] = byte(i%251) | 1 // never 0
		}
		if got := index(s, 0); got != -1 {
			t.Fatalf("len %d, byte absent: got %d, want -1", n, got)
		}
		for at := 0; at < n; at++ {
			if at > 70 && at < n-70 && at%97 != 0 {
				continue
			}
			old := s[at]
			s[at] = 0
			if got, want := index(s, 0), bytes.IndexByte(s, 0); got != want {
				t.Fatalf("len %d, byte at %d: got %d, want %d", n, at, got, want)
			}
			s[at] = old
		}
		for c := 0; c < 256; c += 37 {
			if got, want := index(s, byte(c)), bytes.IndexByte(s, byte(c)); got != want {
				t.Fatalf("len %d, byte %#x: got %d, want %d", n, c, got, want)
			}
		}
	}
}

func TestIndexByte(t *testing.T) {
	checkIndexByte(t, IndexByte)
}

var sink int

func benchInput() []byte {
	s := bytes.Repeat([]byte{'a'}, 15)
	return append(s, 'b')
}

// BenchmarkIndexByte calls the dispatching wrapper on a short input, where a
// wrapper's cost would show (BenchmarkIndexByteDispatch, with build tag
// !purego, sets it beside a direct call of the variant it chooses).
func BenchmarkIndexByte(b *testing.B) {
	s := benchInput()
	for i := 0; i < b.N; i++ {
		sink += IndexByte(s, 'b')
	}
}
