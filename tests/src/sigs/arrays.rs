//! Arrays by value in the random signatures: parameters of arrays of arrays
//! (`[[T; C]; N]`) and of references (`[&T; N]`), and array results
//! (`[T; N]`, `[[T; C]; N]`, any scalar element), which the bodies fill from
//! the checksum: element `j` is the checksum rotated left by `7 j mod 64`,
//! truncated to the element (`& 1` for bools, the bits for floats).

use super::{ext64, mask};
use go_asm_build::internal::sig::Scalar;

/// How far element `j` of an array result rotates the checksum.
pub fn rotation(j: usize) -> u32 {
    (j as u32 * 7) % 64
}

/// The raw bits of every element of an array result of `count` `elem`s.
pub fn result_bits(acc: u64, elem: Scalar, count: usize) -> Vec<u64> {
    (0..count)
        .map(|j| {
            let x = acc.rotate_left(rotation(j));
            if elem == Scalar::Bool {
                x & 1
            } else {
                mask(elem, x)
            }
        })
        .collect()
}

/// `[N]T` or `[N][C]T` in Go, `[T; N]` or `[[T; C]; N]` in Rust.
pub fn go_type(elem: Scalar, len: usize, cols: Option<usize>) -> String {
    match cols {
        Some(c) => format!("[{len}][{c}]{}", elem.go_name()),
        None => format!("[{len}]{}", elem.go_name()),
    }
}

pub fn rust_type(elem: &str, len: usize, cols: Option<usize>) -> String {
    match cols {
        Some(c) => format!("[[{elem}; {c}]; {len}]"),
        None => format!("[{elem}; {len}]"),
    }
}

/// The C dimensions after a name: `[N]` or `[N][C]`.
pub fn c_dims(len: usize, cols: Option<usize>) -> String {
    match cols {
        Some(c) => format!("[{len}][{c}]"),
        None => format!("[{len}]"),
    }
}

/// A literal's elements, nested in `open`/`close` per row when `cols` is set.
pub fn nested(items: &[String], cols: Option<usize>, open: &str, close: &str) -> String {
    match cols {
        None => items.join(", "),
        Some(c) => items
            .chunks(c)
            .map(|row| format!("{open}{}{close}", row.join(", ")))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The index of flat element `j` (`[j]` or `[r][c]`).
pub fn index(j: usize, cols: Option<usize>) -> String {
    match cols {
        Some(c) => format!("[{}][{}]", j / c, j % c),
        None => format!("[{j}]"),
    }
}

/// amd64 lines filling the array result whose address is `name`.
pub fn fill_amd64(name: &str, elem: Scalar, count: usize) -> Vec<String> {
    let mut out = Vec::new();
    let size = elem.size();
    for j in 0..count {
        out.push("mov t, acc".into());
        if rotation(j) != 0 {
            out.push(format!("rol t, {}", rotation(j)));
        }
        if elem == Scalar::Bool {
            out.push("and t, 1".into());
        }
        let at = j as u32 * size;
        out.push(match size {
            1 => format!("mov byte [{name} + {at}], t.8"),
            2 => format!("mov word [{name} + {at}], t.16"),
            4 => format!("mov dword [{name} + {at}], t.32"),
            _ => format!("mov qword [{name} + {at}], t"),
        });
    }
    out
}

/// arm64 lines filling the array result whose address is `name`.
pub fn fill_arm64(name: &str, elem: Scalar, count: usize) -> Vec<String> {
    let mut out = Vec::new();
    let size = elem.size();
    for j in 0..count {
        match rotation(j) {
            0 => out.push("mov t, acc".into()),
            r => out.push(format!("ror t, acc, #{}", 64 - r)),
        }
        if elem == Scalar::Bool {
            out.push("and t, t, #1".into());
        }
        let at = j as u32 * size;
        out.push(match size {
            1 => format!("strb t.w, [{name}, #{at}]"),
            2 => format!("strh t.w, [{name}, #{at}]"),
            4 => format!("str t.w, [{name}, #{at}]"),
            _ => format!("str t, [{name}, #{at}]"),
        });
    }
    out
}

/// Go lines declaring and filling `local`, the fallback's array result.
pub fn fill_go(local: &str, elem: Scalar, len: usize, cols: Option<usize>) -> Vec<String> {
    let mut out = vec![format!("var {local} {}", go_type(elem, len, cols))];
    for j in 0..len * cols.unwrap_or(1) {
        let x = format!("bits.RotateLeft64(acc, {})", rotation(j));
        let v = match elem {
            Scalar::Bool => format!("{x}&1 != 0"),
            Scalar::F32 => format!("math.Float32frombits(uint32({x}))"),
            Scalar::F64 => format!("math.Float64frombits({x})"),
            s => format!("{}({x})", s.go_name()),
        };
        out.push(format!("{local}{} = {v}", index(j, cols)));
    }
    out
}

/// A Go condition that is true when `got` (an array) differs from `bits`.
pub fn go_differs(got: &str, elem: Scalar, cols: Option<usize>, bits: &[u64]) -> String {
    let parts: Vec<String> = bits
        .iter()
        .enumerate()
        .map(|(j, b)| {
            let e = format!("{got}{}", index(j, cols));
            match elem {
                Scalar::Bool => format!("{e} != {}", *b != 0),
                Scalar::F32 => format!("math.Float32bits({e}) != {b:#x}"),
                Scalar::F64 => format!("math.Float64bits({e}) != {b:#x}"),
                s => format!("{e} != {}", super::go_scalar(s, *b)),
            }
        })
        .collect();
    parts.join(" || ")
}

/// A Rust condition that holds when `got` (an array) has the elements `bits`.
pub fn rust_matches(got: &str, elem: Scalar, cols: Option<usize>, bits: &[u64]) -> String {
    let flat = match cols {
        Some(_) => format!("{got}.as_flattened()"),
        None => format!("{got}[..]"),
    };
    let conv = match elem {
        Scalar::Bool => "*x as u64".to_string(),
        Scalar::F32 => "x.to_bits() as u64".to_string(),
        Scalar::F64 => "x.to_bits()".to_string(),
        s => format!("(*x as u64) & {:#x}", mask(s, u64::MAX)),
    };
    let want: Vec<String> = bits.iter().map(|b| format!("{b:#x}u64")).collect();
    format!(
        "{flat}.iter().map(|x| {conv}).collect::<Vec<u64>>() == vec![{}]",
        want.join(", ")
    )
}

/// A C condition that holds when the array `got` has the elements `bits`.
pub fn c_matches(got: &str, elem: Scalar, cols: Option<usize>, bits: &[u64]) -> String {
    let parts: Vec<String> = bits
        .iter()
        .enumerate()
        .map(|(j, b)| {
            let e = format!("{got}{}", index(j, cols));
            match elem {
                Scalar::Bool => format!("{e} == {}", *b != 0),
                Scalar::F32 => format!("bf32({e}) == {b:#x}u"),
                Scalar::F64 => format!("bf64({e}) == {b:#x}ull"),
                s => format!("(uint64_t){e} == {:#x}ull", ext64(s, *b)),
            }
        })
        .collect();
    format!("({})", parts.join(" && "))
}
