module go-asm.dev/calln-cgo

go 1.21
