//! The call trampolines, planned once and printed for any convention: typed
//! bindings of C functions ([`emit`]), the runtime's probed `Call*` functions
//! ([`emit_probed`]) and the exact trampolines of go-asm's own objects
//! ([`emit_exact`]). The convention's data is its [`Abi`]; each instruction set's
//! spellings come through [`Abi::isa`] (the architecture folders' `calln.rs`).

use crate::call_abi::{
    abi0_layout, assign, assign_from, line, load_from_frame, load_register_arg, outgoing_bytes,
    stack_arg_insns, store_results, vector_count, Abi, CType, Callee, Dest, PairResults, Param,
    Plan,
};
use std::fmt::Write as _;

/// The Go frame size (the `$F` in `TEXT ·f(SB), $F-args`) of a trampoline whose
/// callee uses `callee_stack` bytes of stack and receives `stack_arg_bytes` bytes of
/// stack arguments.
///
/// `callee_stack` is the callee's deepest use below the stack pointer it was called
/// with, not counting the return address amd64's `CALL` pushes, and not counting the
/// red zone (which this function adds for conventions that have one). For go-asm's
/// own native objects the build step knows it exactly.
pub fn frame_size(abi: &Abi, callee_stack: u32, stack_arg_bytes: u32) -> u32 {
    let outgoing = outgoing_bytes(abi, stack_arg_bytes);
    abi.isa
        .frame_size(abi, outgoing + callee_stack + abi.red_zone)
}

/// What a trampoline is for: its Go declaration, its callee and the callee's stack.
pub struct Spec<'a> {
    pub go_name: &'a str,
    pub callee: Callee<'a>,
    pub params: Vec<(String, CType)>,
    pub results: Vec<(String, CType)>,
    pub callee_stack: u32,
    /// Leading parameters that are not C arguments (the function address, flags).
    pub hidden: usize,
}

/// The Go declaration of a trampoline.
pub fn go_signature(name: &str, params: &[(String, CType)], results: &[(String, CType)]) -> String {
    let ps: Vec<String> = params
        .iter()
        .map(|(n, t)| format!("{n} {}", t.go_type()))
        .collect();
    let rs: Vec<String> = results
        .iter()
        .map(|(n, t)| {
            if n == "ret" && results.len() == 1 {
                t.go_type().to_string()
            } else {
                format!("{n} {}", t.go_type())
            }
        })
        .collect();
    let r = match rs.len() {
        0 => String::new(),
        1 if results[0].0 == "ret" => format!(" {}", rs[0]),
        _ => format!(" ({})", rs.join(", ")),
    };
    format!("func {name}({}){r}", ps.join(", "))
}

/// Plans the trampoline of `spec` for convention `abi`.
pub fn plan<'a>(abi: &Abi, spec: &'a Spec<'a>) -> Plan<'a> {
    let (ps, rs, arg_size) = abi0_layout(&spec.params, &spec.results);
    let skip = spec.hidden;
    let tys: Vec<CType> = ps[skip..].iter().map(|p| p.ty).collect();
    let (dests, stack_bytes) = assign(abi, &tys);
    let float_regs_used = dests
        .iter()
        .filter(|d| {
            matches!(d, Dest::Reg(r) if abi.float_args.contains(r)) || matches!(d, Dest::Both(..))
        })
        .count() as u32;
    let outgoing = outgoing_bytes(abi, stack_bytes);
    let frame = frame_size(abi, spec.callee_stack, stack_bytes);
    let results = rs
        .into_iter()
        .map(|r| {
            let src = if r.ty.is_float() {
                abi.float_result
            } else {
                abi.int_result
            };
            (r, src)
        })
        .collect();
    let signature = go_signature(spec.go_name, &spec.params, &spec.results);
    Plan {
        go_name: spec.go_name,
        signature,
        callee: match spec.callee {
            Callee::Arg(n) => Callee::Arg(n),
            Callee::Symbol(s) => Callee::Symbol(s),
        },
        args: ps.into_iter().skip(skip).zip(dests).collect(),
        results,
        arg_size,
        frame,
        outgoing,
        float_regs_used,
    }
}

