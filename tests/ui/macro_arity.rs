use go_asm::go_asm;

#[go_asm]
mod rounds {
    go_asm_macros! {
        macro mix(a, b) {
            add a, b
        }
    }

    #[go_asm]
    pub fn f(x: u64, y: u64) -> u64 {
        amd64! {
            mix!(x, y, 1)
            return x
        }
        go! { return x }
    }
}

fn main() {}
