//! The architecture-neutral part of the DSL: one `amd64! { .. }` / `arm64! { .. }`
//! block becomes a list of statements (labels, `let`, `return`, instructions with
//! their operands still as tokens). Each backend parses its own operand syntax.
//!
//! Lines end at a newline (spans carry line numbers) or at `;`.

use crate::diag::{bail, Error, Result};
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use std::rc::Rc;

pub mod comments;
pub mod expand;

pub mod lower;

/// Operand tokens between two top-level commas.
pub type Tokens = Vec<TokenTree>;

#[derive(Clone, Debug)]
pub enum Stmt {
    /// `name:`
    Label(Ident),
    /// `let a: class, b: class`
    Let(Vec<(Ident, Ident)>),
    /// `let w: stack[256] align 32`: a named scratch area in the frame.
    Stack(StackLocal),
    /// `return a, b`
    Return { span: Span, values: Vec<Tokens> },
    /// `mnemonic op, op, ...`; dotted mnemonics (`b.ne`) are joined.
    Inst {
        mnemonic: String,
        span: Span,
        operands: Vec<Tokens>,
        /// `i = 2, j = 0` when the line comes from a `for` repetition; errors
        /// about the instruction name it (`expand::in_iteration`).
        iteration: Option<Rc<str>>,
    },
}

/// A stack local as declared: `let name: stack[bytes]` or `let name: stack[bytes]
/// align A` (A a power of two from 1 to 64; 8 when not written).
#[derive(Clone, Debug)]
pub struct StackLocal {
    pub name: Ident,
    pub bytes: u32,
    /// The size's brackets (errors about the size point there).
    pub bytes_span: Span,
    pub align: u32,
    /// The alignment's value, or the size's brackets when none is written.
    pub align_span: Span,
}

/// The alignment of a stack local declared without `align`.
pub const DEFAULT_STACK_ALIGN: u32 = 8;

/// The largest alignment a stack local may declare (a zmm register's width).
pub const MAX_STACK_ALIGN: u32 = 64;

/// Span covering a run of tokens (the first token's span, joined when possible).
pub fn span_of(tokens: &[TokenTree]) -> Span {
    match (tokens.first(), tokens.last()) {
        (Some(a), Some(b)) => a.span().join(b.span()).unwrap_or_else(|| a.span()),
        _ => Span::call_site(),
    }
}

/// The text of an identifier token.
pub fn ident_text(t: &TokenTree) -> Option<String> {
    match t {
        TokenTree::Ident(i) => Some(i.to_string()),
        _ => None,
    }
}

/// The character of a punctuation token.
pub fn punct(t: &TokenTree) -> Option<char> {
    match t {
        TokenTree::Punct(p) => Some(p.as_char()),
        _ => None,
    }
}

pub(crate) fn is_punct(t: &TokenTree, ch: char) -> bool {
    matches!(t, TokenTree::Punct(p) if p.as_char() == ch)
}

