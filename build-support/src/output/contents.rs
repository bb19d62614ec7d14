//! A generated file's contents on their way to the disk: bytes the caller holds,
//! or a renderer that writes them on demand (a `.s` file with a large table's
//! DATA lines is streamed: compared with the file on disk and staged without
//! ever being held whole). Files on disk are read in pieces too.

use crate::generated::HEADER_PREFIX;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufReader, ErrorKind, Read, Write};
use std::path::Path;

/// Writes a file's contents to a writer; called once per comparison and once
/// to stage the file, with the same bytes each time.
pub type Render<'a> = dyn Fn(&mut dyn Write) -> io::Result<()> + 'a;

/// One file's contents.
pub enum Contents<'a> {
    Bytes(Cow<'a, [u8]>),
    Stream(&'a Render<'a>),
}

impl Contents<'_> {
    /// The same contents, borrowed.
    pub fn borrowed(&self) -> Contents<'_> {
        match self {
            Contents::Bytes(b) => Contents::Bytes(Cow::Borrowed(&b[..])),
            Contents::Stream(r) => Contents::Stream(*r),
        }
    }

    pub fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        match self {
            Contents::Bytes(b) => w.write_all(b),
            Contents::Stream(r) => r(w),
        }
    }

    /// The contents' FNV-1a hash, and whether the file at `path` holds exactly them
    /// (false when there is none).
    pub fn digest(&self, path: &Path) -> io::Result<(u64, bool)> {
        let old = match File::open(path) {
            Ok(f) => Some(BufReader::with_capacity(64 * 1024, f)),
            Err(e) if e.kind() == ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let mut c = Compare {
            equal: old.is_some(),
            old,
            hash: FNV_OFFSET,
            buf: Vec::new(),
        };
        self.write_to(&mut c)?;
        let at_end = match &mut c.old {
            Some(r) => r.read(&mut [0u8; 1])? == 0,
            None => false,
        };
        Ok((c.hash, c.equal && at_end))
    }
}

/// A writer that hashes what it is given and compares it with a file's bytes.
struct Compare {
    old: Option<BufReader<File>>,
    equal: bool,
    hash: u64,
    buf: Vec<u8>,
}

impl Write for Compare {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.hash = fnv_step(self.hash, bytes);
        if self.equal {
            let old = self.old.as_mut().expect("equal only with a file");
            self.buf.resize(bytes.len(), 0);
            self.equal = match old.read_exact(&mut self.buf) {
                Ok(()) => self.buf == bytes,
                Err(e) if e.kind() == ErrorKind::UnexpectedEof => false,
                Err(e) => return Err(e),
            };
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// FNV-1a, [`fnv_step`] from its offset basis: tells a file the build step
/// wrote from one edited since. Not a defense against anyone, only against
/// accidents.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// What the build step needs to know of a file already on disk, read in pieces.
pub struct OnDisk {
    /// FNV-1a hash of its contents.
    pub hash: u64,
    /// It starts with go-asm's generated-code header.
    pub generated: bool,
}

impl OnDisk {
    pub fn read(path: &Path) -> io::Result<OnDisk> {
        let mut file = File::open(path)?;
        let header = HEADER_PREFIX.as_bytes();
        let mut head = Vec::with_capacity(header.len());
        let mut h = FNV_OFFSET;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let chunk = &buf[..n];
            h = fnv_step(h, chunk);
            let want = header.len() - head.len();
            head.extend_from_slice(&chunk[..want.min(n)]);
        }
        Ok(OnDisk {
            hash: h,
            generated: head == header,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // From the FNV reference (draft-eastlake-fnv): "" and "a".
        assert_eq!(fnv_step(FNV_OFFSET, b""), 0xcbf29ce484222325);
        assert_eq!(fnv_step(FNV_OFFSET, b"a"), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn a_stream_is_compared_with_the_file_and_hashed_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.s");
        let text = "DATA x+0(SB)/8, $0x1\n".repeat(10_000);
        std::fs::write(&path, &text).unwrap();
        let render = |extra: &'static str| {
            let text = text.clone();
            move |w: &mut dyn Write| {
                for line in text.lines() {
                    writeln!(w, "{line}")?;
                }
                w.write_all(extra.as_bytes())
            }
        };
        let (same, longer) = (render(""), render("x"));
        let bytes = Contents::Bytes(Cow::Borrowed(text.as_bytes()));
        let want = fnv_step(FNV_OFFSET, text.as_bytes());
        assert_eq!(bytes.digest(&path).unwrap(), (want, true));
        assert_eq!(Contents::Stream(&same).digest(&path).unwrap(), (want, true));
        let (h, equal) = Contents::Stream(&longer).digest(&path).unwrap();
        assert!(!equal && h != want);
        std::fs::write(&path, &text[..text.len() - 1]).unwrap();
        assert!(!Contents::Stream(&same).digest(&path).unwrap().1);
        assert!(!bytes.digest(&dir.path().join("none")).unwrap().1);
        assert!(!OnDisk::read(&path).unwrap().generated);
    }
}
