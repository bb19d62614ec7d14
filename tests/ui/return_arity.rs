use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64, y: u64) -> u64 {
    amd64! {
        return x, y
    }
    go! { return x }
}

fn main() {}
