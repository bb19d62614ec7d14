// A function with only an arm64! body has no native code on x86_64: its wrapper is
// left out there (cfg target_arch), so calling it is a compile error, not a link
// error. (The suite runs on x86_64; on aarch64 this case would compile.)
use go_asm::go_asm;

#[go_asm]
pub fn inc(x: u64) -> u64 {
    arm64! {
        add x, x, #1
        return x
    }
    go! { return x + 1 }
}

fn main() {
    let _ = inc(1);
}
