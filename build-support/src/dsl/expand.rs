//! Compile-time expansion of a block, before either architecture parses it:
//!
//! - `const NAME = expr` names a constant for the rest of its body;
//! - `for i in a..b { .. }` / `a..=b` repeats its body with `i` a constant; labels
//!   defined in the body are local to each iteration (`next` becomes `next_2`);
//! - `let acc[4]: ymm` declares register arrays, whose elements `acc[k]` (`k` a
//!   constant expression) are ordinary virtual registers named `acc_k`;
//! - `let w: stack[N * 4] align A` (a stack local) reads constants in its size
//!   and alignment;
//! - `macro name(a, b) { .. }` defines a macro for the rest of its body and
//!   `name!(x, 4)` expands it, its parameters replaced by the argument tokens and
//!   its labels local to the expansion. Definitions shared by the functions of a
//!   `#[go_asm] mod` (`go_asm_macros! { .. }`) are prepended to each block
//!   (`func::share_definitions`), so they are expanded here like local ones.
//!
//! The output is plain lines the backends already understand, each tagged with
//! the iteration it came from so later errors can name it.

use super::{is_punct, span_of, split_lines, Tokens};
use crate::diag::{bail, Error, Result};
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// Most iterations one `for` may have: a typo in a bound should not make a
/// million-line function.
pub const MAX_ITERATIONS: i128 = 4096;

/// Deepest nesting of macro expansions (a macro that calls itself stops here).
const MAX_MACRO_DEPTH: usize = 32;

/// `macro name(params) { body }`.
#[derive(Clone)]
struct Macro {
    name: Ident,
    params: Vec<Ident>,
    body: Vec<Tokens>,
}

/// One expanded line and where it was repeated or expanded
/// (`iteration i = 2, j = 0, in the expansion of `m!` at line 9, column 5`).
#[derive(Clone, Debug)]
pub struct Line {
    pub tokens: Tokens,
    pub iteration: Option<Rc<str>>,
}

/// Appends ` (in iteration i = 2)` to an error raised inside a repetition, or
/// ` (in the expansion of `m!` at line 9, column 5)` inside a macro: the error's
/// span is in the body, this names the iteration or call it came through.
pub fn in_iteration(iteration: &Option<Rc<str>>, mut e: Error) -> Error {
    if let Some(it) = iteration {
        if !e.message.contains(&**it) {
            e.message = format!("{} (in {it})", e.message);
        }
    }
    e
}

/// Expands a block's tokens into lines.
pub fn expand(ts: TokenStream) -> Result<Vec<Line>> {
    let lines = split_lines(ts);
    let mut all_labels = BTreeSet::new();
    collect_labels(&lines, true, &mut all_labels);
    let mut x = Expander {
        scopes: vec![Scope::default()],
        arrays: HashMap::new(),
        written_labels: all_labels.into_iter().map(|l| l.to_string()).collect(),
        generated_labels: HashMap::new(),
        iteration: Vec::new(),
        expansions: 0,
        out: Vec::new(),
    };
    x.body(&lines)?;
    Ok(x.out)
}

#[derive(Default)]
struct Scope {
    /// Constants and loop indexes visible in this body.
    consts: HashMap<String, i128>,
    /// Macros defined in this body.
    macros: HashMap<String, Macro>,
    /// In a macro expansion: its parameters, name -> argument tokens.
    params: Option<HashMap<String, Tokens>>,
    /// Labels of this iteration's body, renamed with this suffix.
    label_suffix: Option<(HashSet<String>, String)>,
}

struct Expander {
    scopes: Vec<Scope>,
    /// Register arrays: name -> number of elements.
    arrays: HashMap<String, usize>,
    /// Every label written anywhere in the block, so a generated name cannot
    /// silently become one of them.
    written_labels: HashSet<String>,
    /// Labels the repetitions generated so far (`next_2`), each with the
    /// repetition that made it (`for i`): two repetitions must not make one name.
    generated_labels: HashMap<String, String>,
    /// `i = 2` for each enclosing loop and `in `m!` at 12:5` for each
    /// enclosing expansion, outermost first.
    iteration: Vec<String>,
    /// Macro expansions so far, numbering their local labels.
    expansions: usize,
    out: Vec<Line>,
}

