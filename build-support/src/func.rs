//! One `#[go_asm]` function as written: its signature, its per-architecture
//! blocks, its read-only data tables and its optional `go! { .. }` fallback.

pub use crate::arch::Arch;
use crate::diag::{bail, Result};
use crate::dsl;
use crate::sig::{parse_signature, Scalar, Signature};
use crate::table_text::Lifted;
use proc_macro2::{Span, TokenStream, TokenTree};
use syn::spanned::Spanned;

/// A read-only table declared as `const NAME: [T; N] = [...];` in the function body.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub span: Span,
    pub elem: Scalar,
    /// Little-endian bytes.
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub arch: Arch,
    pub span: Span,
    pub tokens: TokenStream,
    /// The block's braces, `{` to `}`.
    pub braces: Span,
    /// Its `//` comments: read from the source text by the build step (tokens
    /// hold none), empty in the macro.
    pub comments: Vec<crate::dsl::comments::Comment>,
}

#[derive(Clone, Debug)]
pub struct AsmFn {
    pub sig: Signature,
    pub tables: Vec<Table>,
    pub blocks: Vec<Block>,
    /// The span of the `go! { .. }` group's braces; the build step copies the text
    /// between them from the source file.
    pub go_body: Option<Span>,
    /// The native C symbol (symbol.rs): object, header, wrapper, `.syso` route.
    pub symbol: String,
    /// `#[go_asm(nosplit)]`: the Go function must stay `NOSPLIT` (where it is written).
    pub nosplit: Option<Span>,
}

impl AsmFn {
    pub fn block(&self, arch: Arch) -> Option<&Block> {
        self.blocks.iter().find(|b| b.arch == arch)
    }
}

const BODY_FORMS: &str =
    "a #[go_asm] body holds `amd64! { .. }`, `arm64! { .. }`, `go! { .. }` and `const NAME: [T; N] = [..];` tables";

/// Parses a `#[go_asm]` function defined at `origin`; `args` are the attribute's
/// (`c_name = ".."`, `go_name = ".."`, symbol.rs). `register_clash` names the
/// parameters a block would read as registers (`source::parse_fn` passes every
/// architecture's).
pub fn parse_fn(
    f: &syn::ItemFn,
    origin: &crate::symbol::Origin,
    args: TokenStream,
    register_clash: crate::sig::RegisterClash,
) -> Result<AsmFn> {
    parse_fn_in(f, origin, args, register_clash, &Lifted::default())
}

