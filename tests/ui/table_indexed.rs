use go_asm::go_asm;

#[go_asm]
pub fn f(i: u64) -> u64 {
    const T: [u64; 4] = [1, 2, 3, 4];
    amd64! {
        mov rax, qword [T + i*8]
        return rax
    }
    go! { return 0 }
}

fn main() {}
