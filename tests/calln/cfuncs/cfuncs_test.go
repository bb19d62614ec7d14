package cfuncs

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"sync"
	"testing"
	"time"
	"unsafe"

	"go-asm.dev/runtime/calln"
)

const k1 = 0x100000001b3
const k2 = 0x9E3779B97F4A7C15

// Reference implementations of ../csrc/cfuncs.c.

func refC(n int, args ...uint64) uint64 {
	if n == 0 {
		return 0x1234567890abcdef
	}
	weights := [6]uint64{1, 3, 5, 9, 17, 33}
	acc := uint64(n)
	for i, a := range args {
		acc += weights[i] * a
	}
	return acc
}

func refMany(a [8]uint64, s9 int32, u10 uint32, f1, f2 float64, a11 uint64) uint64 {
	v := append(a[:], uint64(int64(s9)), uint64(u10), uint64(int64(f1*16)), uint64(int64(f2*16)), a11)
	var h uint64
	for _, x := range v {
		h = h*k1 + x
	}
	return h
}

func refStack(seed uint64) uint64 {
	var h uint64
	for i := 1023; i >= 0; i-- {
		h = h*k1 + seed*uint64(i+1)
	}
	return h
}

func refSpin(n, x uint64) uint64 {
	for i := uint64(0); i < n; i++ {
		x = x*k2 + i
	}
	return x
}

func f(x float64) uint64 { return math.Float64bits(x) }

// exact returns a float64 with few significant bits derived from r, so that
// every sum and product in the tests is exact whatever the evaluation order.
func exact(r uint64) float64 { return float64(int64(r>>58)-32) / 4 }

func args6(r uint64) [6]uint64 {
	var a [6]uint64
	for i := range a {
		r = r*6364136223846793005 + 1442695040888963407
		a[i] = r
	}
	return a
}

