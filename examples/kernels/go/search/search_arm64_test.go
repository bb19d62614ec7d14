//go:build !purego

package search

import "testing"

// TestIndexByteVariants runs the NEON variant directly.
func TestIndexByteVariants(t *testing.T) {
	checkIndexByte(t, indexByteArm64Neon)
	t.Logf("variant neon: ran")
}
