//! Large tables read straight from the source text. A table of a million plain
//! integers costs syn a token and an expression node per element (tens of bytes
//! each, 90 MB for 1 MiB); here its element list is converted to bytes once and
//! blanked out of the text syn parses (spaces, newlines kept, so every span stays
//! where it was). Only long lists of plain integer literals that fit their element
//! type are lifted: anything else, and every short table, goes through syn, so
//! its errors keep pointing at the offending element.

use crate::sig::Scalar;

/// Element lists shorter than this stay with syn.
const MIN_LIFTED_BYTES: usize = 4096;

/// One lifted element list.
pub struct LiftedTable {
    /// Byte offset of the value's `[`.
    pub open: usize,
    pub elements: usize,
    /// Little-endian bytes of the elements.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// The lifted tables of one source text, by the offset of their value's `[`.
#[derive(Default)]
pub struct Lifted(Vec<LiftedTable>);

impl Lifted {
    pub fn at(&self, open: usize) -> Option<&LiftedTable> {
        self.0.iter().find(|t| t.open == open)
    }
}

/// `text` with the element lists of its large plain tables blanked out, and those
/// tables' bytes. `None` when nothing was lifted (the text is parsed as it is).
pub fn lift(text: &str) -> Option<(String, Lifted)> {
    let found = find(text.as_bytes());
    if found.is_empty() {
        return None;
    }
    Some(blank(text.to_string(), found))
}

/// [`lift`] in place: the text itself is blanked (no copy of it is made), and it
/// is what syn parses and what the build step reads `go!` bodies and comments
/// from (a lifted list holds only integers, commas and whitespace).
pub fn lift_owned(text: String) -> (String, Lifted) {
    let found = find(text.as_bytes());
    blank(text, found)
}

/// The large plain tables of `b`, each with the offset of its closing `]`.
fn find(b: &[u8]) -> Vec<(LiftedTable, usize)> {
    let mut lifted = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            b'"' => i = skip_string(b, i + 1),
            b'r' if !ident_before(b, i) && matches!(b.get(i + 1), Some(b'"' | b'#')) => {
                i = skip_raw_string(b, i + 1)
            }
            b'\'' => i = skip_char(b, i),
            b'c' if !ident_before(b, i) && b[i..].starts_with(b"const") => {
                if let Some(t) = table_at(b, i + 5) {
                    i = t.1;
                    lifted.push(t);
                } else {
                    i += 5;
                }
            }
            c if is_ident(c) => {
                while i < b.len() && is_ident(b[i]) {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    lifted
}

/// `text` with the element lists of `found` replaced by spaces (newlines kept).
fn blank(text: String, found: Vec<(LiftedTable, usize)>) -> (String, Lifted) {
    let mut bytes = text.into_bytes();
    for (t, close) in &found {
        for c in &mut bytes[t.open + 1..*close] {
            if !matches!(*c, b'\n' | b'\r') {
                *c = b' ';
            }
        }
    }
    // A lifted list is ASCII (integers, commas, ASCII whitespace): still UTF-8.
    let text = String::from_utf8(bytes).expect("only ASCII blanked");
    (text, Lifted(found.into_iter().map(|(t, _)| t).collect()))
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && is_ident(b[i - 1])
}

fn skip_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

fn skip_string(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

fn skip_raw_string(b: &[u8], mut i: usize) -> usize {
    let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
    i += hashes;
    if b.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    while i < b.len() {
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    b.len()
}

/// A char literal (`'x'`, `'\n'`) or a lifetime's quote.
fn skip_char(b: &[u8], i: usize) -> usize {
    if b.get(i + 1) == Some(&b'\\') {
        return b[i + 2..]
            .iter()
            .position(|&c| c == b'\'')
            .map_or(b.len(), |n| i + 3 + n);
    }
    // One (possibly multi-byte) character and a closing quote; else a lifetime.
    let len = b[i + 1..]
        .iter()
        .skip(1)
        .take_while(|&&c| c & 0xc0 == 0x80)
        .count()
        + 1;
    if b.get(i + 1 + len) == Some(&b'\'') {
        i + 2 + len
    } else {
        i + 1
    }
}

/// A cursor over the text after `const`.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn punct(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }
    fn word(&mut self) -> Option<&str> {
        self.ws();
        let start = self.i;
        while self.i < self.b.len() && is_ident(self.b[self.i]) {
            self.i += 1;
        }
        (self.i > start).then(|| std::str::from_utf8(&self.b[start..self.i]).expect("ASCII"))
    }
}

/// `NAME: [T; N] = [ints]` after a `const`: the lifted table and the offset of
/// its closing `]`, when it is large, plain and every element fits `T`.
fn table_at(b: &[u8], after_const: usize) -> Option<(LiftedTable, usize)> {
    let mut c = Cursor { b, i: after_const };
    if !b.get(after_const)?.is_ascii_whitespace() {
        return None;
    }
    c.word()?;
    c.punct(b':')?;
    c.punct(b'[')?;
    let elem = Scalar::from_rust(c.word()?).filter(|s| !s.is_float() && *s != Scalar::Bool)?;
    c.punct(b';')?;
    c.word()?;
    c.punct(b']')?;
    c.punct(b'=')?;
    c.punct(b'[')?;
    let open = c.i - 1;
    let size = elem.size() as usize;
    let (lo, hi) = elem.int_range();
    let mut bytes = Vec::new();
    let mut elements = 0;
    loop {
        c.ws();
        if c.b.get(c.i) == Some(&b']') {
            break;
        }
        let neg = c.punct(b'-').is_some();
        let v = integer(c.word()?)?;
        let v = if neg { -v } else { v };
        if v < lo || v > hi {
            return None;
        }
        bytes.extend_from_slice(&(v as u64).to_le_bytes()[..size]);
        elements += 1;
        c.ws();
        match c.b.get(c.i)? {
            b',' => c.i += 1,
            b']' => break,
            _ => return None,
        }
    }
    let close = c.i;
    (close - open >= MIN_LIFTED_BYTES).then_some((
        LiftedTable {
            open,
            elements,
            bytes: bytes.into(),
        },
        close,
    ))
}

/// A plain integer literal without suffix: decimal, `0x`, `0o`, `0b`, `_`s.
fn integer(word: &str) -> Option<i128> {
    let digits: String = word.chars().filter(|&c| c != '_').collect();
    let (radix, body) = match digits.get(..2) {
        Some("0x") => (16, &digits[2..]),
        Some("0o") => (8, &digits[2..]),
        Some("0b") => (2, &digits[2..]),
        _ => (10, &digits[..]),
    };
    if body.is_empty() || !word.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    i128::from_str_radix(body, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::lift;

    fn list(n: usize, f: impl Fn(usize) -> String) -> String {
        (0..n).map(f).collect::<Vec<_>>().join(", ")
    }

    #[test]
    fn large_plain_tables_are_lifted_and_blanked_in_place() {
        let text = format!(
            "// const X: [u8; 2] = [1, 2];\nconst T: [i16; 3000] = [{}];\nconst S: &str = \"const U: [u8; 1] = [1];\";",
            list(3000, |i| format!("{}", i as i64 - 1500))
        );
        let (blanked, lifted) = lift(&text).expect("lifted");
        assert_eq!(blanked.len(), text.len());
        let open = text.find("3000] = [").unwrap() + 8;
        let t = lifted.at(open).expect("T");
        assert_eq!(t.elements, 3000);
        assert_eq!(&t.bytes[..4], &[0x24, 0xfa, 0x25, 0xfa]);
        assert!(blanked[open..].starts_with("[     "));
        assert!(blanked.ends_with("\"const U: [u8; 1] = [1];\";"));
    }

    #[test]
    fn small_odd_or_out_of_range_tables_stay_with_syn() {
        for text in [
            "const T: [u8; 3] = [1, 2, 3];".to_string(),
            format!(
                "const T: [u8; 2000] = [{}];",
                list(2000, |i| format!("{i}"))
            ),
            format!(
                "const T: [u16; 2000] = [{}, X];",
                list(1999, |i| format!("{i}"))
            ),
            format!(
                "const T: [u32; 2000] = [{}];",
                list(2000, |i| format!("{i}u32"))
            ),
            format!(
                "const T: [f64; 2000] = [{}];",
                list(2000, |i| format!("{i}"))
            ),
            format!(
                "const T: [u64; 2000] = [{}];",
                list(2000, |i| format!("{i} /* c */"))
            ),
        ] {
            assert!(lift(&text).is_none(), "{}", &text[..40]);
        }
    }

    /// The Go package of a function with a large table is the same whether the
    /// table is lifted or parsed by syn (a comment in the list keeps it with syn).
    #[test]
    fn lifted_tables_render_as_syn_parsed_ones() {
        let source = |comment: &str| {
            format!(
                "use go_asm::go_asm;\n#[go_asm]\npub fn pick(i: u64) -> i32 {{\n    const T: [i32; 1500] = [{}{comment}];\n    amd64! {{\n        let t: gp64\n        lea t, [T]\n        movsxd t, dword [t + i*4]\n        return t.32\n    }}\n    go! {{ return T[i] }}\n}}\n",
                list(1500, |i| format!("{}", (i as i64 * 7919) % 100_003 - 50_000))
            )
        };
        let render = |text: String| {
            let src = crate::package::parse_source("t.rs", text).expect("parses");
            crate::Package::new("t", "t")
                .render_sources(&[src])
                .expect("renders")
                .into_iter()
                .map(|f| f.contents)
                .collect::<Vec<_>>()
        };
        assert!(lift(&source("")).is_some() && lift(&source(" /* syn */")).is_none());
        assert_eq!(render(source("")), render(source(" /* syn */")));
    }
}
