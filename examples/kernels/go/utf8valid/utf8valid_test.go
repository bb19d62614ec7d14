package utf8valid

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// mixed is text in many scripts: 1-, 2-, 3- and 4-byte sequences.
const mixed = "Hello, world! Привет, мир! Γειά σου Κόσμε! 你好，世界！こんにちは世界。" +
	"안녕하세요 세계. مرحبا بالعالم. שלום עולם. नमस्ते दुनिया। 🌍🚀✨🎉 " +
	"café naïve façade Ærøskøbing Łódź Ünïcödé 𝄞𝕏𐍈 "

// classes holds one invalid sequence of every kind of error.
var classes = []struct {
	name string
	b    []byte
}{
	{"too short: a lead, then ASCII", []byte{0xc3, 'a'}},
	{"too short: a lead, then a lead", []byte{0xe2, 0xc3, 0xa9}},
	{"too short: a 4-byte lead, then a 2-byte sequence", []byte{0xf0, 0xc3, 0xa9}},
	{"too long: a stray continuation", []byte{0x80}},
	{"too long: a continuation after a 2-byte sequence", []byte{0xc3, 0xa9, 0xa9}},
	{"too long: a continuation after a 4-byte sequence", []byte{0xf0, 0x9f, 0x98, 0x80, 0x80}},
	{"overlong 2: c0", []byte{0xc0, 0x80}},
	{"overlong 2: c1", []byte{0xc1, 0xbf}},
	{"overlong 3: e0 80", []byte{0xe0, 0x80, 0x80}},
	{"overlong 3: e0 9f", []byte{0xe0, 0x9f, 0xbf}},
	{"overlong 4: f0 80", []byte{0xf0, 0x80, 0x80, 0x80}},
	{"overlong 4: f0 8f", []byte{0xf0, 0x8f, 0xbf, 0xbf}},
	{"surrogate: U+D800", []byte{0xed, 0xa0, 0x80}},
	{"surrogate: U+DFFF", []byte{0xed, 0xbf, 0xbf}},
	{"too large: f4 90", []byte{0xf4, 0x90, 0x80, 0x80}},
	{"too large: f5", []byte{0xf5, 0x80, 0x80, 0x80}},
	{"too large: f8", []byte{0xf8, 0x88, 0x80, 0x80, 0x80}},
	{"too large: ff", []byte{0xff}},
	{"3-byte: second not a continuation", []byte{0xe2, 'x', 0xac}},
	{"3-byte: third not a continuation", []byte{0xe2, 0x82, 'x'}},
	{"4-byte: third not a continuation", []byte{0xf0, 0x9f, 'x', 0x80}},
	{"4-byte: fourth not a continuation", []byte{0xf0, 0x9f, 0x98, 'x'}},
	{"truncated 2-byte", []byte{0xc3}},
	{"truncated 3-byte", []byte{0xe2, 0x82}},
	{"truncated 4-byte, 3 of 4", []byte{0xf0, 0x9f, 0x98}},
	{"truncated 4-byte, 2 of 4", []byte{0xf0, 0x9f}},
}

// edges holds valid sequences at the boundaries of each length and range.
var edges = [][]byte{
	{0x00}, {0x7f}, {0xc2, 0x80}, {0xdf, 0xbf}, {0xe0, 0xa0, 0x80}, {0xed, 0x9f, 0xbf},
	{0xee, 0x80, 0x80}, {0xef, 0xbf, 0xbf}, {0xf0, 0x90, 0x80, 0x80}, {0xf4, 0x8f, 0xbf, 0xbf},
}

var checks int

func check(t *testing.T, what string, b []byte) {
	t.Helper()
	checks++
	if got, want := Valid(b), utf8.Valid(b); got != want {
		t.Fatalf("%s: Valid(% x) = %v, utf8.Valid says %v", what, b, got, want)
	}
}

// filler returns n valid bytes: ASCII, or (multi) runes of mixed text padded
// with ASCII to exactly n bytes.
func filler(n int, multi bool) []byte {
	if !multi {
		return []byte(strings.Repeat("abcdefgh", n/8+1)[:n])
	}
	out := make([]byte, 0, n)
	for len(out) < n {
		for _, r := range mixed {
			if len(out)+utf8.RuneLen(r) > n {
				break
			}
			out = utf8.AppendRune(out, r)
		}
		for len(out) < n && (len(out) == 0 || len(out)%5 != 0) {
			out = append(out, '.')
		}
	}
	return out
}