/// Prints a typed binding: an ordinary Go assembly function whose frame holds the
/// callee's stack; Go's stack pointer waits in `abi.sp_save` during the call.
pub fn emit(abi: &Abi, plan: &Plan, out: &mut String) {
    let isa = abi.isa;
    let _ = writeln!(out, "// {}", plan.signature);
    let _ = writeln!(
        out,
        "TEXT ·{}(SB), ${}-{}",
        plan.go_name, plan.frame, plan.arg_size
    );
    if let Callee::Arg(name) = plan.callee {
        line(out, format!("{} {name}+0(FP), {}", isa.mov(), abi.fn_reg));
    }
    // Register arguments come straight from the ABI0 frame.
    for (p, d) in &plan.args {
        load_register_arg(isa, p, d, out);
    }
    // Run the callee at the top of this frame.
    let top = isa.lift(plan.frame, plan.outgoing);
    line(out, format!("{} {}, {}", isa.mov(), isa.sp(), abi.sp_save));
    for l in isa.stack_to_top(abi, top) {
        line(out, l);
    }
    // Stack arguments: read relative to the saved stack pointer (FP-relative
    // addressing assumes the prologue's SP).
    let base = isa.args_base(plan.frame);
    for (p, d) in &plan.args {
        if let Dest::Stack(off) = d {
            let src = format!("{}({})", base + p.off, abi.sp_save);
            let (load, store) = stack_arg_insns(isa, abi, p.ty);
            line(out, format!("{load} {src}, {}", abi.scratch));
            line(out, format!("{store} {}, {off}({})", abi.scratch, isa.sp()));
        }
    }
    vector_count(abi, plan, out);
    match &plan.callee {
        Callee::Arg(_) => line(out, isa.call_reg(abi.fn_reg)),
        Callee::Symbol(s) => line(out, format!("CALL {s}(SB)")),
    }
    line(out, format!("{} {}, {}", isa.mov(), abi.sp_save, isa.sp()));
    store_results(isa, plan, out);
    out.push('\n');
}

/// Prints a runtime trampoline (`Call*`): a small `NOSPLIT` function that first
/// calls the package's stack probe, whose only job is its prologue: it grows the
/// goroutine stack until `probe_frame` bytes fit below it, the whole budget. The
/// callee then runs right below the trampoline's own stack pointer, and every
/// argument is read close to the stack pointer (a large frame would put them
/// thousands of bytes away, which the CPU's stack-access fast paths miss).
///
/// Stack-pointer moves are all tracked by the assembler (`ADJSP`/`PUSHQ`, `SUB
/// $k, RSP`), so the function stays unwindable while the probe grows the stack.
/// amd64 aligns the call to 16 bytes with one `PUSHQ` on the path where the
/// stack pointer is 8 bytes off; arm64's is always aligned, and moves 16 bytes
/// down first so the callee cannot overwrite the frame pointer Go saved just below
/// the stack pointer.
pub fn emit_probed(abi: &Abi, plan: &Plan, probe: &str, frame_bytes: u32, out: &mut String) {
    let Callee::Arg(fn_arg) = plan.callee else {
        unreachable!("probed trampolines call an address argument")
    };
    let _ = writeln!(out, "// {}", plan.signature);
    let _ = writeln!(
        out,
        "TEXT ·{}(SB), NOSPLIT, $0-{}",
        plan.go_name, plan.arg_size
    );
    // The probe's own check, inline: the common path makes no extra call. The
    // probe's stack pointer is the trampoline's less the return address (amd64) or
    // the same (arm64, LR in a register); counting 8 more on both keeps the inline
    // check at least as strict as the probe's prologue.
    let reach = probe_frame(abi, frame_bytes) + 8;
    let mut cold = String::new();
    abi.isa.stack_check(abi, reach, probe, out, &mut cold);
    abi.isa.probed_call(abi, plan, fn_arg, out);
    out.push_str(&cold);
    out.push('\n');
}

/// The frame of the stack probe for a budget of `frame_bytes`: everything below
/// a trampoline's stack pointer (the outgoing area, with Win64's shadow space and
/// two stack arguments at most, the alignment push, the return address, the red
/// zone and the budget; on arm64 the 16 bytes the trampoline steps over).
/// `frame_size` already counts all but the last.
fn probe_frame(abi: &Abi, frame_bytes: u32) -> u32 {
    let most_stack_args = 16;
    frame_size(abi, frame_bytes, most_stack_args) + 16
}

/// The stack probe of the runtime package: a function with a frame as large as
/// the whole budget of a call, which does nothing; its prologue makes Go grow
/// the goroutine stack until that frame fits.
pub fn emit_probe(abi: &Abi, name: &str, frame_bytes: u32, out: &mut String) {
    let frame = probe_frame(abi, frame_bytes);
    let _ = writeln!(
        out,
        "// {name} has a frame of the whole stack budget and does nothing: its prologue\n\
         // grows the goroutine stack until the budget fits below the caller.\n\
         TEXT ·{name}(SB), ${frame}-0\n\tRET\n"
    );
}