/// [`parse_fn`] for a function of a source text whose large tables were lifted
/// out of it (`table_text.rs`).
pub fn parse_fn_in(
    f: &syn::ItemFn,
    origin: &crate::symbol::Origin,
    args: TokenStream,
    register_clash: crate::sig::RegisterClash,
    lifted: &Lifted,
) -> Result<AsmFn> {
    let attr = crate::symbol::parse_attr_args(args)?;
    let mut sig = parse_signature(f, register_clash)?;
    sig.exact_go_name = attr.go_name;
    let mut tables: Vec<Table> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut go_body = None;
    for stmt in &f.block.stmts {
        let mac = match stmt {
            syn::Stmt::Macro(m) => &m.mac,
            syn::Stmt::Expr(syn::Expr::Macro(m), _) => &m.mac,
            syn::Stmt::Item(syn::Item::Const(c)) => {
                let t = parse_table(c, lifted)?;
                if tables.iter().any(|o| o.name == t.name) {
                    bail!(c.ident.span(), "duplicate table `{}`", t.name);
                }
                tables.push(t);
                continue;
            }
            other => bail!(other.span(), "{BODY_FORMS}"),
        };
        // A path (`a::go!`) is no block name; show it as written.
        let name = mac.path.get_ident().map_or_else(
            || {
                quote::ToTokens::to_token_stream(&mac.path)
                    .to_string()
                    .replace(' ', "")
            },
            |i| i.to_string(),
        );
        let span = mac.path.span();
        match name.as_str() {
            "go" => {
                if go_body.is_some() {
                    bail!(span, "a second `go!` block");
                }
                // The text between the braces is copied as Go: `go!("..")` would
                // copy a string literal, an empty block a body without its return.
                if !matches!(mac.delimiter, syn::MacroDelimiter::Brace(_)) {
                    bail!(
                        span,
                        "write the fallback as `go! {{ .. }}` (Go statements between braces)"
                    );
                }
                if mac.tokens.is_empty() {
                    bail!(
                        span,
                        "empty `go!` block: write the pure-Go fallback, or restrict the package with only_arches and leave the block out"
                    );
                }
                go_body = Some(mac.delimiter.span().join());
            }
            _ => {
                let Some(arch) = Arch::ALL.into_iter().find(|a| a.goarch() == name) else {
                    bail!(span, "unknown block `{name}!`; {BODY_FORMS}");
                };
                if blocks.iter().any(|b| b.arch == arch) {
                    bail!(span, "a second `{name}!` block");
                }
                if mac.tokens.is_empty() {
                    bail!(
                        span,
                        "empty `{name}!` block: write the body, or leave the block out"
                    );
                }
                blocks.push(Block {
                    arch,
                    span,
                    tokens: mac.tokens.clone(),
                    braces: mac.delimiter.span().join(),
                    comments: Vec::new(),
                });
            }
        }
    }
    if blocks.is_empty() {
        bail!(
            sig.name_span,
            "`{}` has no `amd64! {{ .. }}` or `arm64! {{ .. }}` block",
            sig.name
        );
    }
    Ok(AsmFn {
        symbol: attr.c_name.unwrap_or_else(|| origin.symbol(&sig.name)),
        nosplit: attr.nosplit,
        sig,
        tables,
        blocks,
        go_body,
    })
}

/// Tables are printed as Go `DATA` lines; keep them to a sane size.
const MAX_TABLE_BYTES: usize = 1 << 20;

fn parse_table(c: &syn::ItemConst, lifted: &Lifted) -> Result<Table> {
    let syn::Type::Array(arr) = &*c.ty else {
        bail!(c.ty.span(), "a table's type is `[T; N]` with a scalar T");
    };
    let elem = match &*arr.elem {
        syn::Type::Path(p) => p
            .path
            .get_ident()
            .and_then(|i| Scalar::from_rust(&i.to_string()))
            .filter(|s| *s != Scalar::Bool),
        _ => None,
    };
    let Some(elem) = elem else {
        bail!(arr.elem.span(), "table elements must be integers or floats");
    };
    let len = match &arr.len {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        }) => n.base10_parse::<usize>()?,
        other => bail!(other.span(), "table length must be an integer literal"),
    };
    if len.saturating_mul(elem.size() as usize) > MAX_TABLE_BYTES {
        bail!(
            arr.len.span(),
            "a table holds at most {MAX_TABLE_BYTES} bytes (it is written out as DATA lines)"
        );
    }
    let values: Vec<&syn::Expr> = match &*c.expr {
        syn::Expr::Array(a) if a.elems.is_empty() => {
            if let Some(t) = lifted.at(a.bracket_token.span.open().byte_range().start) {
                if t.elements != len {
                    bail!(
                        c.expr.span(),
                        "table `{}` declares {len} elements but lists {}",
                        c.ident,
                        t.elements
                    );
                }
                return Ok(Table {
                    name: c.ident.to_string(),
                    span: c.ident.span(),
                    elem,
                    bytes: t.bytes.clone(),
                });
            }
            Vec::new()
        }
        syn::Expr::Array(a) => a.elems.iter().collect(),
        syn::Expr::Repeat(r) => {
            let n = match &*r.len {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(n),
                    ..
                }) => n.base10_parse::<usize>()?,
                other => bail!(other.span(), "repeat count must be an integer literal"),
            };
            // Checked before expanding: a huge count must not allocate.
            if n != len {
                bail!(
                    c.expr.span(),
                    "table `{}` declares {len} elements but lists {n}",
                    c.ident
                );
            }
            std::iter::repeat_n(&*r.expr, n).collect()
        }
        other => bail!(other.span(), "a table's value is `[a, b, ..]` or `[v; N]`"),
    };
    if values.len() != len {
        bail!(
            c.expr.span(),
            "table `{}` declares {len} elements but lists {}",
            c.ident,
            values.len()
        );
    }
    let mut bytes = Vec::with_capacity(len * elem.size() as usize);
    for v in values {
        element_bytes(v, elem, &mut bytes)?;
    }
    Ok(Table {
        name: c.ident.to_string(),
        span: c.ident.span(),
        elem,
        bytes,
    })
}

