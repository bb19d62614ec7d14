//! arm64's C calling conventions for the call trampolines (AAPCS64 and Apple's
//! variant), and how arm64 spells each trampoline step ([`CallIsa`]).

use crate::call_abi::{
    line, load_args, outgoing_bytes, round_up, store_results, vector_count, Abi, Arch, CType,
    CallIsa, PairResults, Plan, Target,
};

/// AAPCS64 (linux/arm64).
pub static AAPCS64: Abi = Abi {
    name: "AAPCS64",
    arch: Arch::Arm64,
    isa: &Arm64Calls,
    int_args: &["R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7"],
    float_args: &["F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7"],
    positional: false,
    int_result: "R0",
    float_result: "F0",
    pair_results: PairResults::Hfa(&["R0", "R1"], &["F0", "F1"]),
    shadow_space: 0,
    red_zone: 0,
    stack_align: 16,
    packed_stack_args: false,
    return_address_on_stack: false,
    frame_pointer: "R29",
    go_preserved: &[
        ("RSP", "goroutine stack pointer"),
        ("R29", "frame-pointer chain for runtime/trace and pprof"),
        (
            "R28",
            "g: without cgo the signal handler reads the current goroutine from R28, \
             so the callee must not use it even temporarily",
        ),
    ],
    callee_saved: &[
        "R19", "R20", "R21", "R22", "R23", "R24", "R25", "R26", "R27", "R28", "R29", "F8", "F9",
        "F10", "F11", "F12", "F13", "F14", "F15",
    ],
    sp_save: "R19",
    fn_reg: "R9",
    scratch: "R10",
    vector_count: None,
};

/// Apple's AAPCS64 variant (darwin/arm64): R18 reserved, a 128-byte red zone, stack
/// arguments packed at natural alignment.
pub static APPLE_AAPCS64: Abi = Abi {
    name: "Apple AAPCS64",
    red_zone: 128,
    packed_stack_args: true,
    go_preserved: &[
        ("RSP", "goroutine stack pointer"),
        (
            "R29",
            "frame-pointer chain (must always hold a valid frame record)",
        ),
        ("R28", "g"),
        ("R18", "platform register, reserved by the OS"),
    ],
    ..AAPCS64
};

/// The arm64 platforms the trampolines are generated for.
pub static TARGETS: [Target; 2] = [
    Target {
        goos: "linux",
        abi: &AAPCS64,
    },
    Target {
        goos: "darwin",
        abi: &APPLE_AAPCS64,
    },
];

/// arm64 trampoline spellings.
#[derive(Debug)]
pub struct Arm64Calls;

