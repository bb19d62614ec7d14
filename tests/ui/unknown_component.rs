use go_asm::go_asm;

#[go_asm]
pub fn f(xs: &[u64]) -> u64 {
    amd64! {
        mov rax, xs.length
        return rax
    }
    go! { return 0 }
}

fn main() {}