// check runs every call route once with values derived from r and describes
// the first wrong result.
func check(r uint64) error {
	a := args6(r)
	u := func(i int) uintptr { return uintptr(a[i]) }
	want := func(n int) uint64 { return refC(n, a[:n]...) }
	got := []uint64{
		uint64(calln.Call0(C0Addr())),
		uint64(calln.Call1(C1Addr(), u(0))),
		uint64(calln.Call2(C2Addr(), u(0), u(1))),
		uint64(calln.Call3(C3Addr(), u(0), u(1), u(2))),
		uint64(calln.Call4(C4Addr(), u(0), u(1), u(2), u(3))),
		uint64(calln.Call5(C5Addr(), u(0), u(1), u(2), u(3), u(4))),
		uint64(calln.Call6(C6Addr(), u(0), u(1), u(2), u(3), u(4), u(5))),
	}
	for n, g := range got {
		if g != want(n) {
			return fmt.Errorf("Call%d = %#x, want %#x", n, g, want(n))
		}
	}
	bound := []uint64{C0(), C1(a[0]), C2(a[0], a[1]), C3(a[0], a[1], a[2]),
		C4(a[0], a[1], a[2], a[3]), C5(a[0], a[1], a[2], a[3], a[4]),
		C6(a[0], a[1], a[2], a[3], a[4], a[5])}
	for n, g := range bound {
		if g != want(n) {
			return fmt.Errorf("C%d = %#x, want %#x", n, g, want(n))
		}
	}
	if g, w := Mix(a[0], a[1]), mixGo(a[0], a[1]); g != w {
		return fmt.Errorf("Mix = %#x, want %#x", g, w)
	}
	if g, w := uint64(calln.Call2(MixAddr(), u(0), u(1))), mixGo(a[0], a[1]); g != w {
		return fmt.Errorf("Call2(mix) = %#x, want %#x", g, w)
	}

	// 8- and 16-bit integers and bool through a typed binding.
	na, nb, nc, nd, ne := int8(a[0]), uint8(a[1]), int16(a[2]), uint16(a[3]), a[4]&1 == 1
	nw := uint16(int(na)*5 + int(nb)*7 + int(nc)*11 + int(nd)*13)
	if ne {
		nw += 1000
	}
	if g := Narrow(na, nb, nc, nd, ne); g != nw {
		return fmt.Errorf("Narrow(%d, %d, %d, %d, %v) = %d, want %d", na, nb, nc, nd, ne, g, nw)
	}

	// Narrow integers: garbage above bit 31 must not matter.
	s := int32(a[2])
	if g := int32(calln.Call1(Neg32Addr(), uintptr(a[2]))); g != -s {
		return fmt.Errorf("Call1(neg32, %#x) = %d, want %d", a[2], g, -s)
	}
	if g := Neg32(s); g != -s {
		return fmt.Errorf("Neg32(%d) = %d", s, g)
	}
	rot := uint32(a[3])
	n := int32(a[4] % 40)
	if g, w := Rot32(rot, n), (rot<<(uint32(n)&31))|(rot>>((32-uint32(n))&31)); g != w {
		return fmt.Errorf("Rot32 = %#x, want %#x", g, w)
	}
	if g, w := Widen(s, uint32(a[3])), int64(s)*3+int64(uint32(a[3])); g != w {
		return fmt.Errorf("Widen = %d, want %d", g, w)
	}

	// Floats.
	x := [6]float64{exact(a[0]), exact(a[1]), exact(a[2]), exact(a[3]), exact(a[4]), exact(a[5])}
	if g, w := Fadd(x[0], x[1]), x[0]+x[1]; g != w {
		return fmt.Errorf("Fadd = %v, want %v", g, w)
	}
	if _, g := calln.CallMixed(FaddAddr(), 0b11, f(x[0]), f(x[1]), 0, 0, 0, 0); g != x[0]+x[1] {
		return fmt.Errorf("CallMixed(fadd) = %v, want %v", g, x[0]+x[1])
	}
	w6 := x[0] + 2*x[1] + 3*x[2] + 4*x[3] + 5*x[4] + 6*x[5]
	if g := F6(x[0], x[1], x[2], x[3], x[4], x[5]); g != w6 {
		return fmt.Errorf("F6 = %v, want %v", g, w6)
	}
	if _, g := calln.CallMixed(F6Addr(), 0b111111, f(x[0]), f(x[1]), f(x[2]), f(x[3]), f(x[4]), f(x[5])); g != w6 {
		return fmt.Errorf("CallMixed(f6) = %v, want %v", g, w6)
	}
	if g, w := F32(float32(x[0]), float32(x[1])), float32(x[0])*float32(x[1])-1.5; g != w {
		return fmt.Errorf("F32 = %v, want %v", g, w)
	}
	if g := Fconst(); g != 2.718281828459045 {
		return fmt.Errorf("Fconst = %v", g)
	}
	if _, g := calln.CallMixed(FconstAddr(), 0, 0, 0, 0, 0, 0, 0); g != 2.718281828459045 {
		return fmt.Errorf("CallMixed(fconst) = %v", g)
	}

	// Mixed integer and float arguments, interleaved.
	i := [3]int64{int64(a[0]>>60) - 8, int64(a[1]>>60) - 8, int64(a[2]>>60) - 8}
	wm := float64(i[0])*x[3] + float64(i[1])*x[4] + float64(i[2])*x[5]
	if g := Mixed(i[0], x[3], i[1], x[4], i[2], x[5]); g != wm {
		return fmt.Errorf("Mixed = %v, want %v", g, wm)
	}
	if _, g := calln.CallMixed(MixedAddr(), 0b101010, uint64(i[0]), f(x[3]), uint64(i[1]), f(x[4]), uint64(i[2]), f(x[5])); g != wm {
		return fmt.Errorf("CallMixed(mixed) = %v, want %v", g, wm)
	}
	wi := int64(x[0]*1000) + i[0]*7 + int64(x[1])
	if g := MixedInt(x[0], i[0], x[1]); g != wi {
		return fmt.Errorf("MixedInt = %v, want %v", g, wi)
	}
	if g, _ := calln.CallMixed(MixedIntAddr(), 0b101, f(x[0]), uint64(i[0]), f(x[1]), 0, 0, 0); int64(g) != wi {
		return fmt.Errorf("CallMixed(mixed_int) = %v, want %v", int64(g), wi)
	}
	w2 := x[2]*3 - x[3] + float64(i[1]-2*i[2])
	if g := Mixed2(x[2], x[3], i[1], i[2]); g != w2 {
		return fmt.Errorf("Mixed2 = %v, want %v", g, w2)
	}
	if _, g := calln.CallMixed(Mixed2Addr(), 0b0011, f(x[2]), f(x[3]), uint64(i[1]), uint64(i[2]), 0, 0); g != w2 {
		return fmt.Errorf("CallMixed(mixed2) = %v, want %v", g, w2)
	}

	// Stack arguments.
	var a8 [8]uint64
	copy(a8[:], a[:])
	a8[6], a8[7] = a[0]^a[5], a[1]^a[4]
	wmany := refMany(a8, int32(a[2]), uint32(a[3]), x[0], x[1], a[5])
	if g := Many(a8[0], a8[1], a8[2], a8[3], a8[4], a8[5], a8[6], a8[7], int32(a[2]), uint32(a[3]), x[0], x[1], a[5]); g != wmany {
		return fmt.Errorf("Many = %#x, want %#x", g, wmany)
	}
	wf := x[0] + 2*x[1] + 3*x[2] + 4*x[3] + 5*x[4] + 6*x[5] + 7*x[0] + 8*x[1] + 9*x[2] + 10*x[3] + float64(i[0])
	if g := Manyf(x[0], x[1], x[2], x[3], x[4], x[5], x[0], x[1], x[2], x[3], i[0]); g != wf {
		return fmt.Errorf("Manyf = %v, want %v", g, wf)
	}

	// Pointers into Go memory, stack and heap.
	var buf [16]uint64
	Fill(unsafe.Pointer(&buf[0]), uint64(len(buf)), a[0])
	var ws uint64
	for j := range buf {
		if buf[j] != a[0]+uint64(j) {
			return fmt.Errorf("Fill: buf[%d] = %#x", j, buf[j])
		}
		ws += buf[j]
	}
	if g := Sum(unsafe.Pointer(&buf[0]), uint64(len(buf))); g != ws {
		return fmt.Errorf("Sum = %#x, want %#x", g, ws)
	}
	heap := make([]uint64, 100)
	calln.Call3(FillAddr(), uintptr(unsafe.Pointer(&heap[0])), uintptr(len(heap)), u(1))
	ws = 0
	for j := range heap {
		ws += a[1] + uint64(j)
	}
	if g := uint64(calln.Call2(SumAddr(), uintptr(unsafe.Pointer(&heap[0])), uintptr(len(heap)))); g != ws {
		return fmt.Errorf("Call2(sum) = %#x, want %#x", g, ws)
	}

	// About 8 KiB of C stack, through the default budget and the exact one.
	if g, w := uint64(calln.Call1(StackAddr(), u(3))), refStack(a[3]); g != w {
		return fmt.Errorf("Call1(stack) = %#x, want %#x", g, w)
	}
	if g, w := Stack(a[4]), refStack(a[4]); g != w {
		return fmt.Errorf("Stack = %#x, want %#x", g, w)
	}
	return nil
}

