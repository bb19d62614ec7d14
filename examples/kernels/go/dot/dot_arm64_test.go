//go:build !purego

package dot

import "testing"

// TestDotVariants runs the NEON variant directly.
func TestDotVariants(t *testing.T) {
	checkDot(t, dotArm64Neon)
	t.Logf("variant neon: ran")
}

// dotDirect calls the variant Dot chooses by its name, b.N times.
func dotDirect(b *testing.B, x, y []float32) {
	for i := 0; i < b.N; i++ {
		dotSink += dotArm64Neon(x, y)
	}
}
