use go_asm::go_asm;

#[go_asm]
pub fn f(x: u64) -> u64 {
    amd64! {
        let acc[2]: gp64
        for i in 0..3 {
            mov acc[i], x
        }
        return x
    }
    go! { return x }
}

fn main() {}
