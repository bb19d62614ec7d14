package fields

import "testing"

func TestFieldSum(t *testing.T) {
	for _, p := range []Point3{{}, {1, 2, 3}, {^uint64(0), 1, 5}, {1 << 63, 1 << 63, 7}} {
		p := p
		if got, want := FieldSum(&p), p.X+p.Y+p.Z; got != want {
			t.Errorf("FieldSum(%+v) = %d, want %d", p, got, want)
		}
	}
}

//go:noinline
func fieldSumGo(p *Point3) uint64 { return p.X + p.Y + p.Z }

func BenchmarkFieldSum(b *testing.B) {
	p := &Point3{1, 2, 3}
	var s uint64
	for i := 0; i < b.N; i++ {
		p.X = s
		s = FieldSum(p)
	}
}

func BenchmarkFieldSumGo(b *testing.B) {
	p := &Point3{1, 2, 3}
	var s uint64
	for i := 0; i < b.N; i++ {
		p.X = s
		s = fieldSumGo(p)
	}
}
