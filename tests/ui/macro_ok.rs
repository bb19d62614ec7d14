use go_asm::go_asm;

// A module whose macros expand cleanly: only the missing native object is an
// error (this crate links none), so the expansion itself type-checks.
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
            mix!(x, y)
            return x
        }
        go! { return x + y }
    }
}

fn main() {
    let _: u64 = rounds::f(1, 2);
    compile_error!("expanded");
}
