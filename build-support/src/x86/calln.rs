//! amd64's C calling conventions for the call trampolines (System V and Win64),
//! and how amd64 spells each trampoline step ([`CallIsa`]).

use crate::call_abi::{
    line, load_args, round_up, store_results, vector_count, Abi, Arch, CType, CallIsa, Dest,
    PairResults, Plan, Target,
};

/// What Go needs kept across a call on amd64, in both conventions.
const GO_PRESERVED: &[(&str, &str)] = &[
    ("SP", "goroutine stack pointer"),
    ("BP", "frame-pointer chain for runtime/trace and pprof"),
];

/// System V AMD64 (linux, darwin and the other Unix-likes on amd64).
pub static SYSV_AMD64: Abi = Abi {
    name: "System V AMD64",
    arch: Arch::Amd64,
    isa: &Amd64Calls,
    int_args: &["DI", "SI", "DX", "CX", "R8", "R9"],
    float_args: &["X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7"],
    positional: false,
    int_result: "AX",
    float_result: "X0",
    pair_results: PairResults::ByClass(&["AX", "DX"], &["X0", "X1"]),
    shadow_space: 0,
    red_zone: 128,
    stack_align: 16,
    packed_stack_args: false,
    return_address_on_stack: true,
    frame_pointer: "BP",
    go_preserved: GO_PRESERVED,
    callee_saved: &["BX", "BP", "R12", "R13", "R14", "R15"],
    sp_save: "R12",
    fn_reg: "R11",
    scratch: "R10",
    vector_count: Some("AX"),
};

/// Microsoft x64 (windows/amd64).
pub static WIN64: Abi = Abi {
    name: "Win64",
    arch: Arch::Amd64,
    isa: &Amd64Calls,
    int_args: &["CX", "DX", "R8", "R9"],
    float_args: &["X0", "X1", "X2", "X3"],
    positional: true,
    int_result: "AX",
    float_result: "X0",
    pair_results: PairResults::HiddenPointer,
    shadow_space: 32,
    red_zone: 0,
    stack_align: 16,
    packed_stack_args: false,
    return_address_on_stack: true,
    frame_pointer: "BP",
    go_preserved: GO_PRESERVED,
    callee_saved: &[
        "BX", "BP", "DI", "SI", "R12", "R13", "R14", "R15", "X6", "X7", "X8", "X9", "X10", "X11",
        "X12", "X13", "X14", "X15",
    ],
    sp_save: "R12",
    fn_reg: "R11",
    scratch: "R10",
    vector_count: None,
};

/// The amd64 platforms the trampolines are generated for.
pub static TARGETS: [Target; 3] = [
    Target {
        goos: "linux",
        abi: &SYSV_AMD64,
    },
    Target {
        goos: "darwin",
        abi: &SYSV_AMD64,
    },
    Target {
        goos: "windows",
        abi: &WIN64,
    },
];

/// amd64 trampoline spellings.
#[derive(Debug)]
pub struct Amd64Calls;

