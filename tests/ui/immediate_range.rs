use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    amd64! {
        ror x, 300
        return x
    }
    go! { return x }
}

fn main() {}
