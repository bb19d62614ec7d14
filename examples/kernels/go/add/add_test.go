package add

import "testing"

func TestAdd(t *testing.T) {
	cases := []struct {
		x    uint64
		y    uint16
		want uint64
	}{
		{0, 0, 0}, {1, 2, 3}, {^uint64(0), 1, 0}, {1 << 40, 0xffff, 1<<40 + 0xffff},
	}
	for _, c := range cases {
		if got := Add(c.x, c.y); got != c.want {
			t.Errorf("Add(%d, %d) = %d, want %d", c.x, c.y, got, c.want)
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	var s uint64
	for i := 0; i < b.N; i++ {
		s = Add(s, uint16(i))
	}
	_ = s
}

//go:noinline
func addGo(x uint64, y uint16) uint64 { return x + uint64(y) }

func BenchmarkAddGo(b *testing.B) {
	var s uint64
	for i := 0; i < b.N; i++ {
		s = addGo(s, uint16(i))
	}
	_ = s
}
