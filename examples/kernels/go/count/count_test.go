package count

import (
	"strings"
	"testing"
)

func TestCountByte(t *testing.T) {
	for _, s := range []string{"", "a", "banana", strings.Repeat("xyz\x00", 100), "\xff\xfe\xff"} {
		for _, b := range []byte{'a', 'z', 0, 0xff} {
			if got, want := CountByte(s, b), uint64(strings.Count(s, string([]byte{b}))); b < 0x80 && got != want {
				t.Errorf("CountByte(%q, %q) = %d, want %d", s, b, got, want)
			}
			var want uint64
			for i := 0; i < len(s); i++ {
				if s[i] == b {
					want++
				}
			}
			if got := CountByte(s, b); got != want {
				t.Errorf("CountByte(%q, %#x) = %d, want %d", s, b, got, want)
			}
		}
	}
}

func BenchmarkCountByte(b *testing.B) {
	s := strings.Repeat("the quick brown fox ", 200)
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		CountByte(s, 'o')
	}
}

func BenchmarkCountByteStdlib(b *testing.B) {
	s := strings.Repeat("the quick brown fox ", 200)
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		strings.Count(s, "o")
	}
}
