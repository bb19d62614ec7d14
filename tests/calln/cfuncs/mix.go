package cfuncs

// mixGo is goasm_mix in plain Go, kept out of line so that every route pays
// for a call.
//
//go:noinline
func mixGo(a, b uint64) uint64 { return (a^(b>>7))*0x9E3779B97F4A7C15 + b }