impl CallIsa for Amd64Calls {
    fn mov(&self) -> &'static str {
        "MOVQ"
    }
    fn sp(&self) -> &'static str {
        "SP"
    }
    fn load_insn(&self, ty: CType) -> &'static str {
        match ty {
            CType::FrameAddr => "LEAQ",
            CType::U8 | CType::Bool => "MOVBQZX",
            CType::I8 => "MOVBQSX",
            CType::U16 => "MOVWQZX",
            CType::I16 => "MOVWQSX",
            CType::I32 => "MOVLQSX",
            CType::U32 => "MOVL",
            CType::F64 => "MOVSD",
            CType::F32 => "MOVSS",
            _ => "MOVQ",
        }
    }
    fn bits_load_insn(&self, ty: CType) -> &'static str {
        match ty {
            CType::F64 => "MOVQ",
            CType::F32 => "MOVL",
            t => self.load_insn(t),
        }
    }
    fn store_insn(&self, ty: CType) -> &'static str {
        match ty {
            CType::U8 | CType::I8 | CType::Bool => "MOVB",
            CType::U16 | CType::I16 => "MOVW",
            CType::I32 | CType::U32 => "MOVL",
            CType::F64 => "MOVSD",
            CType::F32 => "MOVSS",
            _ => "MOVQ",
        }
    }
    fn store_width_insn(&self, width: u32) -> &'static str {
        match width {
            1 => "MOVB",
            2 => "MOVW",
            4 => "MOVL",
            _ => "MOVQ",
        }
    }
    fn int_to_float(&self, r: &str, f: &str) -> String {
        format!("MOVQ {r}, {f}")
    }
    fn call_reg(&self, r: &str) -> String {
        format!("CALL {r}")
    }
    fn raise_sp(&self, k: u32) -> String {
        format!("ADJSP $-{k}")
    }
    fn lower_sp(&self, k: u32) -> String {
        format!("ADJSP ${k}")
    }
    fn frame_size(&self, abi: &Abi, need: u32) -> u32 {
        // The call stack pointer is (SP + F - outgoing) rounded down to 16, i.e. at
        // most 15 bytes lower; then CALL pushes 8 bytes of return address.
        round_up(need + (abi.stack_align - 1) + 8, 8)
    }
    fn args_base(&self, frame: u32) -> u32 {
        // locals, saved BP, return address
        frame + 16
    }
    fn lift(&self, frame: u32, outgoing: u32) -> u32 {
        frame - outgoing
    }
    fn stack_to_top(&self, abi: &Abi, top: u32) -> [String; 2] {
        [
            format!("LEAQ {top}(SP), SP"),
            format!("ANDQ $~{}, SP", abi.stack_align - 1),
        ]
    }
    fn exact_outgoing(&self, abi: &Abi, stack_arg_bytes: u32) -> u32 {
        // The callee does not need amd64's 16-byte alignment.
        abi.shadow_space + stack_arg_bytes
    }
    fn exact_frame_size(&self, below: u32, stack_bytes: u32) -> u32 {
        // The callee's return address sits just below the outgoing area.
        below + 8 + stack_bytes
    }
    /// Reads g from TLS (an ABI0 function cannot count on R14) and compares
    /// the lowest address the call may reach with `g.stackguard0`, at 16(g): the
    /// offset Go's assembler itself builds into every stack-split prologue. A
    /// preemption request (the guard set to a huge value) also takes the probe,
    /// whose `morestack` honours it. Goroutine stacks never sit within `reach` of
    /// address 0, so the subtraction cannot wrap.
    fn stack_check(&self, abi: &Abi, reach: u32, probe: &str, out: &mut String, cold: &mut String) {
        let (g, low) = (abi.scratch, abi.fn_reg);
        line(out, format!("MOVQ (TLS), {g}"));
        line(out, format!("LEAQ -{reach}(SP), {low}"));
        line(out, format!("CMPQ {low}, 16({g})"));
        line(out, "JLS grow".to_string());
        out.push_str("stack_ok:\n");
        cold.push_str("grow:\n");
        line(cold, format!("CALL ·{probe}(SB)"));
        line(cold, "JMP stack_ok".to_string());
    }
    /// Aligns the call to 16 bytes with one `PUSHQ` on the path where the stack
    /// pointer is 8 bytes off, and addresses the outgoing area through a copy of SP:
    /// `go vet` reads `n(SP)` in a frameless function as an argument slot.
    fn probed_call(&self, abi: &Abi, plan: &Plan, fn_arg: &str, out: &mut String) {
        let call_sequence = |out: &mut String| {
            line(out, format!("MOVQ {fn_arg}+0(FP), {}", abi.fn_reg));
            let drop = plan.outgoing;
            if drop > 0 {
                line(out, self.lower_sp(drop));
            }
            if plan.args.iter().any(|(_, d)| matches!(d, Dest::Stack(_))) {
                line(out, format!("MOVQ SP, {}", abi.int_result));
            }
            // The adjustment is tracked: the slots are above the copied SP.
            load_args(
                self,
                abi,
                plan,
                &|off| format!("{off}({})", abi.int_result),
                out,
            );
            vector_count(abi, plan, out);
            line(out, self.call_reg(abi.fn_reg));
            if drop > 0 {
                line(out, self.raise_sp(drop));
            }
        };
        // The outgoing area is a multiple of 16, so the parity of SP now is the
        // parity at the call. (Reading SP into a register keeps the function free
        // of untracked stack-pointer writes.)
        line(out, format!("MOVQ SP, {}", abi.scratch));
        line(out, format!("TESTQ $8, {}", abi.scratch));
        line(out, "JNE unaligned".to_string());
        call_sequence(out);
        store_results(self, plan, out);
        out.push_str("unaligned:\n");
        line(out, format!("PUSHQ {}", abi.scratch));
        call_sequence(out);
        line(out, format!("POPQ {}", abi.scratch));
        store_results(self, plan, out);
    }
}
