use go_asm::go_asm;

// An exact C name is an opt-in, and never one of the C library's.
#[go_asm(c_name = "memcpy")]
pub fn copy_words(x: u64) -> u64 {
    amd64! {
        return x
    }
    go! { return x }
}

fn main() {}
