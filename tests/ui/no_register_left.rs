use go_asm::go_asm;

// Every allocatable general register is named and live across `mov t, x`: spilling
// x or t cannot help, since that instruction itself needs two more registers.
#[go_asm]
pub fn f(x: u64) -> u64 {
    amd64! {
        let t: gp64
        mov rax, 1
        mov rcx, 2
        mov rdx, 3
        mov rbx, 4
        mov rsi, 5
        mov rdi, 6
        mov r8, 7
        mov r9, 8
        mov r10, 9
        mov r11, 10
        mov r12, 11
        mov r13, 12
        mov r14, 13
        mov t, x
        add rax, t
        add rax, rcx
        add rax, rdx
        add rax, rbx
        add rax, rsi
        add rax, rdi
        add rax, r8
        add rax, r9
        add rax, r10
        add rax, r11
        add rax, r12
        add rax, r13
        add rax, r14
        return rax
    }
    go! { return x }
}

fn main() {}
