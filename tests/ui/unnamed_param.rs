use go_asm::go_asm;

#[go_asm(results(sum))]
pub fn f(_: u64, x: u64) -> u64 {
    amd64! {
        add x, _
        return x
    }
    go! { return x }
}

#[go_asm(results(sum, x))]
pub fn g(x: u64) -> (u64, u64) {
    amd64! { return x, x }
    go! { return x, x }
}

fn main() {}
