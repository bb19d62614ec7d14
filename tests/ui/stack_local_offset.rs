use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    arm64! {
        let w: stack[32] align 16
        for i in 0..5 {
            str x, [w, #8 * i]
        }
        return x
    }
    go! { return x }
}

fn main() {}
