// Package cfuncs binds the C functions of ../csrc/cfuncs.c, linked as .syso
// objects, for the tests of go-asm's call runtime. The test that drives it
// (tests/tests/calln.rs) compiles the objects and generates the bindings
// (native.go, native_other.go, native_GOOS_GOARCH.s) before running go.
package cfuncs
