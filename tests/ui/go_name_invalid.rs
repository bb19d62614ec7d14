use go_asm::go_asm;

#[go_asm(go_name = "9lives")]
pub fn f(x: u64) -> u64 {
    amd64! { return x }
    go! { return x }
}

fn main() {}
