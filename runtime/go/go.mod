module go-asm.dev/runtime

go 1.21