func TestValues(t *testing.T) {
	if !calln.Supported {
		t.Fatalf("calln has no trampolines for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	r := uint64(1)
	for i := 0; i < 2000; i++ {
		r = r*6364136223846793005 + 1442695040888963407
		if err := check(r); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
	}
	// Extremes.
	for _, v := range []uint64{0, 1, math.MaxUint64, 1 << 63, 1<<32 - 1, 1 << 32} {
		if err := check(v); err != nil {
			t.Fatalf("value %#x: %v", v, err)
		}
	}
}

// A fresh goroutine starts with a small stack: the trampoline's prologue must
// grow it before the C function's 8 KiB of locals land on it.
func TestFreshGoroutines(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 256)
	for i := 0; i < 256; i++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			if g, w := uint64(calln.Call1(StackAddr(), uintptr(seed))), refStack(seed); g != w {
				errs <- fmt.Errorf("Call1(stack, %d) = %#x, want %#x", seed, g, w)
			}
		}(uint64(i))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A local buffer passed as uintptr(unsafe.Pointer(...)) from a fresh goroutine:
// the trampoline's prologue grows (moves) the small stack before the call, so
// the buffer must have been moved to the heap (//go:uintptrescapes), or C
// writes into the abandoned stack.
func TestLocalBufferAcrossStackGrowth(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(v uint64) {
			defer wg.Done()
			var buf [64]uint64
			calln.Call3(FillAddr(), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), uintptr(v))
			for j, x := range buf {
				if x != v+uint64(j) {
					errs <- fmt.Errorf("buf[%d] = %#x after Fill, want %#x", j, x, v+uint64(j))
					return
				}
			}
		}(uint64(i) << 32)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

var sink []byte
var sinkMu sync.Mutex

//go:noinline
func deep(n int, r uint64) error {
	var pad [32]uint64
	pad[r%32] = r
	if n > 0 {
		return deep(n-1, r+pad[(r+1)%32])
	}
	return check(r)
}

func stressDuration(t *testing.T) time.Duration {
	ms := 2000
	if s := os.Getenv("CALLN_STRESS_MS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("CALLN_STRESS_MS: %v", err)
		}
		ms = v
	}
	return time.Duration(ms) * time.Millisecond
}