/// One value of a go-asm function's ABI0 frame, as its Go declaration lays it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameValue {
    /// `go vet`'s name for it (`xs_base`, `ret1`).
    pub name: String,
    pub offset: u32,
    pub ty: CType,
}

/// A go-asm function called through its native object: the typed Go function is
/// the trampoline itself (one `TEXT`, no Go wrapper around it).
#[derive(Clone, Debug)]
pub struct ExactFunc {
    /// Go name of the function (its stub declaration is elsewhere).
    pub go_name: String,
    /// C symbol of the native function.
    pub symbol: String,
    /// The Go declaration, printed as the comment above the `TEXT`.
    pub signature: String,
    /// Frame values in C argument order (one per slice/string component).
    pub args: Vec<FrameValue>,
    pub results: Vec<FrameValue>,
    /// `argsize` of `$frame-argsize`.
    pub arg_size: u32,
    /// Bytes of stack the native function uses below the stack pointer it is
    /// called with, the return address excluded (its pushes and register saves).
    pub stack_bytes: u32,
}

/// Largest exact frame whose trampoline is `NOSPLIT`. Go guarantees 800 bytes
/// below the stack pointer to a chain of `NOSPLIT` functions called from a
/// function that checked its stack; this leaves most of them to `NOSPLIT` Go
/// callers. The linker checks every chain and fails the link if one is too deep.
pub const NOSPLIT_FRAME_LIMIT: u32 = 256;

/// The Go frame size of an exact trampoline: `scratch` bytes at the bottom (the
/// Win64 result buffer), `outgoing` bytes of stack arguments (and shadow space)
/// at the top, and in between the callee's own stack use.
///
/// go-asm's native functions never read or write below their stack pointer (no
/// red zone) and never depend on its alignment (they save vector registers with
/// unaligned moves and their bodies cannot address the stack), so neither the
/// red zone nor amd64's 16-byte alignment slack is reserved.
pub fn exact_frame_size(abi: &Abi, stack_bytes: u32, outgoing: u32, scratch: u32) -> u32 {
    abi.isa.exact_frame_size(scratch + outgoing, stack_bytes)
}

/// Where each result comes from after the call.
enum ResultSource {
    /// (frame value, register, store instruction).
    Regs(Vec<(FrameValue, &'static str, &'static str)>),
    /// Win64: the results are in the 16-byte buffer whose address is in AX.
    Buffer(Vec<FrameValue>),
}

fn result_sources(abi: &Abi, results: &[FrameValue]) -> Result<ResultSource, String> {
    let isa = abi.isa;
    let single = |v: &FrameValue| {
        let r = if v.ty.is_float() {
            abi.float_result
        } else {
            abi.int_result
        };
        (v.clone(), r, isa.store_insn(v.ty))
    };
    match results {
        [] => Ok(ResultSource::Regs(Vec::new())),
        [v] => Ok(ResultSource::Regs(vec![single(v)])),
        [x, y] => {
            if x.ty == CType::F32 || y.ty == CType::F32 {
                return Err("a float32 in a result pair has no C-ABI equivalent here".into());
            }
            match abi.pair_results {
                PairResults::HiddenPointer => Ok(ResultSource::Buffer(results.to_vec())),
                PairResults::ByClass(ints, floats) => {
                    let (mut ni, mut nf) = (0, 0);
                    let mut out = Vec::new();
                    for v in results {
                        let r = if v.ty.is_float() {
                            nf += 1;
                            floats[nf - 1]
                        } else {
                            ni += 1;
                            ints[ni - 1]
                        };
                        out.push((v.clone(), r, isa.store_insn(v.ty)));
                    }
                    Ok(ResultSource::Regs(out))
                }
                PairResults::Hfa(ints, floats) => {
                    let both_float = x.ty.is_float() && y.ty.is_float();
                    let regs = if both_float { floats } else { ints };
                    Ok(ResultSource::Regs(
                        results
                            .iter()
                            .zip(regs)
                            .map(|(v, r)| {
                                // A float in an integer register is stored as its bits.
                                let store = if v.ty.is_float() && !both_float {
                                    isa.store_insn(CType::U64)
                                } else {
                                    isa.store_insn(v.ty)
                                };
                                (v.clone(), *r, store)
                            })
                            .collect(),
                    ))
                }
            }
        }
        _ => Err("at most two results".into()),
    }
}

