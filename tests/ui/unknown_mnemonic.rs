use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64, y: u64) -> u64 {
    amd64! {
        addd x, y
        return x
    }
    go! { return x + y }
}

fn main() {}
