package count

import (
	"strings"
	"testing"
)

// TestCountByte64 checks the dispatching CountByte64 (whichever variant this
// CPU and GODEBUG choose).
func TestCountByte64(t *testing.T) {
	checkCountByte64(t, CountByte64)
}

// checkCountByte64 checks every length 0-200 (each number of 64-byte steps and
// each masked tail) at three alignments, with matching bytes right after the
// string that must not be counted.
func checkCountByte64(t *testing.T, count func(s string, b byte) uint64) {
	t.Helper()
	buf := make([]byte, 300)
	for n := 0; n <= 200; n++ {
		for off := 0; off < 3; off++ {
			for i := range buf {
				buf[i] = 'o'
			}
			for i := off; i < off+n; i++ {
				if (i-off)%7 != 0 && i != off+n-1 {
					buf[i] = 'x'
				}
			}
			// A substring of buf: the bytes after it match 'o' too.
			s := string(buf)[off : off+n]
			var want uint64
			for i := 0; i < len(s); i++ {
				if s[i] == 'o' {
					want++
				}
			}
			if got := count(s, 'o'); got != want {
				t.Fatalf("CountByte64(len %d, off %d) = %d, want %d", n, off, got, want)
			}
			if got := count(s, 0xff); got != 0 {
				t.Fatalf("CountByte64(len %d, 0xff) = %d, want 0", n, got)
			}
		}
	}
}

func BenchmarkCountByte64(b *testing.B) {
	s := strings.Repeat("the quick brown fox ", 200)
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		CountByte64(s, 'o')
	}
}

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
