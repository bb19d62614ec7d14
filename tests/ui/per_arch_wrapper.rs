use go_asm::go_asm;

// Only an arm64 body: on x86_64 the Rust wrapper does not exist, so calling it
// is a compile error at the call (never a link error).
#[go_asm]
pub fn only_arm64(x: u64) -> u64 {
    arm64! {
        add x, x, #1
        return x
    }
    go! { return x + 1 }
}

fn main() {
    let _ = only_arm64(1);
}
