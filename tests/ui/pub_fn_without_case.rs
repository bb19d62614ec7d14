use go_asm::go_asm;

// Exported Go names start with an upper-case letter; this one has no case.
#[go_asm]
pub fn 中文(x: u64) -> u64 {
    amd64! {
        return x
    }
    go! { return x }
}

fn main() {}
