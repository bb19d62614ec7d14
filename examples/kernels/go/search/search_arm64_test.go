//go:build !purego

package search

import "testing"

// TestIndexByteVariants runs the NEON variant directly.
func TestIndexByteVariants(t *testing.T) {
	checkIndexByte(t, indexByteArm64Neon)
	t.Logf("variant neon: ran")
}

// indexByteDirect calls the variant IndexByte chooses by its name, b.N times.
func indexByteDirect(b *testing.B, s []byte) {
	for i := 0; i < b.N; i++ {
		sink += indexByteArm64Neon(s, 'b')
	}
}