impl Expander {
    fn iteration_note(&self) -> Option<Rc<str>> {
        let mut parts: Vec<String> = Vec::new();
        let mut in_loop = false;
        for e in &self.iteration {
            let is_loop = !e.starts_with("the expansion of ");
            match parts.last_mut() {
                Some(last) if is_loop && in_loop => {
                    last.push_str(", ");
                    last.push_str(e);
                }
                _ if is_loop => parts.push(format!("iteration {e}")),
                _ => parts.push(e.clone()),
            }
            in_loop = is_loop;
        }
        (!parts.is_empty()).then(|| parts.join(", in ").into())
    }

    fn body(&mut self, lines: &[Tokens]) -> Result<()> {
        let own_labels = {
            let mut s = BTreeSet::new();
            collect_labels(lines, false, &mut s);
            s
        };
        for line in lines {
            let note = self.iteration_note();
            self.line(line, &own_labels)
                .map_err(|e| in_iteration(&note, e))?;
        }
        Ok(())
    }

    fn line(&mut self, line: &[TokenTree], level_labels: &BTreeSet<Ident>) -> Result<()> {
        match line.first() {
            Some(TokenTree::Ident(k)) if k == "for" => self.repeat(k, &line[1..], level_labels),
            Some(TokenTree::Ident(k)) if k == "const" => self.constant(k, &line[1..]),
            Some(TokenTree::Ident(k)) if k == "macro" => self.define_macro(k, &line[1..]),
            Some(TokenTree::Ident(name))
                if line.len() >= 2
                    && is_punct(&line[1], '!')
                    && self.lookup_macro(&name.to_string()).is_some() =>
            {
                self.call_macro(name, &line[2..])
            }
            Some(TokenTree::Ident(k)) if k == "let" => {
                let rest = self.let_arrays(&line[1..])?;
                let mut tokens = vec![line[0].clone()];
                tokens.extend(rest);
                self.emit(tokens);
                Ok(())
            }
            _ => {
                // The mnemonic itself is never substituted (`b.ne` with a constant `b`).
                let head = leading_labels(line).min(line.len());
                let mut tokens = self.substitute(&line[..head], false)?;
                if let Some(mnemonic) = line.get(head) {
                    tokens.push(mnemonic.clone());
                    tokens.extend(self.substitute(&line[head + 1..], false)?);
                }
                self.emit(tokens);
                Ok(())
            }
        }
    }

    fn emit(&mut self, tokens: Tokens) {
        let iteration = self.iteration_note();
        self.out.push(Line { tokens, iteration });
    }

