use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64, y: f64) -> u64 {
    amd64! {
        imul x, y
        return x
    }
    go! { return x }
}

fn main() {}