/// Prints the exact trampoline of `f` for convention `abi`.
///
/// The trampoline's frame holds the callee's whole stack use, so Go's accounting
/// covers it: a `NOSPLIT` trampoline is checked by the linker's nosplit analysis,
/// a larger one by its own prologue (which grows the stack first). The frame is
/// laid out bottom to top as: Win64 result buffer, the callee's stack, the
/// outgoing stack arguments. The stack pointer moves to the bottom of the outgoing
/// area for the call with a tracked adjustment (`ADJSP` / `ADD $k, RSP`), so the
/// assembler's stack-pointer table stays exact and tracebacks (profiler signals,
/// `runtime/trace`) unwind through it.
pub fn emit_exact(abi: &Abi, f: &ExactFunc, out: &mut String) -> Result<(), String> {
    let isa = abi.isa;
    let results = result_sources(abi, &f.results)?;
    let hidden = matches!(results, ResultSource::Buffer(_));
    let params: Vec<Param> = f
        .args
        .iter()
        .map(|v| Param {
            name: v.name.clone(),
            ty: v.ty,
            off: v.offset,
        })
        .collect();
    let tys: Vec<CType> = params.iter().map(|p| p.ty).collect();
    let (dests, stack_bytes) = assign_from(abi, &tys, usize::from(hidden));
    let outgoing = isa.exact_outgoing(abi, stack_bytes);
    let scratch = if hidden { 16 } else { 0 };
    let frame = exact_frame_size(abi, f.stack_bytes, outgoing, scratch);
    let nosplit = if frame <= NOSPLIT_FRAME_LIMIT {
        "NOSPLIT, "
    } else {
        ""
    };
    // How far the stack pointer moves up for the call: to the outgoing area.
    let lift = isa.lift(frame, outgoing);
    let _ = writeln!(out, "// {}", f.signature);
    let _ = writeln!(
        out,
        "TEXT ·{}(SB), {nosplit}${frame}-{}",
        f.go_name, f.arg_size
    );
    if hidden {
        // The result buffer is the bottom of the frame.
        line(
            out,
            format!("{} {}, {}", isa.mov(), isa.sp(), abi.int_args[0]),
        );
    }
    // Every frame access happens at the prologue's stack pointer (arm64's
    // assembler resolves FP-relative names against it only).
    for (p, d) in params.iter().zip(&dests) {
        // An unnamed parameter's (`_`, `__base`, ..): its register or stack slot
        // is the callee's, which cannot read it (sig/unnamed.rs); asmdecl would
        // know only the last of several `_` by name.
        if p.name == "_" || p.name.starts_with("__") {
            continue;
        }
        match d {
            Dest::Reg(r) => line(out, load_from_frame(isa, p, r)),
            Dest::Stack(off) => {
                let (load, store) = stack_arg_insns(isa, abi, p.ty);
                let src = format!("{}+{}(FP)", p.name, p.off);
                line(out, isa.load(load, &src, p.ty, abi.scratch));
                line(
                    out,
                    format!("{store} {}, {}({})", abi.scratch, lift + off, isa.sp()),
                );
            }
            Dest::Both(..) => return Err("raw slots are internal to the runtime".into()),
        }
    }
    line(out, isa.raise_sp(lift));
    line(out, format!("CALL {}(SB)", f.symbol));
    line(out, isa.lower_sp(lift));
    match results {
        ResultSource::Regs(rs) => {
            for (v, r, store) in rs {
                line(out, format!("{store} {r}, {}+{}(FP)", v.name, v.offset));
            }
        }
        ResultSource::Buffer(vs) => {
            for (i, v) in vs.iter().enumerate() {
                let (load, reg) = if v.ty.is_float() {
                    (isa.load_insn(CType::F64), abi.float_result)
                } else {
                    (isa.mov(), abi.scratch)
                };
                line(out, format!("{load} {}({}), {reg}", 8 * i, abi.int_result));
                line(
                    out,
                    format!(
                        "{} {reg}, {}+{}(FP)",
                        isa.store_insn(v.ty),
                        v.name,
                        v.offset
                    ),
                );
            }
        }
    }
    line(out, "RET".to_string());
    out.push('\n');
    Ok(())
}

