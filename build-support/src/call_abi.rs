//! C calling conventions as the call trampolines see them (`calln`, `trampoline`):
//! each convention is one [`Abi`] value, each platform a [`Target`], and a
//! trampoline is planned once ([`Plan`]: which Go frame slot goes to which register
//! or outgoing stack slot). What differs between instruction sets, the spelling of
//! each step, is the [`CallIsa`] trait, implemented in each architecture folder's
//! `calln.rs` next to its conventions.

pub use crate::arch::Arch;

/// One C calling convention, described as data. Register names are Go assembler
/// spellings.
#[derive(Debug)]
pub struct Abi {
    /// Short name used in comments and diagnostics.
    pub name: &'static str,
    pub arch: Arch,
    /// How its instruction set spells the trampoline steps.
    pub isa: &'static dyn CallIsa,
    /// Integer/pointer argument registers, in order.
    pub int_args: &'static [&'static str],
    /// Floating-point argument registers, in order.
    pub float_args: &'static [&'static str],
    /// Win64: argument k uses the k-th register of whichever file its type selects,
    /// and every argument (register or not) consumes one position.
    pub positional: bool,
    /// Integer and floating-point result registers.
    pub int_result: &'static str,
    pub float_result: &'static str,
    /// How a pair of 8-byte results (a 16-byte struct in C) comes back.
    pub pair_results: PairResults,
    /// Bytes the caller reserves above the return address for the callee (Win64: 32).
    pub shadow_space: u32,
    /// Bytes below its stack pointer a leaf callee may use without moving it.
    pub red_zone: u32,
    /// Stack-pointer alignment required at the call.
    pub stack_align: u32,
    /// Stack arguments packed at natural alignment (Apple arm64) instead of one
    /// 8-byte slot each.
    pub packed_stack_args: bool,
    /// `CALL` pushes the return address (amd64) rather than setting a link register.
    pub return_address_on_stack: bool,
    /// The frame-pointer register Go's unwinders follow.
    pub frame_pointer: &'static str,
    /// Registers the Go runtime needs unchanged across the call, and why. All of
    /// them are callee-saved in this convention, so a conforming callee keeps them;
    /// the trampolines themselves never write them.
    pub go_preserved: &'static [(&'static str, &'static str)],
    /// Callee-saved registers of the convention (Go assembler names).
    pub callee_saved: &'static [&'static str],
    /// Callee-saved register the trampoline keeps Go's stack pointer in.
    pub sp_save: &'static str,
    /// Caller-saved, non-argument register that holds the function address.
    pub fn_reg: &'static str,
    /// Caller-saved, non-argument scratch register used to copy stack arguments.
    pub scratch: &'static str,
    /// SysV: register whose low byte tells a variadic callee how many vector
    /// registers carry arguments.
    pub vector_count: Option<&'static str>,
}

/// Where a C function returns a struct of two 8-byte scalars.
#[derive(Clone, Copy, Debug)]
pub enum PairResults {
    /// Each half in the next register of its class (System V: integers in AX then
    /// DX, floats in X0 then X1).
    ByClass(&'static [&'static str], &'static [&'static str]),
    /// Two floats are a homogeneous aggregate in the float registers; anything
    /// else comes back in the two integer registers, floats as raw bits (AAPCS64).
    Hfa(&'static [&'static str], &'static [&'static str]),
    /// In memory the caller provides: a hidden pointer in the first argument
    /// position, returned in the integer result register (Win64).
    HiddenPointer,
}

/// A supported platform.
#[derive(Debug)]
pub struct Target {
    pub goos: &'static str,
    pub abi: &'static Abi,
    // No symbol prefix: Go's Mach-O loader strips the `_` C puts before every
    // symbol name, so Go assembly names a C function as C source does, everywhere.
}

impl Target {
    pub fn goarch(&self) -> &'static str {
        self.abi.arch.goarch()
    }
    /// `linux_amd64`-style suffix.
    /// Its `//go:build` expression (`linux && amd64`).
    pub fn build_expr(&self) -> String {
        format!("{} && {}", self.goos, self.goarch())
    }
    pub fn suffix(&self) -> String {
        format!("{}_{}", self.goos, self.goarch())
    }
}

pub fn round_up(x: u32, to: u32) -> u32 {
    x.div_ceil(to) * to
}