// TestStress runs every route from many goroutines at once, at random stack
// depths, with the collector running constantly and runtime/trace and the CPU
// profiler on, while other goroutines spin inside C so that profiling signals
// land there.
func TestStress(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	var tbuf, pbuf bytes.Buffer
	if err := trace.Start(&tbuf); err != nil {
		t.Fatal(err)
	}
	if err := pprof.StartCPUProfile(&pbuf); err != nil {
		trace.Stop()
		t.Fatal(err)
	}
	deadline := time.Now().Add(stressDuration(t))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	var calls, spins sync.Map
	workers := 4 * runtime.GOMAXPROCS(0)
	if workers < 8 {
		workers = 8
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(id uint64) {
			defer wg.Done()
			r := id*0x9E3779B97F4A7C15 + 1
			n := 0
			for time.Now().Before(deadline) {
				r = r*6364136223846793005 + 1442695040888963407
				if err := deep(int(r>>55), r); err != nil {
					errs <- fmt.Errorf("worker %d: %v", id, err)
					return
				}
				sinkMu.Lock()
				sink = make([]byte, 1<<(r>>60))
				sinkMu.Unlock()
				n++
			}
			calls.Store(id, n)
		}(uint64(w))
	}
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(id uint64) {
			defer wg.Done()
			n := 0
			for x := id; time.Now().Before(deadline); x++ {
				if g, w := Spin(200000, x), refSpin(200000, x); g != w {
					errs <- fmt.Errorf("Spin = %#x, want %#x", g, w)
					return
				}
				if g, w := uint64(calln.Call2(SpinAddr(), 100000, uintptr(x))), refSpin(100000, x); g != w {
					errs <- fmt.Errorf("Call2(spin) = %#x, want %#x", g, w)
					return
				}
				n++
			}
			spins.Store(id, n)
		}(uint64(w))
	}
	wg.Wait()
	pprof.StopCPUProfile()
	trace.Stop()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	total := 0
	calls.Range(func(_, v any) bool { total += v.(int); return true })
	if total == 0 {
		t.Error("no rounds completed")
	}
	if pbuf.Len() == 0 || tbuf.Len() == 0 {
		t.Errorf("empty profile (%d bytes) or trace (%d bytes)", pbuf.Len(), tbuf.Len())
	}
	t.Logf("%d workers, %d checked rounds, profile %d bytes, trace %d bytes", workers, total, pbuf.Len(), tbuf.Len())
	if p := os.Getenv("CALLN_PROFILE"); p != "" {
		if err := os.WriteFile(p, pbuf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
