module goasm.example/kernels

go 1.21
