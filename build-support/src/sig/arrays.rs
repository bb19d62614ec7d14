//! Arrays by value: `[T; N]` as a parameter or a result, `T` a scalar, a pointer
//! (to a scalar or a `#[repr(C)]` struct of the package) or an array of those
//! (`[[u32; 4]; 2]`, Go's `[2][4]uint32`).
//!
//! Go's frame holds the array inline (asmdecl names its elements `a_0`, `a_1`,
//! `a_0_1`, ..., and the array itself `a`); the body gets its address in a
//! register, in Go (`LEAQ a+8(FP)` / `MOVD $a+8(FP)`) and natively alike:
//!
//! - a parameter is passed by address in C (C's array parameter, `const uint32_t
//!   a[4]`; a copy is the caller's business) and by the Rust wrapper (the array's
//!   `as_ptr()`);
//! - a result is written by the body through its address. C cannot return an
//!   array, so the C function takes one more parameter per array result, after
//!   the others, the array to fill (`uint32_t ret[4]`): a plain pointer argument
//!   in every ABI. The other results come back as before (registers, or the
//!   results struct of c_results.rs, which holds only them). The Rust wrapper
//!   passes a zeroed array and returns it, in its place in the tuple. In the body
//!   an array result is named like its Go frame slot: `ret`, `ret1`, ... by its
//!   position among the results, or its name from `results(..)`; `return` lists
//!   only the other results.
//!
//! Arrays of slices or strings have no C element type (a Go slice header is three
//! words; C has none), and arrays of structs by value are not in the table: both
//! are errors. An array result holds no references (the wrapper could not make
//! one up before the body writes it): scalars, raw pointers and arrays of them.

use super::{pointee_of, scalar_of, Pointee, Scalar};
use crate::diag::{bail, Result};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;

/// The element of an array by value.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ArrayElem {
    Scalar(Scalar),
    /// `*const T`, `*mut T`, `&T`, `&mut T`; `raw` for the pointer types.
    Ptr {
        pointee: Pointee,
        mutable: bool,
        raw: bool,
    },
    /// A nested array.
    Array { elem: Box<ArrayElem>, len: u32 },
}

impl ArrayElem {
    pub fn go_name(&self) -> String {
        match self {
            ArrayElem::Scalar(s) => s.go_name().to_string(),
            ArrayElem::Ptr { pointee, .. } => pointee.go_pointer_name(),
            ArrayElem::Array { elem, len } => format!("[{len}]{}", elem.go_name()),
        }
    }

    /// Size and alignment in Go and C (they agree for these).
    pub fn size_align(&self) -> (u64, u32) {
        match self {
            ArrayElem::Scalar(s) => (u64::from(s.size()), s.size()),
            ArrayElem::Ptr { .. } => (8, 8),
            ArrayElem::Array { elem, len } => {
                let (s, a) = elem.size_align();
                (s.saturating_mul(u64::from(*len)), a)
            }
        }
    }

    pub fn has_pointer(&self) -> bool {
        match self {
            ArrayElem::Scalar(_) => false,
            ArrayElem::Ptr { .. } => true,
            ArrayElem::Array { elem, .. } => elem.has_pointer(),
        }
    }

    /// A raw pointer anywhere inside: the function must be `unsafe fn`.
    pub fn has_raw_pointer(&self) -> bool {
        match self {
            ArrayElem::Scalar(_) => false,
            ArrayElem::Ptr { raw, .. } => *raw,
            ArrayElem::Array { elem, .. } => elem.has_raw_pointer(),
        }
    }

    /// A reference anywhere inside.
    pub fn has_reference(&self) -> bool {
        match self {
            ArrayElem::Scalar(_) => false,
            ArrayElem::Ptr { raw, .. } => !*raw,
            ArrayElem::Array { elem, .. } => elem.has_reference(),
        }
    }

    /// The innermost element and the dimensions inside this one.
    fn innermost(&self) -> (&ArrayElem, String) {
        let mut dims = String::new();
        let mut t = self;
        while let ArrayElem::Array { elem, len } = t {
            dims.push_str(&format!("[{len}]"));
            t = elem;
        }
        (t, dims)
    }

    /// The named struct a pointer element points at, if any.
    pub fn named_pointee(&self) -> Option<&str> {
        match self.innermost().0 {
            ArrayElem::Ptr {
                pointee: Pointee::Named(n),
                ..
            } => Some(n),
            _ => None,
        }
    }

    /// The C declaration of a parameter `name` that is an array of `len` of
    /// these: `const uint32_t a[4]` (an input: `const` for one dimension of
    /// scalars, see [`Pointee::c_pointer_param`]), `uint32_t ret[4]` (an array
    /// result to fill), `const uint64_t *const p[2]`.
    pub fn c_array_param(&self, name: &str, len: u32, input: bool) -> String {
        let (inner, dims) = self.innermost();
        let dims = format!("[{len}]{dims}");
        match inner {
            ArrayElem::Scalar(s) => {
                let konst = if input && dims.matches('[').count() == 1 {
                    "const "
                } else {
                    ""
                };
                format!("{konst}{} {name}{dims}", s.c_name())
            }
            ArrayElem::Ptr {
                pointee, mutable, ..
            } => {
                let target = if *mutable { "" } else { "const " };
                // The pointers themselves are not the function's to change.
                let konst = if input && dims.matches('[').count() == 1 {
                    "const "
                } else {
                    ""
                };
                format!("{target}{} *{konst}{name}{dims}", pointee.c_name())
            }
            ArrayElem::Array { .. } => unreachable!("innermost is no array"),
        }
    }

