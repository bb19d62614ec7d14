// Command demo calls every example kernel through its generated Go package and
// prints the results, the Go side of `cargo run -p go-asm-kernels`.
package main

import (
	"fmt"
	"runtime"

	"goasm.example/kernels/add"
	"goasm.example/kernels/count"
	"goasm.example/kernels/dot"
	"goasm.example/kernels/fields"
	"goasm.example/kernels/fnv"
	"goasm.example/kernels/lookup"
	"goasm.example/kernels/mulfull"
	"goasm.example/kernels/routed"
	"goasm.example/kernels/search"
	"goasm.example/kernels/sum"
)

func main() {
	xs := []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	data := []byte("hello, go-asm")
	hi, lo := mulfull.MulFull(0xdeadbeefcafebabe, 0x123456789abcdef)
	fmt.Printf("GOARCH=%s\n", runtime.GOARCH)
	fmt.Printf("add(40, 2)            = %d\n", add.Add(40, 2))
	fmt.Printf("sum(1..10)            = %d\n", sum.Sum(xs))
	fmt.Printf("count_byte(%q, 'o') = %d\n", string(data), count.CountByte(string(data), 'o'))
	fmt.Printf("count_byte64(%q, 'o') = %d\n", string(data), count.CountByte64(string(data), 'o'))
	fmt.Printf("field_sum({1, 2, 3})  = %d\n", fields.FieldSum(&fields.Point3{X: 1, Y: 2, Z: 3}))
	fmt.Printf("fnv1a64(%q)    = %#x\n", string(data), fnv.Fnv1a64(data))
	fmt.Printf("mul_full(...)         = (%#x, %#x)\n", hi, lo)
	fmt.Printf("pop_count(%q)  = %d\n", string(data), lookup.PopCount(data))
	fmt.Printf("mix(40, 2)            = %#x (routed: from a .syso where linked)\n", routed.Mix(40, 2))
	// Dot, IndexByte and CountByte64 dispatch on the CPU's features.
	fmt.Printf("dot([1 2 3], [4 5 6]) = %g\n", dot.Dot([]float32{1, 2, 3}, []float32{4, 5, 6}))
	fmt.Printf("index_byte(\"go-asm\", b'a') = %d\n", search.IndexByte([]byte("go-asm"), 'a'))
}