/// The address function of a bound symbol: returns `$symbol(SB)`.
pub fn emit_addr(abi: &Abi, go_name: &str, symbol: &str, flags: &str, out: &mut String) {
    let (mov, r) = (abi.isa.mov(), abi.int_result);
    let _ = writeln!(out, "// func {go_name}Addr() uintptr");
    let _ = writeln!(out, "TEXT ·{go_name}Addr(SB), {flags}$0-8");
    let _ = writeln!(
        out,
        "\t{mov} ${symbol}(SB), {r}\n\t{mov} {r}, ret+0(FP)\n\tRET\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::arm64::calln::{AAPCS64, APPLE_AAPCS64};
    use crate::calln::DEFAULT_FRAME_BYTES;
    use crate::x86::calln::{SYSV_AMD64, WIN64};

    #[test]
    fn frame_sizes_hold_the_callee() {
        for abi in [&SYSV_AMD64, &WIN64, &AAPCS64, &APPLE_AAPCS64] {
            for use_ in [0u32, 8, 100, 4096, DEFAULT_FRAME_BYTES] {
                for args in [0u32, 8, 16, 24] {
                    let f = frame_size(abi, use_, args);
                    let out = outgoing_bytes(abi, args);
                    match abi.arch {
                        Arch::Amd64 => {
                            // worst case: SP ≡ 15 after adding (f - out)
                            let call_sp_min = f - out - 15;
                            assert!(
                                call_sp_min >= 8 + use_ + abi.red_zone,
                                "{} {use_} {args}",
                                abi.name
                            );
                            assert_eq!(f % 8, 0);
                        }
                        Arch::Arm64 => {
                            assert_eq!(f % 16, 8);
                            let top = f + 8 - out;
                            assert!(top >= 8 + use_ + abi.red_zone);
                            assert_eq!(top % 16, 0);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn exact_frames_hold_the_callee_and_nothing_more() {
        for abi in [&SYSV_AMD64, &WIN64, &AAPCS64, &APPLE_AAPCS64] {
            for use_ in [0u32, 8, 24, 200, 1000] {
                for out in [0u32, 16, 32, 48] {
                    for scratch in [0u32, 16] {
                        let f = exact_frame_size(abi, use_, out, scratch);
                        match abi.arch {
                            // Frame [S, S+f); the call at S+f-out; return address
                            // and callee below it, never under the buffer.
                            Arch::Amd64 => assert_eq!(f, scratch + out + 8 + use_),
                            // Locals [S+8, S+8+f); the call at S+8+f-out, aligned.
                            Arch::Arm64 => {
                                let top = f + 8 - out;
                                assert_eq!(f % 16, 8);
                                assert_eq!(top % 16, 0);
                                assert!(top >= 8 + scratch + use_, "{}", abi.name);
                                assert!(top < 8 + scratch + use_ + 16, "not exact");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn sysv_assigns_by_class_win64_by_position() {
        use CType::*;
        let tys = [I64, F64, I64, F64, I64, I64, I64, I64, I64];
        let (d, st) = assign(&SYSV_AMD64, &tys);
        assert_eq!(d[0], Dest::Reg("DI"));
        assert_eq!(d[1], Dest::Reg("X0"));
        assert_eq!(d[2], Dest::Reg("SI"));
        assert_eq!(d[3], Dest::Reg("X1"));
        assert_eq!(d[7], Dest::Reg("R9"));
        assert_eq!(d[8], Dest::Stack(0));
        assert_eq!(st, 8);
        let (d, st) = assign(&WIN64, &tys);
        assert_eq!(d[0], Dest::Reg("CX"));
        assert_eq!(d[1], Dest::Reg("X1"));
        assert_eq!(d[2], Dest::Reg("R8"));
        assert_eq!(d[3], Dest::Reg("X3"));
        assert_eq!(d[4], Dest::Stack(32));
        assert_eq!(d[8], Dest::Stack(64));
        assert_eq!(st, 40);
        let tys = [I64, I64, I64, I64, I64, I64, I64, I64, I32, I64, I32];
        let (d, _) = assign(&AAPCS64, &tys);
        assert_eq!(d[8], Dest::Stack(0));
        assert_eq!(d[9], Dest::Stack(8));
        assert_eq!(d[10], Dest::Stack(16));
        let (d, st) = assign(&APPLE_AAPCS64, &tys);
        assert_eq!(d[8], Dest::Stack(0));
        assert_eq!(d[9], Dest::Stack(8));
        assert_eq!(d[10], Dest::Stack(16));
        assert_eq!(st, 24);
        let (d, _) = assign(
            &APPLE_AAPCS64,
            &[I64, I64, I64, I64, I64, I64, I64, I64, I32, I32, I64],
        );
        assert_eq!(d[9], Dest::Stack(4));
        assert_eq!(d[10], Dest::Stack(8));
    }
}