/// The outgoing area: shadow space and stack arguments, aligned for the call.
pub fn outgoing_bytes(abi: &Abi, stack_arg_bytes: u32) -> u32 {
    round_up(abi.shadow_space + stack_arg_bytes, abi.stack_align)
}

/// A C parameter or result type the trampolines can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CType {
    /// `int64_t` / `long long` (Go `int64`).
    I64,
    /// `uint64_t` (Go `uint64`).
    U64,
    /// `int32_t` / `int` (Go `int32`), sign-extended to 64 bits in the register.
    I32,
    /// `uint32_t` (Go `uint32`), zero-extended.
    U32,
    /// `uintptr_t` / `size_t` (Go `uintptr`).
    Uintptr,
    /// Any pointer (Go `unsafe.Pointer`; the declaration is `//go:noescape`).
    Ptr,
    /// `double` (Go `float64`).
    F64,
    /// `float` (Go `float32`).
    F32,
    /// Raw 64 bits placed in both register files (Win64 positional slots).
    Raw64,
    /// `uint8_t` (Go `uint8`), zero-extended in the register.
    U8,
    /// `int8_t` (Go `int8`), sign-extended.
    I8,
    /// `uint16_t` (Go `uint16`), zero-extended.
    U16,
    /// `int16_t` (Go `int16`), sign-extended.
    I16,
    /// `bool` (Go `bool`), zero-extended.
    Bool,
    /// The address of a value held inline in the ABI0 frame (a Go array passed by
    /// value, which C receives by address). Only for go-asm's own functions.
    FrameAddr,
}

