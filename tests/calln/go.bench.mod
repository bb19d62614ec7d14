// The test module with purego, for scripts/bench only (go test
// -modfile=go.bench.mod -tags purego_bench): go.mod itself stays free of
// dependencies outside this repository.
module go-asm.dev/calln-test

go 1.25.0

require (
	github.com/ebitengine/purego v0.11.3
	go-asm.dev/calln-cgo v0.0.0
	go-asm.dev/runtime v0.0.0
)

replace (
	go-asm.dev/calln-cgo => ./cgo
	go-asm.dev/runtime => ../../runtime/go
)
