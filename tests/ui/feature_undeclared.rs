use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    #[features(avx2)]
    amd64! {
        let v: ymm
        vpaddq v, v, v
        vfmadd231ps v, v, v
        return x
    }
    amd64! {
        return x
    }
    go! { return x }
}

fn main() {}
