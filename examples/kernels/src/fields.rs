//! A struct shared by Rust, C and Go, read through a pointer.

use go_asm::go_asm;

/// Point3 is a point in space.
#[go_asm]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Point3 {
    pub x: u64,
    pub y: u64,
    pub z: u64,
}

/// FieldSum returns p.X + p.Y + p.Z, wrapping on overflow.
#[go_asm]
pub fn field_sum(p: &Point3) -> u64 {
    amd64! {
        let s: gp64
        mov s, qword [p]
        add s, qword [p + 8]
        add s, qword [p + 16]
        return s
    }
    arm64! {
        let s: x, t: x
        ldp s, t, [p]
        add s, s, t
        ldr t, [p, #16]
        add s, s, t
        return s
    }
    go! {
        return p.X + p.Y + p.Z
    }
}