// positions are where a sequence of k bytes is placed in a buffer of n bytes:
// everywhere for short buffers, at both ends and every 7th byte for long ones.
func positions(n, k int) []int {
	var ps []int
	for p := 0; p+k <= n; p++ {
		if n <= 100 || p < 40 || p+k > n-40 || p%7 == 0 {
			ps = append(ps, p)
		}
	}
	return ps
}

func TestValidASCII(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n <= 300; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Intn(128))
		}
		check(t, "ASCII", b)
		if n > 0 {
			b[n-1] = 0x7f
			check(t, "ASCII ending in DEL", b)
		}
	}
	t.Logf("ASCII checks %d", checks)
}

func TestValidMixedText(t *testing.T) {
	text := []byte(strings.Repeat(mixed, 4))
	for n := 0; n <= 300; n++ {
		// Cut at every byte offset of the first 64: whole runes and broken ones.
		for off := 0; off < 64; off++ {
			check(t, "mixed text", text[off:off+n])
		}
		check(t, "mixed runes", filler(n, true))
	}
	t.Logf("mixed checks %d", checks)
}

func TestValidEveryClassEveryLength(t *testing.T) {
	invalid := 0
	for _, c := range classes {
		if utf8.Valid(c.b) {
			t.Fatalf("%s: % x is valid UTF-8", c.name, c.b)
		}
		for n := 0; n <= 300; n++ {
			for _, multi := range []bool{false, true} {
				base := filler(n, multi)
				for _, p := range positions(n, len(c.b)) {
					b := append([]byte(nil), base...)
					copy(b[p:], c.b)
					check(t, c.name, b)
					if !utf8.Valid(b) {
						invalid++
					}
				}
			}
		}
	}
	for _, e := range edges {
		for n := 0; n <= 300; n++ {
			for _, p := range positions(n, len(e)) {
				b := filler(n, false)
				copy(b[p:], e)
				check(t, "edge", b)
			}
		}
	}
	t.Logf("class checks %d (%d invalid)", checks, invalid)
}

func TestValidRandomMutations(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	text := []byte(strings.Repeat(mixed, 8))
	for k := 0; k < 20000; k++ {
		n := r.Intn(400)
		off := r.Intn(len(text) - n)
		b := append([]byte(nil), text[off:off+n]...)
		for m := r.Intn(3); m > 0 && n > 0; m-- {
			b[r.Intn(n)] = byte(r.Intn(256))
		}
		check(t, "mutated", b)
	}
	for k := 0; k < 5000; k++ {
		b := make([]byte, r.Intn(100))
		r.Read(b)
		check(t, "random bytes", b)
	}
	t.Logf("random checks %d", checks)
}

// benchText is mixed text of about n bytes, cut at a rune boundary.
func benchText(n int) []byte {
	s := strings.Repeat(mixed, n/len(mixed)+1)
	for !utf8.RuneStart(s[n]) {
		n--
	}
	return []byte(s[:n])
}

var sink bool

func benchValid(b *testing.B, n int, ascii bool, f func([]byte) bool) {
	buf := benchText(n)
	if ascii {
		buf = filler(n, false)
	}
	if !f(buf) {
		b.Fatal("the benchmark text is not valid")
	}
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink = f(buf)
	}
}

// Valid against unicode/utf8.Valid, side by side: mixed text (a fifth of its
// bytes ASCII, 2 in 5 of its characters; 1- to 4-byte sequences) at 4 KiB and
// 64 KiB, and ASCII at 4 KiB.
func BenchmarkValid4KiB(b *testing.B)        { benchValid(b, 4096, false, Valid) }
func BenchmarkValid4KiBStdlib(b *testing.B)  { benchValid(b, 4096, false, utf8.Valid) }
func BenchmarkValid64KiB(b *testing.B)       { benchValid(b, 65536, false, Valid) }
func BenchmarkValid64KiBStdlib(b *testing.B) { benchValid(b, 65536, false, utf8.Valid) }
func BenchmarkValidASCII4KiB(b *testing.B)   { benchValid(b, 4096, true, Valid) }
func BenchmarkValidASCII4KiBStdlib(b *testing.B) {
	benchValid(b, 4096, true, utf8.Valid)
}
