use go_asm::go_asm;

#[go_asm]
mod rounds {
    go_asm_macros! {
        macro rot(a, k) {
            ror a, k
        }
    }

    #[go_asm]
    pub fn f(x: u64) -> u64 {
        amd64! {
            rot!(x, 1)
            rot!(x, 300)
            return x
        }
        go! { return x }
    }
}

fn main() {
    let _ = rounds::f(1);
}
