use go_asm::go_asm;

/// Only an AVX2 body on amd64, and Rust has no go! body to fall back on.
#[go_asm]
pub fn f(x: u64) -> u64 {
    #[features(avx2)]
    amd64! {
        let v: ymm
        vpaddq v, v, v
        return x
    }
    go! { return x }
}

fn main() {}