/// Splits a block into lines: at `;` and wherever a token starts on a later line
/// than the previous token ended.
pub fn split_lines(ts: TokenStream) -> Vec<Tokens> {
    let mut lines = Vec::new();
    let mut cur: Tokens = Vec::new();
    let mut last_line = 0usize;
    for tt in ts {
        let start = tt.span().start().line;
        if is_punct(&tt, ';') {
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if !cur.is_empty() && start > last_line {
            lines.push(std::mem::take(&mut cur));
        }
        last_line = tt.span().end().line;
        cur.push(tt);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Splits operand tokens at top-level commas (groups keep theirs).
pub fn split_commas(tokens: &[TokenTree]) -> Result<Vec<Tokens>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for t in tokens {
        if is_punct(t, ',') {
            if cur.is_empty() {
                bail!(t.span(), "expected an operand before `,`");
            }
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(t.clone());
        }
    }
    if cur.is_empty() {
        if let Some(t) = tokens.last() {
            bail!(t.span(), "expected an operand after `,`");
        }
    } else {
        out.push(cur);
    }
    Ok(out)
}

fn ident_of(t: &TokenTree) -> Option<&Ident> {
    match t {
        TokenTree::Ident(i) => Some(i),
        _ => None,
    }
}

/// Parses one block's tokens into statements, after expanding its constants,
/// repetitions and register arrays (`expand`).
pub fn parse_block(ts: TokenStream) -> Result<Vec<Stmt>> {
    let mut stmts = Vec::new();
    for line in expand::expand(ts)? {
        parse_line(&line.tokens, &line.iteration, &mut stmts)
            .map_err(|e| expand::in_iteration(&line.iteration, e))?;
    }
    Ok(stmts)
}

fn parse_line(
    mut line: &[TokenTree],
    iteration: &Option<Rc<str>>,
    out: &mut Vec<Stmt>,
) -> Result<()> {
    // Leading labels: `name:` (not `name::`).
    while line.len() >= 2 {
        match (ident_of(&line[0]), &line[1]) {
            (Some(name), TokenTree::Punct(p))
                if p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Alone =>
            {
                out.push(Stmt::Label(name.clone()));
                line = &line[2..];
            }
            _ => break,
        }
    }
    let Some(first) = line.first() else {
        return Ok(());
    };
    let Some(head) = ident_of(first) else {
        bail!(
            first.span(),
            "expected a mnemonic, `let`, `return` or a label, found `{first}`"
        )
    };
    let word = head.to_string();
    match word.as_str() {
        "let" => {
            let (regs, locals) = parse_let(head.span(), &line[1..])?;
            if !regs.is_empty() {
                out.push(Stmt::Let(regs));
            }
            out.extend(locals.into_iter().map(Stmt::Stack));
        }
        "return" => out.push(Stmt::Return {
            span: head.span(),
            values: if line.len() > 1 {
                split_commas(&line[1..])?
            } else {
                Vec::new()
            },
        }),
        _ => {
            // Join `b . ne` into `b.ne` when the dot and suffix are written together.
            let mut mnemonic = word;
            let mut span = head.span();
            let mut rest = &line[1..];
            while rest.len() >= 2 && is_punct(&rest[0], '.') {
                let Some(suffix) = ident_of(&rest[1]) else {
                    break;
                };
                mnemonic.push('.');
                mnemonic.push_str(&suffix.to_string());
                span = span.join(suffix.span()).unwrap_or(span);
                rest = &rest[2..];
            }
            out.push(Stmt::Inst {
                mnemonic,
                span,
                operands: split_commas(rest)?,
                iteration: iteration.clone(),
            });
        }
    }
    Ok(())
}

/// A `let` line's register declarations (name, class) and stack locals.
type LetLine = (Vec<(Ident, Ident)>, Vec<StackLocal>);

fn parse_let(let_span: Span, tokens: &[TokenTree]) -> Result<LetLine> {
    if tokens.is_empty() {
        bail!(let_span, "expected `let name: class` after `let`");
    }
    let mut decls = Vec::new();
    let mut locals = Vec::new();
    for decl in split_commas(tokens)? {
        match decl.as_slice() {
            [TokenTree::Ident(name), colon, TokenTree::Ident(class)] if is_punct(colon, ':') => {
                if class == "stack" {
                    bail!(
                        class.span(),
                        "a stack local needs its size in bytes: `let {name}: stack[64]` (optionally `align 16`)"
                    );
                }
                decls.push((name.clone(), class.clone()))
            }
            [TokenTree::Ident(name), colon, TokenTree::Ident(class), rest @ ..]
                if is_punct(colon, ':') && class == "stack" =>
            {
                locals.push(parse_stack_local(name, class, rest)?);
            }
            other => bail!(
                span_of(other),
                "expected `name: class` (for example `let acc: gp64` or `let v: ymm`) or `name: stack[bytes]`"
            ),
        }
    }
    Ok((decls, locals))
}

/// `stack[bytes]` or `stack[bytes] align A` after `name:` (constants are already
/// substituted by the expansion).
fn parse_stack_local(name: &Ident, class: &Ident, rest: &[TokenTree]) -> Result<StackLocal> {
    let form = format!("expected `let {name}: stack[bytes]` or `let {name}: stack[bytes] align 16`");
    let Some(TokenTree::Group(size)) = rest.first() else {
        bail!(class.span(), "{form}");
    };
    if size.delimiter() != Delimiter::Bracket {
        bail!(size.span(), "{form}");
    }
    let inner: Vec<TokenTree> = size.stream().into_iter().collect();
    if inner.is_empty() {
        bail!(size.span(), "{form}");
    }
    let bytes = const_expr(&inner).map_err(|e| {
        Error::new(
            e.span,
            format!(
                "the size of stack local `{name}` must be a constant expression: {}",
                e.message
            ),
        )
    })?;
    // The frame's limit is checked where the block's locals are laid out.
    if !(1..=u32::MAX as i128).contains(&bytes) {
        bail!(
            size.span(),
            "stack local `{name}` of {bytes} bytes: its size is at least 1 byte"
        );
    }
    let (align, align_span) = match &rest[1..] {
        [] => (DEFAULT_STACK_ALIGN as i128, size.span()),
        [TokenTree::Ident(kw), value @ ..] if kw == "align" && !value.is_empty() => {
            let a = const_expr(value).map_err(|e| {
                Error::new(
                    e.span,
                    format!(
                        "the alignment of stack local `{name}` must be a constant expression: {}",
                        e.message
                    ),
                )
            })?;
            (a, span_of(value))
        }
        [t, ..] => bail!(t.span(), "{form}"),
    };
    if !(1..=MAX_STACK_ALIGN as i128).contains(&align) || align & (align - 1) != 0 {
        bail!(
            align_span,
            "stack local `{name}`: alignment {align} is not a power of two from 1 to {MAX_STACK_ALIGN}"
        );
    }
    Ok(StackLocal {
        name: name.clone(),
        bytes: bytes as u32,
        bytes_span: size.span(),
        align: align as u32,
        align_span,
    })
}

/// A `[...]` group's inner tokens, if the operand is one bracket group (with a
/// size keyword before it for amd64, handled by the caller).
pub fn bracket(t: &TokenTree) -> Option<TokenStream> {
    match t {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => Some(g.stream()),
        _ => None,
    }
}

/// Parses an integer literal token (decimal, hex, octal, binary; `_` separators).
pub fn int_literal(t: &TokenTree) -> Option<i128> {
    let TokenTree::Literal(l) = t else {
        return None;
    };
    parse_int_text(&l.to_string())
}

pub fn parse_int_text(text: &str) -> Option<i128> {
    let s: String = text.chars().filter(|c| *c != '_').collect();
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x") {
        (h, 16)
    } else if let Some(b) = s.strip_prefix("0b") {
        (b, 2)
    } else if let Some(o) = s.strip_prefix("0o") {
        (o, 8)
    } else {
        (s.as_str(), 10)
    };
    // Strip a Rust integer suffix (`8u64`).
    let digits = [
        "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize",
    ]
    .iter()
    .find_map(|suf| digits.strip_suffix(suf))
    .unwrap_or(digits);
    i128::from_str_radix(digits, radix).ok()
}

/// Evaluates a constant integer expression of literals joined by
/// `+ - * / % << >> | & ^`, with unary minus and parentheses, left to right with
/// the usual precedence of `* / %` over `+`/`-` (`/` and `%` truncate, as in Rust). Enough for displacements and immediates.
pub fn const_expr(tokens: &[TokenTree]) -> Result<i128> {
    let mut p = ConstParser { t: tokens, i: 0 };
    let v = p.sum()?;
    if p.i != tokens.len() {
        bail!(
            tokens[p.i].span(),
            "unexpected `{}` in a constant",
            tokens[p.i]
        );
    }
    Ok(v)
}

struct ConstParser<'a> {
    t: &'a [TokenTree],
    i: usize,
}

