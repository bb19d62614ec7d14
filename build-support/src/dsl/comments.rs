//! `//` comments of a block, carried into the Go `.s` output at their lines.
//!
//! Proc-macro tokens hold no comments, but the build step has the source text
//! and every span's byte range: the comments are read from the text between a
//! block's braces. (The macro never prints Go, so it needs none.)

use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use std::collections::HashMap;

/// One `//` comment of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// 1-based source line.
    pub line: usize,
    /// The text after `//`, trimmed.
    pub text: String,
    /// Code precedes it on its line (`add x, 1 // bump`).
    pub trailing: bool,
}

/// Where each line of a text starts, to find the line of a byte offset in
/// logarithmic time (counting newlines from the file's start for every block
/// made parsing quadratic in the number of functions).
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1))
            .collect();
        LineStarts(starts)
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

/// The comments between the braces spanned by `braces`, in source order
/// (`lines`: the line starts of `text`).
pub fn in_braces(text: &str, lines: &LineStarts, braces: Span) -> Vec<Comment> {
    let r = braces.byte_range();
    let Some(inner) = text.get(r.start..r.end) else {
        return Vec::new();
    };
    scan(inner, lines.line_of(r.start))
}

/// Finds `//` comments in `s` (whose first line is `first_line`), skipping
/// string and character literals and `/* .. */` comments.
fn scan(s: &str, first_line: usize) -> Vec<Comment> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line, mut code_on_line) = (0, first_line, false);
    while i < b.len() {
        match b[i] {
            b'\n' => {
                line += 1;
                code_on_line = false;
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = s[i..].find('\n').map_or(s.len(), |n| i + n);
                let body = s[i + 2..end].trim_start_matches(['/', '!']).trim();
                out.push(Comment {
                    line,
                    text: body.to_string(),
                    trailing: code_on_line,
                });
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = s[i + 2..].find("*/").map_or(s.len(), |n| i + 2 + n + 2);
                line += s[i..end].matches('\n').count();
                i = end;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\n' {
                        line += 1;
                    }
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                code_on_line = true;
            }
            c => {
                code_on_line |= !c.is_ascii_whitespace() && c != b'{' && c != b'}';
                i += 1;
            }
        }
    }
    out
}

/// One printed body line, with the source line it comes from when known.
pub struct BodyLine {
    pub line: Option<usize>,
    pub go: String,
    pub is_label: bool,
}

/// The source line of each label written in a block (`name:` at a line's start,
/// also in `for` bodies), by name.
pub fn label_lines(tokens: &TokenStream) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut prev: Option<TokenTree> = None;
    for t in tokens.clone() {
        if let (Some(TokenTree::Ident(name)), TokenTree::Punct(p)) = (&prev, &t) {
            if p.as_char() == ':' && p.spacing() == Spacing::Alone {
                out.entry(name.to_string())
                    .or_insert(name.span().start().line);
            }
        }
        if let TokenTree::Group(g) = &t {
            for (k, v) in label_lines(&g.stream()) {
                out.entry(k).or_insert(v);
            }
        }
        prev = Some(t);
    }
    out
}

/// The line of a printed label: its own, or for a label of a repetition
/// (`skip_2`, `skip_2_0`) that of the label it was made from.
pub fn line_of_label(lines: &HashMap<String, usize>, printed: &str) -> Option<usize> {
    let mut name = printed.strip_suffix(':').unwrap_or(printed);
    loop {
        if let Some(l) = lines.get(name) {
            return Some(*l);
        }
        let (stem, n) = name.rsplit_once('_')?;
        n.parse::<u64>().ok()?;
        name = stem;
    }
}

/// Prints `body` with `comments` placed: a comment on its own line goes before
/// the first item at a later line; a trailing comment ends the first instruction
/// of its line. Each comment is printed once, however often a repetition emits
/// its line; items of unknown line (the exit label) take what is left at the end.
pub fn interleave(body: Vec<BodyLine>, comments: &[Comment]) -> Vec<String> {
    let own_line = |c: &Comment| format!("\t// {}", c.text).trim_end().to_string();
    let mut out = Vec::with_capacity(body.len() + comments.len());
    let mut next = 0;
    for item in body {
        let Some(line) = item.line else {
            out.push(item.go);
            continue;
        };
        while next < comments.len() && comments[next].line < line {
            out.push(own_line(&comments[next]));
            next += 1;
        }
        match comments.get(next) {
            Some(c) if !item.is_label && c.line == line && c.trailing && !c.text.is_empty() => {
                out.push(format!("{} // {}", item.go, c.text));
                next += 1;
            }
            _ => out.push(item.go),
        }
    }
    out.extend(comments[next..].iter().map(own_line));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_outside_literals() {
        let c = scan(
            "{\n  // one\n  add x, 1 // two\n  /* no */ \"// no\"\n}",
            10,
        );
        assert_eq!(
            c,
            vec![
                Comment {
                    line: 11,
                    text: "one".into(),
                    trailing: false
                },
                Comment {
                    line: 12,
                    text: "two".into(),
                    trailing: true
                },
            ]
        );
    }

    #[test]
    fn comments_go_before_their_code_once() {
        let c = scan("{\n// head\nl:\n x // tail\n// end\n}", 1);
        let item = |line, go: &str, is_label| BodyLine {
            line,
            go: go.into(),
            is_label,
        };
        let body = vec![
            item(Some(3), "l:", true),
            item(Some(4), "\tA", false),
            item(Some(4), "\tA", false),
            item(None, "exit:", true),
        ];
        assert_eq!(
            interleave(body, &c),
            ["\t// head", "l:", "\tA // tail", "\tA", "exit:", "\t// end"]
        );
    }

    #[test]
    fn repeated_labels_take_their_written_line() {
        let ts: TokenStream = "a:\nfor i in 0..2 { \n skip: \n }".parse().unwrap();
        let lines = label_lines(&ts);
        assert_eq!(line_of_label(&lines, "skip_1_0:"), Some(3));
        assert_eq!(line_of_label(&lines, "a:"), Some(1));
        assert_eq!(line_of_label(&lines, "goasm_exit:"), None);
    }
}
