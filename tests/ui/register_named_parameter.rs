use go_asm::go_asm;

/// `x1` would mean the register inside the arm64! block, so the parameter is an
/// error even though this function has only an amd64! block.
#[go_asm]
pub fn inc(x1: u64) -> u64 {
    amd64! {
        add x1, 1
        return x1
    }
    go! { return x1 + 1 }
}

#[go_asm]
pub fn frame(AX: u64) -> u64 {
    arm64! {
        return AX
    }
    go! { return AX }
}

fn main() {}
