use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    amd64! {
        return k1
    }
    go! { return x }
}

fn main() {}
