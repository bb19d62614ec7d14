package chacha

import (
	"encoding/binary"
	"math/bits"
	"math/rand"
	"testing"
)

// blockRef is RFC 8439's block function (section 2.3), written from the RFC.
func blockRef(key [8]uint32, counter uint32, nonce [3]uint32) [16]uint32 {
	var s [16]uint32
	s[0], s[1], s[2], s[3] = 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	copy(s[4:], key[:])
	s[12] = counter
	copy(s[13:], nonce[:])
	w := s
	q := func(a, b, c, d *uint32) {
		*a += *b
		*d ^= *a
		*d = bits.RotateLeft32(*d, 16)
		*c += *d
		*b ^= *c
		*b = bits.RotateLeft32(*b, 12)
		*a += *b
		*d ^= *a
		*d = bits.RotateLeft32(*d, 8)
		*c += *d
		*b ^= *c
		*b = bits.RotateLeft32(*b, 7)
	}
	for i := 0; i < 10; i++ {
		q(&w[0], &w[4], &w[8], &w[12])
		q(&w[1], &w[5], &w[9], &w[13])
		q(&w[2], &w[6], &w[10], &w[14])
		q(&w[3], &w[7], &w[11], &w[15])
		q(&w[0], &w[5], &w[10], &w[15])
		q(&w[1], &w[6], &w[11], &w[12])
		q(&w[2], &w[7], &w[8], &w[13])
		q(&w[3], &w[4], &w[9], &w[14])
	}
	for i := range w {
		w[i] += s[i]
	}
	return w
}

// TestRFC8439 checks the vectors of RFC 8439 section 2.3.2 and appendix A.1 #1.
func TestRFC8439(t *testing.T) {
	var key [8]uint32
	for i := range key {
		key[i] = binary.LittleEndian.Uint32([]byte{byte(4 * i), byte(4*i + 1), byte(4*i + 2), byte(4*i + 3)})
	}
	nonce := [3]uint32{0x09000000, 0x4a000000, 0}
	want := [16]uint32{
		0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3,
		0xc7f4d1c7, 0x0368c033, 0x9aaa2204, 0x4e6cd4c3,
		0x466482d2, 0x09aa9f07, 0x05d7c214, 0xa2028bd9,
		0xd19c12b5, 0xb94e16de, 0xe883d0cb, 0x4e3c50a2,
	}
	out := make([]uint32, 16)
	if n := Chacha20Block(key, 1, nonce, out); n != 16 || [16]uint32(out) != want {
		t.Fatalf("2.3.2: got %d, %08x, want %08x", n, out, want)
	}
	zero := []byte{
		0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90, 0x40, 0x5d, 0x6a, 0xe5, 0x53, 0x86, 0xbd, 0x28,
		0xbd, 0xd2, 0x19, 0xb8, 0xa0, 0x8d, 0xed, 0x1a, 0xa8, 0x36, 0xef, 0xcc, 0x8b, 0x77, 0x0d, 0xc7,
		0xda, 0x41, 0x59, 0x7c, 0x51, 0x57, 0x48, 0x8d, 0x77, 0x24, 0xe0, 0x3f, 0xb8, 0xd8, 0x4a, 0x37,
		0x6a, 0x43, 0xb8, 0xf4, 0x15, 0x18, 0xa1, 0x1c, 0xc3, 0x87, 0xb6, 0x69, 0xb2, 0xee, 0x65, 0x86,
	}
	Chacha20Block([8]uint32{}, 0, [3]uint32{}, out)
	for i, w := range out {
		if got := binary.LittleEndian.Uint32(zero[4*i:]); w != got {
			t.Fatalf("A.1 #1 word %d: got %08x, want %08x", i, w, got)
		}
	}
}

func TestKeystreamForManyCounters(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	out := make([]uint32, 17)
	for i := 0; i < 2000; i++ {
		var key [8]uint32
		var nonce [3]uint32
		for k := range key {
			key[k] = r.Uint32()
		}
		for k := range nonce {
			nonce[k] = r.Uint32()
		}
		counter := r.Uint32()
		if i < 10 {
			counter = ^uint32(0) - uint32(i) // around the wrap
		}
		out[16] = 0xdeadbeef
		n := Chacha20Block(key, counter, nonce, out)
		want := blockRef(key, counter, nonce)
		if n != 16 || [16]uint32(out[:16]) != want || out[16] != 0xdeadbeef {
			t.Fatalf("counter %d: got %d, %08x, want %08x", counter, n, out, want)
		}
	}
	if n := Chacha20Block([8]uint32{}, 0, [3]uint32{}, make([]uint32, 15)); n != 0 {
		t.Fatalf("a short out: got %d, want 0", n)
	}
}

var sink [16]uint32

func BenchmarkBlock(b *testing.B) {
	out := make([]uint32, 16)
	b.SetBytes(64)
	for i := 0; i < b.N; i++ {
		Chacha20Block([8]uint32{1, 2, 3}, uint32(i), [3]uint32{}, out)
	}
}

func BenchmarkBlockGo(b *testing.B) {
	b.SetBytes(64)
	for i := 0; i < b.N; i++ {
		sink = blockRef([8]uint32{1, 2, 3}, uint32(i), [3]uint32{})
	}
}
