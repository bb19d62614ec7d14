//! Mixed-width integer arguments.

use go_asm::go_asm;

/// Add returns x + y.
#[go_asm]
pub fn add(x: u64, y: u16) -> u64 {
    amd64! {
        add x, y
        return x
    }
    arm64! {
        add x, x, y
        return x
    }
    go! {
        return x + uint64(y)
    }
}
