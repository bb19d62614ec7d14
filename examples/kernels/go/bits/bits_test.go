package bits

import (
	"math/bits"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"testing"
)

// haveBMI2 reports whether the amd64 depositBits body can run here (other
// architectures run the go! body).
func haveBMI2(t testing.TB) {
	if runtime.GOARCH != "amd64" {
		return
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skipf("cannot read /proc/cpuinfo to check for BMI2: %v", err)
	}
	if !strings.Contains(" "+string(info)+" ", " bmi2 ") {
		t.Skip("skipping: this CPU lacks BMI2, which the amd64 depositBits needs")
	}
}

// depositRef is PDEP as the Intel manual defines it, bit by bit.
func depositRef(x, mask uint64) uint64 {
	var r uint64
	k := 0
	for m := 0; m < 64; m++ {
		if mask>>m&1 == 1 {
			r |= (x >> k & 1) << m
			k++
		}
	}
	return r
}

func TestDepositBits(t *testing.T) {
	haveBMI2(t)
	r := rand.New(rand.NewSource(1))
	cases := [][2]uint64{{0, 0}, {^uint64(0), ^uint64(0)}, {1, 1 << 63}, {0b101, 0xf0f0}}
	for i := 0; i < 10000; i++ {
		cases = append(cases, [2]uint64{r.Uint64(), r.Uint64() & r.Uint64()})
	}
	for _, c := range cases {
		if got, want := depositBits(c[0], c[1]), depositRef(c[0], c[1]); got != want {
			t.Fatalf("depositBits(%#x, %#x) = %#x, want %#x", c[0], c[1], got, want)
		}
	}
}

// TestOnesCount2: a dispatching function with two results (POPCNT, the
// baseline loop, NEON; GODEBUG=cpu.all=off picks the baseline).
func TestOnesCount2(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		x, y := r.Uint64()>>uint(i%64), r.Uint64()<<uint(i%61)
		gx, gy := OnesCount2(x, y)
		if wx, wy := uint64(bits.OnesCount64(x)), uint64(bits.OnesCount64(y)); gx != wx || gy != wy {
			t.Fatalf("OnesCount2(%#x, %#x) = %d, %d, want %d, %d", x, y, gx, gy, wx, wy)
		}
	}
}

func TestOnesCount(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 10000; i++ {
		x := r.Uint64() >> (i % 64)
		if got, want := OnesCount(x), uint64(bits.OnesCount64(x)); got != want {
			t.Fatalf("OnesCount(%#x) = %d, want %d", x, got, want)
		}
	}
}