fn element_bytes(e: &syn::Expr, elem: Scalar, out: &mut Vec<u8>) -> Result<()> {
    let size = elem.size() as usize;
    if elem.is_float() {
        let (neg, inner) = match e {
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => (true, &*u.expr),
            e => (false, e),
        };
        let v: f64 = match inner {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Float(f),
                ..
            }) => f.base10_parse()?,
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(i),
                ..
            }) => i.base10_parse::<i64>()? as f64,
            other => bail!(other.span(), "expected a float literal"),
        };
        let v = if neg { -v } else { v };
        if !v.is_finite() || (size == 4 && !(v as f32).is_finite()) {
            bail!(e.span(), "{v} does not fit in {}", elem.rust_name());
        }
        if size == 4 {
            out.extend_from_slice(&(v as f32).to_le_bytes());
        } else {
            out.extend_from_slice(&v.to_le_bytes());
        }
        return Ok(());
    }
    let tokens: Vec<TokenTree> = quote::ToTokens::to_token_stream(e).into_iter().collect();
    let v = dsl::const_expr(&tokens)?;
    let (lo, hi) = elem.int_range();
    if v < lo || v > hi {
        bail!(e.span(), "{v} does not fit in {}", elem.rust_name());
    }
    out.extend_from_slice(&(v as u64).to_le_bytes()[..size]);
    Ok(())
}

/// The definitions a `#[go_asm] mod` shares with its functions: the bodies of its
/// `go_asm_macros! { .. }` items (`macro name(..) { .. }` and `const N = ..`
/// lines), in order.
pub fn shared_definitions(items: &[syn::Item]) -> Result<TokenStream> {
    let mut out = TokenStream::new();
    for item in items {
        if let Some(mac) = shared_macros_item(item) {
            if !matches!(mac.delimiter, syn::MacroDelimiter::Brace(_)) {
                bail!(
                    mac.path.span(),
                    "write `go_asm_macros! {{ .. }}` with braces"
                );
            }
            out.extend(mac.tokens.clone());
            // A line break the line splitter cannot miss, whatever the order.
            out.extend([proc_macro2::TokenTree::Punct(proc_macro2::Punct::new(
                ';',
                proc_macro2::Spacing::Alone,
            ))]);
        }
    }
    Ok(out)
}

/// `go_asm_macros! { .. }` at item position.
pub fn shared_macros_item(item: &syn::Item) -> Option<&syn::Macro> {
    match item {
        syn::Item::Macro(m) if m.mac.path.is_ident("go_asm_macros") => Some(&m.mac),
        _ => None,
    }
}

impl AsmFn {
    /// Prepends a module's shared definitions to every block: the expansion
    /// (`dsl::expand`) then treats them as the block's own.
    pub fn share_definitions(&mut self, shared: &TokenStream) {
        if shared.is_empty() {
            return;
        }
        for b in &mut self.blocks {
            let mut tokens = shared.clone();
            tokens.extend(std::mem::take(&mut b.tokens));
            b.tokens = tokens;
        }
    }
}