impl CType {
    pub fn go_type(self) -> &'static str {
        match self {
            CType::I64 => "int64",
            CType::U64 | CType::Raw64 => "uint64",
            CType::I32 => "int32",
            CType::U32 => "uint32",
            CType::Uintptr => "uintptr",
            CType::Ptr => "unsafe.Pointer",
            CType::F64 => "float64",
            CType::F32 => "float32",
            CType::U8 => "uint8",
            CType::I8 => "int8",
            CType::U16 => "uint16",
            CType::I16 => "int16",
            CType::Bool => "bool",
            CType::FrameAddr => "uintptr",
        }
    }
    pub fn size(self) -> u32 {
        match self {
            CType::U8 | CType::I8 | CType::Bool => 1,
            CType::U16 | CType::I16 => 2,
            CType::I32 | CType::U32 | CType::F32 => 4,
            _ => 8,
        }
    }
    pub fn is_float(self) -> bool {
        matches!(self, CType::F64 | CType::F32)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dest {
    Reg(&'static str),
    /// Win64 raw slot: both the integer and the floating-point register.
    Both(&'static str, &'static str),
    /// Offset from the stack pointer at the call (shadow space included).
    Stack(u32),
}

pub struct Param {
    pub name: String,
    pub ty: CType,
    /// Offset in the ABI0 frame.
    pub off: u32,
}

/// Assigns C locations to parameters. Returns the destinations and the bytes of
/// stack arguments (excluding shadow space).
pub fn assign(abi: &Abi, tys: &[CType]) -> (Vec<Dest>, u32) {
    assign_from(abi, tys, 0)
}

/// [`assign`], with the first `taken` argument positions already used (Win64's
/// hidden result pointer takes position 0).
pub fn assign_from(abi: &Abi, tys: &[CType], taken: usize) -> (Vec<Dest>, u32) {
    let mut dests = Vec::with_capacity(tys.len());
    let (mut ni, mut nf) = (0usize, 0usize);
    let mut stack = 0u32;
    let stack_slot = |ty: CType, stack: &mut u32| {
        let (size, align) = if abi.packed_stack_args {
            (ty.size(), ty.size())
        } else {
            (8, 8)
        };
        let off = round_up(*stack, align);
        *stack = off + size;
        Dest::Stack(abi.shadow_space + off)
    };
    for (i, &ty) in tys.iter().enumerate() {
        let pos = i + taken;
        let d = if abi.positional {
            if pos < abi.int_args.len() {
                match ty {
                    CType::Raw64 => Dest::Both(abi.int_args[pos], abi.float_args[pos]),
                    t if t.is_float() => Dest::Reg(abi.float_args[pos]),
                    _ => Dest::Reg(abi.int_args[pos]),
                }
            } else {
                stack_slot(ty, &mut stack)
            }
        } else if ty.is_float() {
            if nf < abi.float_args.len() {
                nf += 1;
                Dest::Reg(abi.float_args[nf - 1])
            } else {
                stack_slot(ty, &mut stack)
            }
        } else if ni < abi.int_args.len() {
            ni += 1;
            Dest::Reg(abi.int_args[ni - 1])
        } else {
            stack_slot(ty, &mut stack)
        };
        dests.push(d);
    }
    (dests, round_up(stack, 8))
}

/// Lays out an ABI0 frame: parameters at natural alignment, results from the next
/// pointer-aligned offset. Returns params, results and the total argument size.
pub fn abi0_layout(
    params: &[(String, CType)],
    results: &[(String, CType)],
) -> (Vec<Param>, Vec<Param>, u32) {
    let mut off = 0u32;
    let place = |list: &[(String, CType)], off: &mut u32| -> Vec<Param> {
        list.iter()
            .map(|(n, t)| {
                let o = round_up(*off, t.size());
                *off = o + t.size();
                Param {
                    name: n.clone(),
                    ty: *t,
                    off: o,
                }
            })
            .collect()
    };
    let ps = place(params, &mut off);
    if !results.is_empty() {
        off = round_up(off, 8);
    }
    let rs = place(results, &mut off);
    // asmdecl wants the exact end of the last result, unpadded.
    (ps, rs, off)
}

/// What the trampoline calls.
pub enum Callee<'a> {
    /// The address in the ABI0 argument with this name.
    Arg(&'a str),
    /// A symbol, called directly.
    Symbol(&'a str),
}

/// A trampoline planned for one convention: which Go frame slot goes where.
pub struct Plan<'a> {
    pub go_name: &'a str,
    pub signature: String,
    pub callee: Callee<'a>,
    /// (param, destination) for C arguments; `Callee::Arg` is loaded separately.
    pub args: Vec<(Param, Dest)>,
    /// (result, source register).
    pub results: Vec<(Param, &'static str)>,
    pub arg_size: u32,
    pub frame: u32,
    pub outgoing: u32,
    pub float_regs_used: u32,
}

/// How an instruction set spells the steps of a trampoline. Each architecture
/// folder's `calln.rs` implements it; `trampoline` strings the steps together.
pub trait CallIsa: Sync + std::fmt::Debug {
    /// The 64-bit register move (`MOVQ`, `MOVD`).
    fn mov(&self) -> &'static str;
    /// The hardware stack pointer's Go name (`SP`, `RSP`).
    fn sp(&self) -> &'static str;
    /// Loads a frame value into a register, integers extended to 64 bits.
    fn load_insn(&self, ty: CType) -> &'static str;
    /// Like [`CallIsa::load_insn`], floats as raw bits into an integer register.
    fn bits_load_insn(&self, ty: CType) -> &'static str;
    /// Stores a register into a frame value of type `ty`.
    fn store_insn(&self, ty: CType) -> &'static str;
    /// Stores the low `width` bytes of an integer register.
    fn store_width_insn(&self, width: u32) -> &'static str;
    /// `insn src, r`, or what loads the address `src` where `insn` cannot.
    fn load(&self, insn: &str, src: &str, _ty: CType, r: &str) -> String {
        format!("{insn} {src}, {r}")
    }
    /// Copies the integer register `r` into the float register `f`.
    fn int_to_float(&self, r: &str, f: &str) -> String;
    /// Calls the address in register `r`.
    fn call_reg(&self, r: &str) -> String;
    /// Moves the stack pointer `k` bytes up / down, in a way Go's assembler tracks.
    fn raise_sp(&self, k: u32) -> String;
    fn lower_sp(&self, k: u32) -> String;
    /// The Go frame size of a trampoline whose callee needs `need` bytes below the
    /// trampoline's locals (outgoing area, callee stack, red zone).
    fn frame_size(&self, abi: &Abi, need: u32) -> u32;
    /// Where the assembler's total frame (including what its prologue adds) leaves
    /// the caller's frame, i.e. `0(FP)` relative to the hardware stack pointer
    /// after the prologue.
    fn args_base(&self, frame: u32) -> u32;
    /// How far above the prologue's stack pointer the outgoing area of a frame of
    /// `frame` bytes starts.
    fn lift(&self, frame: u32, outgoing: u32) -> u32;
    /// Moves the stack pointer to `top` above it, aligned for the call (Go's
    /// stack pointer is already saved in `abi.sp_save`).
    fn stack_to_top(&self, abi: &Abi, top: u32) -> [String; 2];
    /// The outgoing area of an exact trampoline (go-asm's own callees).
    fn exact_outgoing(&self, abi: &Abi, stack_arg_bytes: u32) -> u32;
    /// The Go frame of an exact trampoline: `below` bytes (result buffer and
    /// outgoing area) plus the callee's `stack_bytes`.
    fn exact_frame_size(&self, below: u32, stack_bytes: u32) -> u32;
    /// The inline stack check of a runtime trampoline (`Call*`): calls `probe`
    /// (which grows the goroutine stack) only when fewer than `reach` bytes are
    /// left between the stack pointer and the goroutine's stack guard, so the
    /// common path makes no extra call. The check falls through to `stack_ok:`
    /// when the budget fits; the probe's call, which jumps back there, goes to
    /// `cold`, placed after the function's last `RET`, so the common path takes
    /// no branch.
    fn stack_check(&self, abi: &Abi, reach: u32, probe: &str, out: &mut String, cold: &mut String);
    /// The body of a runtime trampoline (`Call*`) after its stack probe: the
    /// call of the address argument `fn_arg`, the results, `RET`.
    fn probed_call(&self, abi: &Abi, plan: &Plan, fn_arg: &str, out: &mut String);
}

/// Appends one instruction line.
pub fn line(out: &mut String, s: String) {
    out.push('\t');
    out.push_str(&s);
    out.push('\n');
}

/// Loads parameter `p` from the ABI0 frame into register `r` (its address, for
/// a value held inline in the frame).
pub fn load_from_frame(isa: &dyn CallIsa, p: &Param, r: &str) -> String {
    let src = format!("{}+{}(FP)", p.name, p.off);
    isa.load(isa.load_insn(p.ty), &src, p.ty, r)
}

/// How a stack argument is copied through the scratch register: the load from the
/// ABI0 frame (integers extended to 64 bits, floats as raw bits) and the store to
/// the outgoing slot (one 8-byte slot each, 4 bytes for a float, or the value's
/// natural size where the convention packs stack arguments).
pub fn stack_arg_insns(isa: &dyn CallIsa, abi: &Abi, ty: CType) -> (&'static str, &'static str) {
    let width = if abi.packed_stack_args {
        ty.size()
    } else if ty == CType::F32 {
        4
    } else {
        8
    };
    (isa.bits_load_insn(ty), isa.store_width_insn(width))
}

/// Loads a register argument (`Both`: an integer register and its float twin).
pub fn load_register_arg(isa: &dyn CallIsa, p: &Param, d: &Dest, out: &mut String) {
    match d {
        Dest::Reg(r) => line(out, load_from_frame(isa, p, r)),
        Dest::Both(r, f) => {
            line(out, format!("{} {}+{}(FP), {r}", isa.mov(), p.name, p.off));
            line(out, isa.int_to_float(r, f));
        }
        Dest::Stack(_) => {}
    }
}

/// SysV: tells a variadic callee how many vector registers carry arguments.
pub fn vector_count(abi: &Abi, plan: &Plan, out: &mut String) {
    if let Some(r) = abi.vector_count {
        if plan.float_regs_used == 0 {
            line(out, format!("XORL {r}, {r}"));
        } else {
            line(out, format!("MOVL ${}, {r}", plan.float_regs_used));
        }
    }
}

/// Stores the result registers into the ABI0 frame and returns.
pub fn store_results(isa: &dyn CallIsa, plan: &Plan, out: &mut String) {
    for (p, r) in &plan.results {
        line(
            out,
            format!("{} {r}, {}+{}(FP)", isa.store_insn(p.ty), p.name, p.off),
        );
    }
    line(out, "RET".to_string());
}

/// Loads every argument of `plan`: register arguments from the ABI0 frame, stack
/// arguments through the scratch register into the outgoing slot `slot(offset)`.
pub fn load_args(
    isa: &dyn CallIsa,
    abi: &Abi,
    plan: &Plan,
    slot: &dyn Fn(u32) -> String,
    out: &mut String,
) {
    for (p, d) in &plan.args {
        if let Dest::Stack(off) = d {
            let (load, store) = stack_arg_insns(isa, abi, p.ty);
            line(
                out,
                format!("{load} {}+{}(FP), {}", p.name, p.off, abi.scratch),
            );
            line(out, format!("{store} {}, {}", abi.scratch, slot(*off)));
        } else {
            load_register_arg(isa, p, d, out);
        }
    }
}