    fn lookup_const(&self, name: &str) -> Option<i128> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.consts.get(name).copied())
    }

    fn lookup_macro(&self, name: &str) -> Option<&Macro> {
        self.scopes.iter().rev().find_map(|s| s.macros.get(name))
    }

    /// A parameter of the innermost expansion only: a macro's body cannot see
    /// the parameters of the macro that called it.
    fn lookup_param(&self, name: &str) -> Option<&Tokens> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.params.as_ref())
            .and_then(|p| p.get(name))
    }

    /// `macro name(a, b) { body }`
    fn define_macro(&mut self, kw: &Ident, rest: &[TokenTree]) -> Result<()> {
        let form = "expected `macro name(param, ..) { .. }`";
        let [TokenTree::Ident(name), TokenTree::Group(params), TokenTree::Group(body)] = rest
        else {
            bail!(kw.span(), "{form}");
        };
        if params.delimiter() != Delimiter::Parenthesis || body.delimiter() != Delimiter::Brace {
            bail!(kw.span(), "{form}");
        }
        let list: Vec<TokenTree> = params.stream().into_iter().collect();
        let mut names: Vec<Ident> = Vec::new();
        for p in super::split_commas(&list)? {
            match p.as_slice() {
                [TokenTree::Ident(id)] if names.contains(id) => {
                    bail!(id.span(), "parameter `{id}` is named twice")
                }
                [TokenTree::Ident(id)] => names.push(id.clone()),
                other => bail!(span_of(other), "a macro parameter is one name"),
            }
        }
        if self.lookup_macro(&name.to_string()).is_some() {
            bail!(name.span(), "macro `{name}` is already defined");
        }
        let m = Macro {
            name: name.clone(),
            params: names,
            body: split_lines(body.stream()),
        };
        let scope = self.scopes.last_mut().expect("scope");
        scope.macros.insert(name.to_string(), m);
        Ok(())
    }

    /// `name!(arg, ..)`: the body with each parameter replaced by its argument.
    fn call_macro(&mut self, name: &Ident, rest: &[TokenTree]) -> Result<()> {
        let m = self
            .lookup_macro(&name.to_string())
            .expect("defined")
            .clone();
        let args = match rest {
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Parenthesis => g,
            _ => bail!(
                name.span(),
                "expected `{name}!(argument, ..)` on a line of its own"
            ),
        };
        let list: Vec<TokenTree> = args.stream().into_iter().collect();
        // Arguments are read in the caller's scope (its constants, iteration labels).
        let list = self.substitute(&list, false)?;
        let values = if list.is_empty() {
            Vec::new()
        } else {
            super::split_commas(&list)?
        };
        if values.len() != m.params.len() {
            let params: Vec<String> = m.params.iter().map(|p| p.to_string()).collect();
            bail!(
                args.span(),
                "`{name}!` takes {} argument{} ({}), given {}",
                m.params.len(),
                if m.params.len() == 1 { "" } else { "s" },
                params.join(", "),
                values.len()
            );
        }
        let depth = self
            .iteration
            .iter()
            .filter(|i| i.starts_with("the expansion of "))
            .count();
        if depth >= MAX_MACRO_DEPTH {
            bail!(
                name.span(),
                "macro expansions nest deeper than {MAX_MACRO_DEPTH}: does `{name}!` call itself?"
            );
        }
        let mut labels = BTreeSet::new();
        collect_labels(&m.body, true, &mut labels);
        self.expansions += 1;
        let start = name.span().start();
        self.scopes.push(Scope {
            params: Some(m.params.iter().map(|p| p.to_string()).zip(values).collect()),
            label_suffix: Some((
                labels.iter().map(|l| l.to_string()).collect(),
                format!("_{}{}", m.name, self.expansions),
            )),
            ..Scope::default()
        });
        self.iteration.push(format!(
            "the expansion of `{name}!` at line {}, column {}",
            start.line,
            start.column + 1
        ));
        let r = self.body(&m.body);
        self.iteration.pop();
        self.scopes.pop();
        r
    }

    /// The label's name in the current iteration: every enclosing body that
    /// defines it adds its suffix, outermost first.
    fn label_name(&self, name: &str) -> Option<String> {
        let mut renamed = None;
        for s in &self.scopes {
            if let Some((labels, suffix)) = &s.label_suffix {
                if labels.contains(name) {
                    renamed
                        .get_or_insert_with(|| name.to_string())
                        .push_str(suffix);
                }
            }
        }
        renamed
    }

    /// Replaces constants, loop indexes, iteration-local labels and register-array
    /// elements in `tokens`, recursing into groups. `after_dot` marks a token right
    /// after `.` (a component or arrangement, never substituted).
    fn substitute(&self, tokens: &[TokenTree], mut after_dot: bool) -> Result<Tokens> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut k = 0;
        while k < tokens.len() {
            let t = &tokens[k];
            k += 1;
            let was_after_dot = std::mem::replace(&mut after_dot, is_punct(t, '.'));
            match t {
                TokenTree::Ident(id) if !was_after_dot => {
                    let name = id.to_string();
                    if let Some(arg) = self.lookup_param(&name) {
                        out.extend(arg.iter().cloned());
                    } else if let Some(v) = self.lookup_const(&name) {
                        out.extend(int_tokens(v, id.span()));
                    } else if let Some(renamed) = self.label_name(&name) {
                        out.push(TokenTree::Ident(Ident::new(&renamed, id.span())));
                    } else if let (Some(&len), Some(TokenTree::Group(g))) =
                        (self.arrays.get(&name), tokens.get(k))
                    {
                        if g.delimiter() != Delimiter::Bracket {
                            out.push(t.clone());
                            continue;
                        }
                        k += 1;
                        let index =
                            self.substitute(&g.stream().into_iter().collect::<Vec<_>>(), false)?;
                        let i = super::const_expr(&index).map_err(|e| {
                            Error::new(
                                e.span,
                                format!("the index of register array `{name}` must be a constant expression: {}", e.message),
                            )
                        })?;
                        if !(0..len as i128).contains(&i) {
                            bail!(
                                g.span(),
                                "index {i} is out of range for register array `{name}` of {len} elements (0..={})",
                                len - 1
                            );
                        }
                        out.push(TokenTree::Ident(Ident::new(
                            &element_name(&name, i),
                            id.span(),
                        )));
                    } else {
                        out.push(t.clone());
                    }
                }
                TokenTree::Group(g) => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    let mut ng = Group::new(
                        g.delimiter(),
                        self.substitute(&inner, false)?.into_iter().collect(),
                    );
                    ng.set_span(g.span());
                    out.push(TokenTree::Group(ng));
                }
                _ => out.push(t.clone()),
            }
        }
        Ok(out)
    }

    fn constant_value(&self, what: &str, tokens: &[TokenTree]) -> Result<i128> {
        let tokens = self.substitute(tokens, false)?;
        super::const_expr(&tokens).map_err(|e| {
            Error::new(
                e.span,
                format!("{what} must be a constant expression: {}", e.message),
            )
        })
    }

    fn declare(&mut self, name: &Ident, value: i128) -> Result<()> {
        let n = name.to_string();
        if self.lookup_const(&n).is_some() {
            bail!(name.span(), "constant `{n}` is already defined");
        }
        self.scopes
            .last_mut()
            .expect("scope")
            .consts
            .insert(n, value);
        Ok(())
    }

    /// `const NAME = expr`
    fn constant(&mut self, kw: &Ident, rest: &[TokenTree]) -> Result<()> {
        let (name, value) = match rest {
            [TokenTree::Ident(name), eq, value @ ..] if is_punct(eq, '=') && !value.is_empty() => {
                (name, value)
            }
            _ => bail!(kw.span(), "expected `const NAME = expression`"),
        };
        let v = self.constant_value(&format!("the value of `{name}`"), value)?;
        self.declare(name, v)
    }

    /// `for i in a..b { body }` or `a..=b`.
    fn repeat(
        &mut self,
        kw: &Ident,
        rest: &[TokenTree],
        level_labels: &BTreeSet<Ident>,
    ) -> Result<()> {
        let [TokenTree::Ident(index), TokenTree::Ident(in_kw), range @ .., TokenTree::Group(body)] =
            rest
        else {
            bail!(
                kw.span(),
                "expected `for i in a..b {{ .. }}` (the body in braces)"
            );
        };
        if in_kw != "in" || body.delimiter() != Delimiter::Brace {
            bail!(
                kw.span(),
                "expected `for i in a..b {{ .. }}` (the body in braces)"
            );
        }
        let Some(dots) = range
            .windows(2)
            .position(|w| is_punct(&w[0], '.') && is_punct(&w[1], '.'))
        else {
            bail!(span_of(range), "expected a range `a..b` or `a..=b`");
        };
        let inclusive = range.get(dots + 2).is_some_and(|t| is_punct(t, '='));
        let hi_tokens = &range[dots + if inclusive { 3 } else { 2 }..];
        let what = |end: &str| format!("the {end} bound of `for {index}`");
        let lo = self.constant_value(&what("lower"), &range[..dots])?;
        let hi = self.constant_value(&what("upper"), hi_tokens)?;
        let hi = if inclusive { hi + 1 } else { hi };
        if hi - lo > MAX_ITERATIONS {
            bail!(
                span_of(range),
                "`for {index}` repeats {} times; at most {MAX_ITERATIONS}",
                hi - lo
            );
        }
        let lines = split_lines(body.stream());
        let mut body_labels = BTreeSet::new();
        collect_labels(&lines, true, &mut body_labels);
        for l in &body_labels {
            if level_labels.contains(l) {
                bail!(
                    l.span(),
                    "label `{l}` is defined both inside `for {index}` and outside it; labels in a repeated body are local to each iteration, so give it another name"
                );
            }
        }
        let names: HashSet<String> = body_labels.iter().map(|l| l.to_string()).collect();
        for i in lo..hi {
            let suffix = format!("_{i}");
            for l in &body_labels {
                let full = self
                    .label_name(&l.to_string())
                    .unwrap_or_else(|| l.to_string())
                    + &suffix;
                if self.written_labels.contains(&full) {
                    bail!(
                        l.span(),
                        "label `{l}` of iteration {index} = {i} is named `{full}`, which is already a label of this block"
                    );
                }
                let here = format!("`for {index}` at line {}", index.span().start().line);
                if let Some(other) = self.generated_labels.insert(full.clone(), here) {
                    bail!(
                        l.span(),
                        "label `{l}` of iteration {index} = {i} is named `{full}`, as a label of {other} is: labels of two repetitions clash, so give one of them another name"
                    );
                }
            }
            let mut scope = Scope {
                label_suffix: Some((names.clone(), suffix)),
                ..Scope::default()
            };
            if self.lookup_const(&index.to_string()).is_some() {
                bail!(
                    index.span(),
                    "`{index}` is already a constant or loop index"
                );
            }
            scope.consts.insert(index.to_string(), i);
            self.scopes.push(scope);
            self.iteration.push(format!("{index} = {i}"));
            let r = self.body(&lines);
            self.iteration.pop();
            self.scopes.pop();
            r?;
        }
        Ok(())
    }

    /// Rewrites `let acc[4]: ymm, t: gp64` to `let acc_0: ymm, .., acc_3: ymm, t: gp64`.
    fn let_arrays(&mut self, decls: &[TokenTree]) -> Result<Tokens> {
        let mut out = Vec::new();
        for (n, decl) in super::split_commas(decls)?.into_iter().enumerate() {
            if n > 0 {
                out.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
            }
            match decl.as_slice() {
                [TokenTree::Ident(name), TokenTree::Group(g), colon, class]
                    if g.delimiter() == Delimiter::Bracket && is_punct(colon, ':') =>
                {
                    let size = self.constant_value(
                        &format!("the size of register array `{name}`"),
                        &g.stream().into_iter().collect::<Vec<_>>(),
                    )?;
                    if !(1..=256).contains(&size) {
                        bail!(
                            g.span(),
                            "register array `{name}` must have 1 to 256 elements, not {size}"
                        );
                    }
                    let n = name.to_string();
                    if self.arrays.insert(n.clone(), size as usize).is_some() {
                        bail!(name.span(), "register array `{n}` is already declared");
                    }
                    for i in 0..size {
                        if i > 0 {
                            out.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
                        }
                        out.push(TokenTree::Ident(Ident::new(
                            &element_name(&n, i),
                            name.span(),
                        )));
                        out.push(colon.clone());
                        out.push(class.clone());
                    }
                }
                // `w: stack[N * 4] align A`: the size and alignment read constants.
                [name, colon, TokenTree::Ident(class), rest @ ..]
                    if is_punct(colon, ':') && class == "stack" =>
                {
                    out.extend([name.clone(), colon.clone(), decl[2].clone()]);
                    out.extend(self.substitute(rest, false)?);
                }
                _ => out.extend(decl),
            }
        }
        Ok(out)
    }
}

