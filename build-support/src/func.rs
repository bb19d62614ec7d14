//! One `#[go_asm]` function as written: its signature, its per-architecture
//! blocks, its read-only data tables and its optional `go! { .. }` fallback.

pub use crate::arch::Arch;
use crate::diag::{bail, Result};
use crate::dsl;
use crate::features::{Feature, FeatureTable, Tables};
use crate::sig::{go_ident, parse_signature, Scalar, Signature};
use crate::table_text::Lifted;
use proc_macro2::{Span, TokenStream, TokenTree};
use syn::spanned::Spanned;

/// A read-only table declared as `const NAME: [T; N] = [...];` in the function body.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub span: Span,
    pub elem: Scalar,
    /// Little-endian bytes, shared (a dispatching function's variants and the
    /// native objects refer to one copy; a table can be 1 MiB).
    pub bytes: std::sync::Arc<Vec<u8>>,
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
    /// Declared with `#[features(avx2, fma)]` (features.rs), each with its span;
    /// empty: the architecture's baseline.
    pub features: Vec<(Feature, Span)>,
    /// The architecture's feature table the names come from.
    pub table: &'static FeatureTable,
}

impl Block {
    pub fn feature_list(&self) -> Vec<Feature> {
        self.features.iter().map(|(f, _)| *f).collect()
    }
    /// `avx2, fma`, or the baseline's description.
    pub fn describe_features(&self) -> String {
        self.table.describe(&self.features)
    }
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
    /// Set on the variants of a dispatching function ([`AsmFn::variants`]): the
    /// one architecture it has a block for.
    pub variant_arch: Option<Arch>,
    /// `#[go_asm(nosplit)]`: the Go function must stay `NOSPLIT` (where it is written).
    pub nosplit: Option<Span>,
}

impl AsmFn {
    pub fn block(&self, arch: Arch) -> Option<&Block> {
        self.blocks.iter().find(|b| b.arch == arch)
    }

    /// The blocks of `arch` in source order: the dispatch order.
    pub fn blocks_of(&self, arch: Arch) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(move |b| b.arch == arch)
    }

    /// One private function per block of a dispatching function, in dispatch order:
    /// `dot` with `#[features(avx2, fma)] amd64!` has `dot_amd64_avx2_fma` (Go
    /// `dotAmd64Avx2Fma`, C `<symbol>_amd64_avx2_fma`). Everything downstream (Go
    /// assembly, objects, header) handles them as ordinary functions.
    pub fn variants(&self) -> Vec<AsmFn> {
        if !self.dispatches() {
            return Vec::new();
        }
        self.blocks
            .iter()
            .map(|b| {
                let suffix = variant_suffix(b);
                let mut sig = self.sig.clone();
                sig.name = format!("{}_{suffix}", self.sig.name);
                sig.public = false;
                // `go_name` names the dispatching function, not its variants.
                sig.exact_go_name = None;
                sig.docs = vec![format!(
                    "{} needs {}.",
                    go_ident(&sig.name, false),
                    b.describe_features()
                )];
                AsmFn {
                    symbol: format!("{}_{suffix}", self.symbol),
                    sig,
                    tables: self.tables.clone(),
                    blocks: vec![b.clone()],
                    go_body: None,
                    variant_arch: Some(b.arch),
                    nosplit: self.nosplit,
                }
            })
            .collect()
    }

    /// Whether calls dispatch at run time: some architecture has several blocks or
    /// one that needs more than the baseline.
    pub fn dispatches(&self) -> bool {
        self.variant_arch.is_none()
            && Arch::ALL.into_iter().any(|a| {
                let mut bs = self.blocks_of(a);
                match (bs.next(), bs.next()) {
                    (Some(b), None) => !b.features.is_empty(),
                    (Some(_), Some(_)) => true,
                    _ => false,
                }
            })
    }
}

const BODY_FORMS: &str =
    "a #[go_asm] body holds `amd64! { .. }`, `arm64! { .. }` (each optionally after `#[features(..)]`), `go! { .. }` and `const NAME: [T; N] = [..];` tables";

/// Parses a `#[go_asm]` function defined at `origin`; `args` are the attribute's
/// (`c_name = ".."`, `go_name = ".."`, symbol.rs). `register_clash` names the
/// parameters a block would read as registers and `features` gives each
/// architecture's feature table (`source::parse_fn` passes every architecture's).
pub fn parse_fn(
    f: &syn::ItemFn,
    origin: &crate::symbol::Origin,
    args: TokenStream,
    register_clash: crate::sig::RegisterClash,
    features: Tables,
) -> Result<AsmFn> {
    parse_fn_in(f, origin, args, register_clash, features, &Lifted::default())
}

