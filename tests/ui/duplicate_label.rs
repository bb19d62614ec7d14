use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    amd64! {
    top:
        dec x
    top:
        jnz top
        return x
    }
    go! { return 0 }
}

fn main() {}