impl ConstParser<'_> {
    fn peek_punct(&self) -> Option<char> {
        match self.t.get(self.i) {
            Some(TokenTree::Punct(p)) => Some(p.as_char()),
            _ => None,
        }
    }
    fn sum(&mut self) -> Result<i128> {
        let mut v = self.product()?;
        while let Some(c) = self.peek_punct() {
            match c {
                '+' | '-' | '|' | '&' | '^' => {
                    let op = self.t[self.i].span();
                    self.i += 1;
                    let r = self.product()?;
                    v = match c {
                        '+' => v.checked_add(r),
                        '-' => v.checked_sub(r),
                        '|' => Some(v | r),
                        '&' => Some(v & r),
                        _ => Some(v ^ r),
                    }
                    .ok_or_else(|| Error::new(op, "constant overflows"))?;
                }
                _ => break,
            }
        }
        Ok(v)
    }
    fn product(&mut self) -> Result<i128> {
        let mut v = self.unary()?;
        loop {
            match self.peek_punct() {
                Some(c @ ('*' | '/' | '%')) => {
                    let op = self.t[self.i].span();
                    self.i += 1;
                    let r = self.unary()?;
                    if c != '*' && r == 0 {
                        bail!(op, "division by zero in a constant");
                    }
                    v = match c {
                        '*' => v.checked_mul(r),
                        '/' => v.checked_div(r),
                        _ => v.checked_rem(r),
                    }
                    .ok_or_else(|| Error::new(op, "constant overflows"))?;
                }
                Some(c @ ('<' | '>')) if matches!(self.t.get(self.i + 1), Some(TokenTree::Punct(p)) if p.as_char() == c) =>
                {
                    let op = self.t[self.i].span();
                    self.i += 2;
                    let r = self.unary()?;
                    if !(0..64).contains(&r) {
                        bail!(self.t[self.i - 1].span(), "shift amount out of range");
                    }
                    v = if c == '<' {
                        // Bits shifted out of i128 would make a wrong small value.
                        let shifted = v << r;
                        if shifted >> r != v {
                            bail!(op, "constant overflows");
                        }
                        shifted
                    } else {
                        v >> r
                    };
                }
                _ => break,
            }
        }
        Ok(v)
    }
    fn unary(&mut self) -> Result<i128> {
        let Some(t) = self.t.get(self.i) else {
            let span = self
                .t
                .last()
                .map(|t| t.span())
                .unwrap_or_else(Span::call_site);
            bail!(span, "expected a constant");
        };
        self.i += 1;
        match t {
            TokenTree::Punct(p) if p.as_char() == '-' => self
                .unary()?
                .checked_neg()
                .ok_or_else(|| Error::new(p.span(), "constant overflows")),
            TokenTree::Punct(p) if p.as_char() == '!' => Ok(!self.unary()?),
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                let inner: Vec<_> = g.stream().into_iter().collect();
                const_expr(&inner)
            }
            t => int_literal(t)
                .ok_or_else(|| Error::new(t.span(), format!("expected an integer, found `{t}`"))),
        }
    }
}

/// `; did you mean `x`?` for the known word closest to `word` (edit distance at
/// most 2, ties broken alphabetically so messages are deterministic), or nothing.
pub fn suggest<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> String {
    let mut best: Option<(&str, usize)> = None;
    for k in known {
        let d = edit_distance(word, k);
        if d <= 2 && best.is_none_or(|(b, bd)| d < bd || (d == bd && k < b)) {
            best = Some((k, d));
        }
    }
    match best {
        Some((k, _)) => format!("; did you mean `{k}`?"),
        None => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}