/// [`parse_fn`] for a function of a source text whose large tables were lifted
/// out of it (`table_text.rs`).
pub fn parse_fn_in(
    f: &syn::ItemFn,
    origin: &crate::symbol::Origin,
    args: TokenStream,
    register_clash: crate::sig::RegisterClash,
    features: Tables,
    lifted: &Lifted,
) -> Result<AsmFn> {
    let attr = crate::symbol::parse_attr_args(args)?;
    let mut sig = parse_signature(f, register_clash)?;
    sig.exact_go_name = attr.go_name;
    if let Some(names) = &attr.results {
        crate::sig::name_results(&mut sig, names, register_clash)?;
    }
    if let Some(types) = &attr.go_types {
        crate::sig::apply_go_types(&mut sig, types)?;
    }
    crate::sig::check_result_names(&sig)?;
    let mut tables: Vec<Table> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut go_body = None;
    for stmt in &f.block.stmts {
        let (mac, attrs) = match stmt {
            syn::Stmt::Macro(m) => (&m.mac, &m.attrs),
            syn::Stmt::Expr(syn::Expr::Macro(m), _) => (&m.mac, &m.attrs),
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
        let declared = parse_features(attrs, &name)?;
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
                let table = features(arch);
                let declared = declared
                    .iter()
                    .map(|(n, sp)| {
                        table
                            .lookup(n)
                            .map(|f| (f, *sp))
                            .map_err(|why| crate::diag::Error::new(*sp, why))
                    })
                    .collect::<Result<Vec<_>>>()?;
                // A later block is only reached when an earlier one's features are
                // missing: after a baseline block it would be dead.
                if blocks
                    .iter()
                    .any(|b| b.arch == arch && b.features.is_empty())
                {
                    bail!(
                        span,
                        "a `{name}!` block after one that declares no features is never used: the baseline block runs on every CPU, so put it last"
                    );
                }
                let wanted: Vec<Feature> = declared.iter().map(|(f, _)| *f).collect();
                if blocks
                    .iter()
                    .any(|b| b.arch == arch && b.feature_list() == wanted)
                {
                    bail!(span, "a second `{name}!` block with the same features");
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
                    features: declared,
                    table,
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
    check_rust_fallback(f, &sig, &blocks)?;
    Ok(AsmFn {
        symbol: attr.c_name.unwrap_or_else(|| origin.symbol(&sig.name)),
        nosplit: attr.nosplit,
        sig,
        tables,
        blocks,
        go_body,
        variant_arch: None,
    })
}

/// Rust has no `go!` body to fall back on: a function whose blocks for some
/// architecture all need features beyond the baseline must be `unsafe fn` with a
/// `# Safety` section naming them (calling it on a CPU without them panics).
fn check_rust_fallback(f: &syn::ItemFn, sig: &Signature, blocks: &[Block]) -> Result<()> {
    for arch in Arch::ALL {
        let mut of_arch = blocks.iter().filter(|b| b.arch == arch).peekable();
        if of_arch.peek().is_none()
            || blocks
                .iter()
                .any(|b| b.arch == arch && b.features.is_empty())
        {
            continue;
        }
        let mut names: Vec<&str> = of_arch
            .flat_map(|b| b.features.iter().map(|(f, _)| f.name))
            .collect();
        names.sort_unstable();
        names.dedup();
        let safety: Vec<&String> = sig
            .docs
            .iter()
            .skip_while(|d| d.trim() != "# Safety")
            .collect();
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !safety.iter().any(|d| mentions(d, n)))
            .collect();
        if f.sig.unsafety.is_none() || safety.is_empty() || !missing.is_empty() {
            bail!(
                sig.name_span,
                "every {} block of `{}` needs CPU features ({}), and Rust has no go! body to fall back on: declare it `unsafe fn` with a `# Safety` doc section naming {}, or add a block without `#[features(..)]`",
                arch.goarch(),
                sig.name,
                names.join(", "),
                if missing.is_empty() { names.join(", ") } else { missing.join(", ") }
            );
        }
    }
    Ok(())
}

/// Whether a doc line names feature `n` as a word (`avx2`, `` `sse4.1` ``).
fn mentions(line: &str, n: &str) -> bool {
    line.split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .any(|w| w.trim_matches('.') == n)
}

/// `amd64_avx2_fma`; a baseline block is named by its table's baseline word
/// (`amd64_sse2`, `arm64_neon`).
pub fn variant_suffix(b: &Block) -> String {
    let mut parts = vec![b.arch.goarch().to_string()];
    if b.features.is_empty() {
        parts.push(b.table.baseline_word.to_string());
    }
    parts.extend(b.features.iter().map(|(f, _)| f.name.replace('.', "")));
    parts.join("_")
}

/// The names of `#[features(a, b, sse4.1)]` on a block, each with its span; an error
/// for any other attribute, or on a `go!` block.
fn parse_features(attrs: &[syn::Attribute], block: &str) -> Result<Vec<(String, Span)>> {
    let mut out: Vec<(String, Span)> = Vec::new();
    for a in attrs {
        if !a.path().is_ident("features") || block == "go" {
            bail!(
                a.span(),
                "a block takes one attribute, `#[features(..)]` before `amd64!` or `arm64!`"
            );
        }
        let syn::Meta::List(list) = &a.meta else {
            bail!(a.span(), "write the features as `#[features(avx2, fma)]`");
        };
        let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        for group in dsl::split_commas(&tokens)? {
            // `sse4.1` is the tokens `sse4`, `.`, `1`.
            let text: String = group.iter().map(|t| t.to_string()).collect();
            let span = dsl::span_of(&group);
            if text.is_empty() {
                bail!(list.delimiter.span().join(), "an empty feature name");
            }
            if out.iter().any(|(n, _)| *n == text) {
                bail!(span, "feature `{text}` is declared twice");
            }
            out.push((text, span));
        }
        if out.is_empty() {
            bail!(
                a.span(),
                "`#[features()]` declares nothing: leave it out for a baseline block"
            );
        }
    }
    Ok(out)
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
                    bytes: std::sync::Arc::clone(&t.bytes),
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
        bytes: bytes.into(),
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