    /// The Rust type of the element, for the wrapper's extern declaration.
    pub fn rust_tokens(&self) -> TokenStream {
        match self {
            ArrayElem::Scalar(s) => {
                let id = Ident::new(s.rust_name(), Span::call_site());
                quote!(#id)
            }
            ArrayElem::Ptr {
                pointee,
                mutable,
                raw,
            } => {
                let p = pointee.rust_tokens();
                match (raw, mutable) {
                    (true, true) => quote!(*mut #p),
                    (true, false) => quote!(*const #p),
                    (false, true) => quote!(&mut #p),
                    (false, false) => quote!(&#p),
                }
            }
            ArrayElem::Array { elem, len } => {
                let e = elem.rust_tokens();
                let n = proc_macro2::Literal::usize_unsuffixed(*len as usize);
                quote!([#e; #n])
            }
        }
    }
}

const ELEMS: &str = "array elements are scalars, pointers to scalars or #[repr(C)] structs (`*const T`, `&T`, ..) or arrays of them";

/// The element type of an array by value.
pub fn parse_elem(ty: &syn::Type) -> Result<ArrayElem> {
    if let Some(s) = scalar_of(ty) {
        return Ok(ArrayElem::Scalar(s));
    }
    let pointer = |elem: &syn::Type, mutable: bool, raw: bool| -> Result<ArrayElem> {
        let pointee = pointee_of(elem)?;
        if let Pointee::Array { .. } = pointee {
            bail!(
                elem.span(),
                "an array of pointers to arrays is not in the type table; {ELEMS}"
            );
        }
        if !raw {
            super::foreign::no_void_reference(pointee.clone(), elem.span())?;
        }
        Ok(ArrayElem::Ptr {
            pointee,
            mutable,
            raw,
        })
    };
    match ty {
        syn::Type::Array(a) => Ok(ArrayElem::Array {
            elem: Box::new(parse_elem(&a.elem)?),
            len: super::array_len(&a.len)?,
        }),
        syn::Type::Ptr(p) => pointer(&p.elem, p.mutability.is_some(), true),
        syn::Type::Reference(r) => match &*r.elem {
            syn::Type::Slice(_) => bail!(
                ty.span(),
                "an array of slices has no C element type (a Go slice is three words); pass the slices as parameters of their own"
            ),
            syn::Type::Path(p) if p.path.is_ident("str") => bail!(
                ty.span(),
                "an array of strings has no C element type (a Go string is two words); pass the strings as parameters of their own"
            ),
            elem => pointer(elem, r.mutability.is_some(), false),
        },
        syn::Type::Path(p) if p.path.get_ident().is_some() => bail!(
            ty.span(),
            "arrays of structs by value are not in the type table; pass a pointer to the array (`&[T; N]`)"
        ),
        other => bail!(other.span(), "{ELEMS}"),
    }
}

impl Pointee {
    /// The Rust type (`u32`, `Point`, `[u32; 4]`).
    pub fn rust_tokens(&self) -> TokenStream {
        match self {
            Pointee::Scalar(s) => ArrayElem::Scalar(*s).rust_tokens(),
            Pointee::Named(n) => {
                let id = Ident::new(n, Span::call_site());
                quote!(#id)
            }
            Pointee::Array { elem, len } => {
                let e = elem.rust_tokens();
                let n = proc_macro2::Literal::usize_unsuffixed(*len as usize);
                quote!([#e; #n])
            }
            Pointee::Void => quote!(::core::ffi::c_void),
        }
    }
}

impl super::Signature {
    /// Array result `k`'s name in a block: its name from `results(..)` as
    /// written, else its Go frame slot's (`ret`, `ret1`, ...).
    pub fn out_array_dsl_name(&self, k: usize) -> String {
        let o = &self.out_arrays[k];
        match &o.result.name {
            Some(n) => n.clone(),
            None => self.result_go_name(o.at),
        }
    }
    /// Array result `k`'s C parameter name.
    pub fn out_array_c_name(&self, k: usize) -> String {
        let o = &self.out_arrays[k];
        match &o.result.name {
            Some(n) => super::c_ident(n),
            None => self.result_go_name(o.at),
        }
    }
    /// The C declarations of the array results, after the parameters.
    pub fn out_array_c_params(&self) -> Vec<String> {
        (0..self.out_arrays.len())
            .map(|k| match &self.out_arrays[k].result.ty {
                super::Ty::Array { elem, len } => {
                    elem.c_array_param(&self.out_array_c_name(k), *len, false)
                }
                _ => unreachable!("out arrays are arrays"),
            })
            .collect()
    }
}
