package routed

import (
	"io"
	"math"
	"math/bits"
	"math/rand"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"sync"
	"testing"
	"time"
)

//go:noinline
func mixGo(a, b uint64) uint64 { return (a^(b>>7))*0x9E3779B97F4A7C15 + b }

// TestPopCount: a dispatching function on the .syso route (its variants are
// native; GODEBUG=cpu.all=off picks the baseline one).
func TestPopCount(t *testing.T) {
	for _, x := range []uint64{0, 1, 3, 0xff, 1 << 63, ^uint64(0), 0x123456789abcdef} {
		if g, w := PopCount(x), uint64(bits.OnesCount64(x)); g != w {
			t.Fatalf("PopCount(%#x) = %d, want %d", x, g, w)
		}
	}
}

func TestMix(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 10000; i++ {
		a, b := r.Uint64(), r.Uint64()
		if g, w := Mix(a, b), mixGo(a, b); g != w {
			t.Fatalf("Mix(%#x, %#x) = %#x, want %#x", a, b, g, w)
		}
		if g, w := MixSaved(a, b), mixGo(a, b); g != w {
			t.Fatalf("MixSaved(%#x, %#x) = %#x, want %#x", a, b, g, w)
		}
	}
}

func TestSumU32(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for n := 0; n < 100; n++ {
		xs := make([]uint32, n)
		var want uint64
		for i := range xs {
			xs[i] = r.Uint32()
			want += uint64(xs[i])
		}
		if got := SumU32(xs); got != want {
			t.Fatalf("SumU32(%d values) = %d, want %d", n, got, want)
		}
	}
	if got := SumU32(nil); got != 0 {
		t.Fatalf("SumU32(nil) = %d", got)
	}
}

func TestTally(t *testing.T) {
	for _, s := range []string{"", "a", "banana", strings.Repeat("xyz", 100)} {
		for _, c := range []byte{'a', 'n', 'x', 0, 255} {
			if got, want := Tally(s, c), uint32(strings.Count(s, string([]byte{c}))); got != want {
				t.Errorf("Tally(%q, %d) = %d, want %d", s, c, got, want)
			}
		}
	}
}

func TestHexDigit(t *testing.T) {
	for v := 0; v < 256; v++ {
		if got, want := HexDigit(uint8(v)), "0123456789abcdef"[v&15]; got != want {
			t.Errorf("HexDigit(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestScaleBy(t *testing.T) {
	for _, x := range []float64{0, 1.5, -2.25, math.Pi, math.Inf(1), 1e300} {
		for _, k := range []int16{0, 1, -1, 7, math.MinInt16, math.MaxInt16} {
			for _, neg := range []bool{false, true} {
				want := x * float64(k)
				if neg {
					want = -want
				}
				got := ScaleBy(x, k, neg)
				if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("ScaleBy(%v, %d, %v) = %v, want %v", x, k, neg, got, want)
				}
			}
		}
	}
}

func TestLenSum(t *testing.T) {
	a := make([]uint64, 3, 10)
	b := make([]uint32, 5)
	c := make([]byte, 7, 11)
	if got, want := LenSum(a, b, c), uint64(3+5+7+11); got != want {
		t.Fatalf("LenSum = %d, want %d", got, want)
	}
	if got := LenSum(nil, nil, nil); got != 0 {
		t.Fatalf("LenSum(nil, nil, nil) = %d", got)
	}
}

func TestPairs(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 1000; i++ {
		a, b := r.Uint64(), r.Uint64()
		hi, lo := MulWide(a, b)
		whi, wlo := bits.Mul64(a, b)
		if hi != whi || lo != wlo {
			t.Fatalf("MulWide(%#x, %#x) = (%#x, %#x), want (%#x, %#x)", a, b, hi, lo, whi, wlo)
		}
		x := r.NormFloat64() * 1e10
		u, d := SplitBits(x)
		if u != math.Float64bits(x) || d != x+x {
			t.Fatalf("SplitBits(%v) = (%#x, %v), want (%#x, %v)", x, u, d, math.Float64bits(x), x+x)
		}
	}
}

// deep calls the functions at the bottom of n Go frames, so the trampolines run
// wherever the goroutine stack happens to end (and after it has grown and moved).
func deep(n int, a, b uint64) uint64 {
	if n == 0 {
		var buf [4]uint32
		buf[0] = uint32(a)
		s := Mix(a, b) ^ MixSaved(b, a) ^ SumU32(buf[:])
		hi, lo := MulWide(a, b)
		return s ^ hi ^ lo ^ LenSum(nil, buf[:], nil)
	}
	var pad [64]byte
	pad[n%64] = byte(n)
	return deep(n-1, a, b) + uint64(pad[n%64]) - uint64(byte(n))
}

// TestConcurrentDeep runs the calls from many goroutines at random stack depths
// while the garbage collector runs continuously.
func TestConcurrentDeep(t *testing.T) {
	stop := make(chan struct{})
	var gc sync.WaitGroup
	gc.Add(1)
	go func() {
		defer gc.Done()
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(w)))
			for i := 0; i < 300; i++ {
				a, b := r.Uint64(), r.Uint64()
				n := r.Intn(300)
				var buf [4]uint32
				buf[0] = uint32(a)
				hi, lo := bits.Mul64(a, b)
				want := mixGo(a, b) ^ mixGo(b, a) ^ uint64(buf[0]) ^ hi ^ lo ^ 4
				if got := deep(n, a, b); got != want {
					t.Errorf("depth %d: got %#x, want %#x", n, got, want)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(stop)
	gc.Wait()
}

// TestProfiledCalls calls the functions for a while from several goroutines with
// the execution tracer and the CPU profiler on: profiling signals land inside the
// trampolines (and the native code), whose tracebacks must stay sound.
func TestProfiledCalls(t *testing.T) {
	if err := trace.Start(io.Discard); err == nil {
		defer trace.Stop()
	}
	if err := pprof.StartCPUProfile(io.Discard); err == nil {
		defer pprof.StopCPUProfile()
	}
	deadline := time.Now().Add(300 * time.Millisecond)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			s := uint64(w)
			for k := 0; time.Now().Before(deadline); k++ {
				for i := 0; i < 10000; i++ {
					s = Mix(uint64(i), s) ^ MixSaved(s, uint64(i))
					hi, lo := MulWide(s, uint64(i))
					s ^= hi ^ lo
				}
				if k%50 == 0 {
					runtime.GC()
				}
			}
			if w == 0 {
				if got, want := Mix(1, 2), mixGo(1, 2); got != want {
					t.Errorf("Mix(1, 2) = %#x, want %#x", got, want)
				}
			}
		}(w)
	}
	wg.Wait()
}

func BenchmarkMix(b *testing.B) {
	s := uint64(1)
	for i := 0; i < b.N; i++ {
		s = Mix(uint64(i), s)
	}
	_ = s
}

func BenchmarkMixGo(b *testing.B) {
	s := uint64(1)
	for i := 0; i < b.N; i++ {
		s = mixGo(uint64(i), s)
	}
	_ = s
}
