//go:build !purego

package count

import "testing"

// TestCountByte64Variants runs the NEON variant directly.
func TestCountByte64Variants(t *testing.T) {
	checkCountByte64(t, countByte64Arm64Neon)
	t.Logf("variant neon: ran")
}

// countByte64Direct calls the variant CountByte64 chooses by its name, b.N times.
func countByte64Direct(b *testing.B, s string) {
	for i := 0; i < b.N; i++ {
		countSink += countByte64Arm64Neon(s, 'o')
	}
}
