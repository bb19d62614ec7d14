module go-asm.dev/calln-test

go 1.21

require (
	go-asm.dev/calln-cgo v0.0.0
	go-asm.dev/runtime v0.0.0
)

replace (
	go-asm.dev/calln-cgo => ./cgo
	go-asm.dev/runtime => ../../runtime/go
)
