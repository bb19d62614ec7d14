use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    amd64! {
        let t: gp32
        mov t, 5
        add x, t
        return x
    }
    go! { return x + 5 }
}

fn main() {}