impl CallIsa for Arm64Calls {
    fn mov(&self) -> &'static str {
        "MOVD"
    }
    fn sp(&self) -> &'static str {
        "RSP"
    }
    fn load_insn(&self, ty: CType) -> &'static str {
        match ty {
            CType::FrameAddr => "MOVD",
            CType::U8 | CType::Bool => "MOVBU",
            CType::I8 => "MOVB",
            CType::U16 => "MOVHU",
            CType::I16 => "MOVH",
            CType::I32 => "MOVW",
            CType::U32 => "MOVWU",
            CType::F64 => "FMOVD",
            CType::F32 => "FMOVS",
            _ => "MOVD",
        }
    }
    fn bits_load_insn(&self, ty: CType) -> &'static str {
        match ty {
            CType::F64 => "MOVD",
            CType::F32 => "MOVWU",
            t => self.load_insn(t),
        }
    }
    fn store_insn(&self, ty: CType) -> &'static str {
        match ty {
            CType::U8 | CType::I8 | CType::Bool => "MOVB",
            CType::U16 | CType::I16 => "MOVH",
            CType::I32 | CType::U32 => "MOVW",
            CType::F64 => "FMOVD",
            CType::F32 => "FMOVS",
            _ => "MOVD",
        }
    }
    fn store_width_insn(&self, width: u32) -> &'static str {
        match width {
            1 => "MOVB",
            2 => "MOVH",
            4 => "MOVW",
            _ => "MOVD",
        }
    }
    /// A frame address is `$name+off(FP)`, which only `MOVD` takes.
    fn load(&self, insn: &str, src: &str, ty: CType, r: &str) -> String {
        match ty {
            CType::FrameAddr => format!("MOVD ${src}, {r}"),
            _ => format!("{insn} {src}, {r}"),
        }
    }
    fn int_to_float(&self, r: &str, f: &str) -> String {
        format!("FMOVD {r}, {f}")
    }
    fn call_reg(&self, r: &str) -> String {
        format!("CALL ({r})")
    }
    fn raise_sp(&self, k: u32) -> String {
        format!("ADD ${k}, RSP")
    }
    fn lower_sp(&self, k: u32) -> String {
        format!("SUB ${k}, RSP")
    }
    fn frame_size(&self, _abi: &Abi, need: u32) -> u32 {
        // Locals sit at 8(RSP)..8+F(RSP) and RSP is always 16-byte aligned; with a
        // frame of 16k+8 bytes, 8+F(RSP), the top of the locals, is 16-byte aligned
        // too. (Above it the assembler keeps 16 bytes: the slot where the caller
        // saved its R29, and padding.)
        round_up(need, 16) + 8
    }
    fn args_base(&self, frame: u32) -> u32 {
        // cmd/internal/obj/arm64 adds 8 bytes for LR, then 8 (or 16) more so the
        // frame top can hold the caller's saved R29, keeping the total 16-aligned;
        // 0(FP) is 8 above that, past the caller's LR slot.
        let with_lr = frame + 8;
        let total = with_lr + if with_lr % 16 == 8 { 8 } else { 16 };
        total + 8
    }
    fn lift(&self, frame: u32, outgoing: u32) -> u32 {
        frame + 8 - outgoing
    }
    fn stack_to_top(&self, abi: &Abi, top: u32) -> [String; 2] {
        [
            format!("ADD ${top}, RSP, {}", abi.scratch),
            format!("MOVD {}, RSP", abi.scratch),
        ]
    }
    fn exact_outgoing(&self, abi: &Abi, stack_arg_bytes: u32) -> u32 {
        // The hardware needs the 16-byte alignment.
        outgoing_bytes(abi, stack_arg_bytes)
    }
    fn exact_frame_size(&self, below: u32, stack_bytes: u32) -> u32 {
        // Locals at 8(RSP)..8+F(RSP), the top 16-byte aligned (F = 16k + 8, see
        // `frame_size`); the callee's stack ends at 8(RSP), above the saved LR.
        round_up((below + stack_bytes).saturating_sub(8), 16) + 8
    }
    /// g lives in R28 on arm64; `g.stackguard0` is at 16(g), the offset Go's
    /// assembler builds into every stack-split prologue. A preemption request (the
    /// guard set to a huge value) also takes the probe, whose `morestack` honours
    /// it. Goroutine stacks never sit within `reach` of address 0.
    fn stack_check(&self, abi: &Abi, reach: u32, probe: &str, out: &mut String, cold: &mut String) {
        let (guard, low) = (abi.scratch, abi.fn_reg);
        line(out, format!("MOVD 16(g), {guard}"));
        line(out, format!("MOVD RSP, {low}"));
        line(out, format!("SUB ${reach}, {low}, {low}"));
        line(out, format!("CMP {guard}, {low}"));
        line(out, "BLS grow".to_string());
        out.push_str("stack_ok:\n");
        cold.push_str("grow:\n");
        line(cold, format!("CALL ·{probe}(SB)"));
        line(cold, "JMP stack_ok".to_string());
    }
    /// The stack pointer is always aligned; it moves 16 bytes further down so the
    /// callee cannot overwrite the frame pointer Go saved just below it.
    fn probed_call(&self, abi: &Abi, plan: &Plan, fn_arg: &str, out: &mut String) {
        line(out, format!("MOVD {fn_arg}+0(FP), {}", abi.fn_reg));
        let drop = 16 + plan.outgoing;
        // Stores below the stack pointer it is about to lower.
        load_args(
            self,
            abi,
            plan,
            &|off| format!("{}(RSP)", off as i64 - drop as i64),
            out,
        );
        line(out, self.lower_sp(drop));
        vector_count(abi, plan, out);
        line(out, self.call_reg(abi.fn_reg));
        line(out, self.raise_sp(drop));
        store_results(self, plan, out);
    }
}
