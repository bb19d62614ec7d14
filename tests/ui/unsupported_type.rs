use go_asm::go_asm;

#[go_asm]
pub fn f(x: Vec<u8>) -> u64 {
    amd64! {
        xor rax, rax
        return rax
    }
    go! { return 0 }
}

fn main() {}
