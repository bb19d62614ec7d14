use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    #[features(crc32)]
    arm64! {
        return x
    }
    go! { return x }
}

fn main() {}
