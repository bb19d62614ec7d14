use go_asm::go_asm;

#[go_asm]
pub fn f(x: f64) -> u64 {
    amd64! {
        return x
    }
    go! { return uint64(x) }
}

fn main() {}
