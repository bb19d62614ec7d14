use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    arm64! {
        for i in 0..x {
            add x, x, #i
        }
        return x
    }
    go! { return x }
}

fn main() {}
