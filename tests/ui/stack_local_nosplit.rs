use go_asm::go_asm;

#[go_asm(nosplit)]
pub fn f(x: u64) -> u64 {
    amd64! {
        let w: stack[256], big: stack[512]
        mov qword [w], x
        return x
    }
    go! { return x }
}

fn main() {}