/// The virtual register behind `name[i]`.
pub fn element_name(name: &str, i: i128) -> String {
    format!("{name}_{i}")
}

/// An integer as tokens carrying `span` (a negative value is `-` then the literal).
fn int_tokens(v: i128, span: Span) -> Tokens {
    let mut lit = Literal::i128_unsuffixed(v.unsigned_abs() as i128);
    lit.set_span(span);
    let mut out = Vec::new();
    if v < 0 {
        let mut minus = Punct::new('-', Spacing::Alone);
        minus.set_span(span);
        out.push(TokenTree::Punct(minus));
    }
    out.push(TokenTree::Literal(lit));
    out
}

/// Index of the first token after the line's leading `name:` labels.
fn leading_labels(line: &[TokenTree]) -> usize {
    let mut k = 0;
    while k + 1 < line.len() && is_label_colon(&line[k], &line[k + 1]) {
        k += 2;
    }
    k
}

fn is_label_colon(name: &TokenTree, colon: &TokenTree) -> bool {
    matches!(name, TokenTree::Ident(_))
        && matches!(colon, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Alone)
}

/// Labels defined by `lines`; with `nested`, also those inside `for` bodies.
fn collect_labels(lines: &[Tokens], nested: bool, out: &mut BTreeSet<Ident>) {
    for line in lines {
        let end = leading_labels(line);
        for pair in line[..end].chunks(2) {
            if let TokenTree::Ident(id) = &pair[0] {
                out.insert(id.clone());
            }
        }
        if nested && matches!(line.first(), Some(TokenTree::Ident(k)) if k == "for") {
            if let Some(TokenTree::Group(g)) = line.last() {
                collect_labels(&split_lines(g.stream()), true, out);
            }
        }
    }
}
