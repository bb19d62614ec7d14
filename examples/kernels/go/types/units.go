package types

import "time"

// Types the package declares itself, used by go_type(..) in src/types.rs: a
// hand-written file, which go-asm leaves alone.

// Duration is time.Duration: an alias brings another package's type in.
type Duration = time.Duration

// Kelvin is a temperature: a defined type over uint32, the Rust row's type.
type Kelvin uint32
