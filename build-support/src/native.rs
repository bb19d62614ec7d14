//! The object files that hold the native C-ABI functions (each architecture's
//! `native.rs` builds the functions: prologue, the shared body, epilogue).

pub use crate::arch::{Abi, Format, Target};
pub use crate::backend::NativeFn;
use crate::backend::RelocKind;
pub use crate::backends::{native_fn, native_targets, rust_arch, rust_oses};

/// Whether the object is for Go's internal linker (`.syso`): tables go into the
/// text section and every reference is resolved inside the object.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Linkage {
    /// Ordinary relocatable object for C/Rust linkers.
    Relocatable,
    /// No relocations at all (golang/go#24321).
    Syso,
}

/// A table for the object: its symbol name and bytes.
pub struct ObjTable {
    /// The table's symbol.
    pub symbol: String,
    /// Its contents (shared with the parsed table).
    pub bytes: std::sync::Arc<Vec<u8>>,
    /// Its alignment in bytes.
    pub align: u64,
}

/// Writes an object holding `fns`; `tables[i]` are referenced by `TableRef.table`
/// through `table_index[fn][table]`.
pub fn write_object(
    target: Target,
    fns: &[NativeFn],
    tables: &[Vec<ObjTable>],
    linkage: Linkage,
) -> std::result::Result<Vec<u8>, String> {
    use object::write::{Object, Relocation, StandardSection, Symbol, SymbolSection};
    use object::{BinaryFormat, Endianness, SectionKind, SymbolFlags, SymbolKind, SymbolScope};
    let (format, arch) = (
        match target.format {
            Format::Elf => BinaryFormat::Elf,
            Format::MachO => BinaryFormat::MachO,
            Format::Coff => BinaryFormat::Coff,
        },
        crate::backends::backend(target.arch).object_architecture(),
    );
    let mut obj = Object::new(format, arch, Endianness::Little);
    if format == BinaryFormat::Elf {
        // Without this note a linker gives the whole program an executable stack
        // (and says so). Not allocated, so Go's linker skips it in a `.syso`.
        obj.add_section(
            Vec::new(),
            b".note.GNU-stack".to_vec(),
            SectionKind::Elf(object::elf::SHT_PROGBITS),
        );
    }
    let text = obj.section_id(StandardSection::Text);
    // `object` applies the format's C mangling itself (Mach-O's leading `_`).
    let mangle = |n: &str| n.to_string();
    let mut placed = Vec::new();
    for f in fns {
        let off = obj.append_section_data(text, &f.code, 16);
        obj.add_symbol(Symbol {
            name: mangle(&f.name).into_bytes(),
            value: off,
            size: f.code.len() as u64,
            kind: SymbolKind::Text,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Section(text),
            flags: SymbolFlags::None,
        });
        placed.push(off);
    }
    let ro = match linkage {
        Linkage::Relocatable => obj.section_id(StandardSection::ReadOnlyData),
        Linkage::Syso => text,
    };
    for (fi, f) in fns.iter().enumerate() {
        let mut table_pos = Vec::new();
        for t in &tables[fi] {
            let off = obj.append_section_data(ro, &t.bytes, t.align);
            let sym = obj.add_symbol(Symbol {
                name: mangle(&t.symbol).into_bytes(),
                value: off,
                size: t.bytes.len() as u64,
                kind: SymbolKind::Data,
                scope: SymbolScope::Compilation,
                weak: false,
                section: SymbolSection::Section(ro),
                flags: SymbolFlags::None,
            });
            table_pos.push((off, sym));
        }
        for r in &f.table_refs {
            let (toff, sym) = table_pos[r.table];
            let at = placed[fi] + r.offset as u64;
            match linkage {
                Linkage::Relocatable => {
                    let flags = reloc_flags(target.format, r.kind);
                    obj.add_relocation(
                        text,
                        Relocation {
                            offset: at,
                            symbol: sym,
                            addend: r.addend,
                            flags,
                        },
                    )
                    .map_err(|e| e.to_string())?;
                }
                Linkage::Syso => {
                    let data = obj.section_mut(text).data_mut();
                    resolve_in_place(data, at as usize, toff as i64 + r.addend, r.kind)?;
                }
            }
        }
    }
    obj.write().map_err(|e| e.to_string())
}

fn reloc_flags(format: Format, kind: RelocKind) -> object::RelocationFlags {
    use object::{RelocationEncoding, RelocationFlags, RelocationKind};
    match (kind, format) {
        (RelocKind::Rel32, _) => RelocationFlags::Generic {
            kind: RelocationKind::Relative,
            encoding: RelocationEncoding::Generic,
            size: 32,
        },
        (RelocKind::AdrPage, Format::MachO) => RelocationFlags::MachO {
            r_type: object::macho::ARM64_RELOC_PAGE21,
            r_pcrel: true,
            r_length: 2,
        },
        (RelocKind::AddLo12, Format::MachO) => RelocationFlags::MachO {
            r_type: object::macho::ARM64_RELOC_PAGEOFF12,
            r_pcrel: false,
            r_length: 2,
        },
        (RelocKind::AdrPage, _) => RelocationFlags::Elf {
            r_type: object::elf::R_AARCH64_ADR_PREL_PG_HI21,
        },
        (RelocKind::AddLo12, _) => RelocationFlags::Elf {
            r_type: object::elf::R_AARCH64_ADD_ABS_LO12_NC,
        },
    }
}

/// Resolves a table reference inside the text section (for `.syso`, where Go's
/// linker would leave relocations unapplied). ADRP's page delta depends on where
/// the linker puts the section, so ADRP+ADD becomes ADR (exact, ±1 MiB) + NOP.
fn resolve_in_place(
    data: &mut [u8],
    at: usize,
    target: i64,
    kind: RelocKind,
) -> std::result::Result<(), String> {
    let word = |d: &[u8]| u32::from_le_bytes(d[at..at + 4].try_into().expect("4 bytes"));
    let delta = target - at as i64;
    let patched = match kind {
        RelocKind::Rel32 => {
            // The rel32 field is relative to the end of the instruction; the addend
            // already accounts for the distance from the field to that end.
            let v = i32::try_from(delta).map_err(|_| "table out of rel32 reach".to_string())?;
            v as u32
        }
        RelocKind::AdrPage => {
            if !(-(1 << 20)..(1 << 20)).contains(&delta) {
                return Err("table out of ADR reach (1 MiB)".into());
            }
            let rd = word(data) & 0x1f;
            let imm = delta as u32 & 0x1f_ffff;
            0x1000_0000 | ((imm & 3) << 29) | ((imm >> 2) << 5) | rd
        }
        RelocKind::AddLo12 => 0xd503_201f, // nop: ADR already produced the address
    };
    data[at..at + 4].copy_from_slice(&patched.to_le_bytes());
    Ok(())
}
