//! A strict PDF object parser (ISO 32000-2 §7.2–§7.3).
//!
//! Strict means: duplicate dictionary keys, unbalanced delimiters, integers
//! that overflow and nesting beyond the configured depth are errors, never
//! repaired. Every string remembers the span of its token.

use super::object::{Dict, Object, PdfString, Ref};
use super::{Limit, PdfError};

pub(crate) fn is_ws(c: u8) -> bool {
    matches!(c, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

pub(crate) fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(c: u8) -> bool {
    !is_ws(c) && !is_delim(c)
}

/// A cursor over a byte buffer.
pub(crate) struct Parser<'a> {
    pub data: &'a [u8],
    pub pos: usize,
    max_depth: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(data: &'a [u8], pos: usize, max_depth: usize) -> Self {
        Parser {
            data,
            pos,
            max_depth,
        }
    }

    fn err(&self, what: &'static str) -> PdfError {
        PdfError::Syntax {
            offset: self.pos,
            what,
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Skip white space and comments.
    pub(crate) fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if is_ws(c) {
                self.pos += 1;
            } else if c == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Whether the next token is exactly the keyword `kw`.
    pub(crate) fn at_keyword(&self, kw: &[u8]) -> bool {
        let Some(rest) = self.data.get(self.pos..) else {
            return false;
        };
        rest.starts_with(kw) && rest.get(kw.len()).is_none_or(|&c| !is_regular(c))
    }

    /// Consume the keyword `kw` (after white space) or fail.
    pub(crate) fn expect_keyword(
        &mut self,
        kw: &'static [u8],
        what: &'static str,
    ) -> Result<(), PdfError> {
        self.skip_ws();
        if self.at_keyword(kw) {
            self.pos += kw.len();
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    /// Read an unsigned integer token.
    pub(crate) fn read_uint(&mut self) -> Result<u64, PdfError> {
        self.skip_ws();
        let start = self.pos;
        let mut v: u64 = 0;
        while let Some(c) = self.peek().filter(u8::is_ascii_digit) {
            v = v
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(c - b'0')))
                .ok_or_else(|| self.err("integer too large"))?;
            self.pos += 1;
        }
        if self.pos == start || self.peek().is_some_and(is_regular) {
            self.pos = start;
            return Err(self.err("expected an unsigned integer"));
        }
        Ok(v)
    }

    /// Parse one object at the cursor.
    pub(crate) fn parse_object(&mut self) -> Result<Object, PdfError> {
        self.parse_object_depth(0)
    }

    fn parse_object_depth(&mut self, depth: usize) -> Result<Object, PdfError> {
        if depth > self.max_depth {
            return Err(PdfError::LimitExceeded {
                limit: Limit::NestingDepth,
                max: self.max_depth as u64,
            });
        }
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(self.err("unexpected end of data"));
        };
        match c {
            b'/' => Ok(Object::Name(self.parse_name()?)),
            b'(' => self.parse_literal_string().map(Object::Str),
            b'<' => {
                if self.data.get(self.pos + 1) == Some(&b'<') {
                    self.parse_dict(depth).map(Object::Dict)
                } else {
                    self.parse_hex_string().map(Object::Str)
                }
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        None => return Err(self.err("unterminated array")),
                        _ => items.push(self.parse_object_depth(depth + 1)?),
                    }
                }
                Ok(Object::Array(items))
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.parse_number_or_ref(),
            _ => {
                if self.at_keyword(b"true") {
                    self.pos += 4;
                    Ok(Object::Bool(true))
                } else if self.at_keyword(b"false") {
                    self.pos += 5;
                    Ok(Object::Bool(false))
                } else if self.at_keyword(b"null") {
                    self.pos += 4;
                    Ok(Object::Null)
                } else {
                    Err(self.err("unexpected token"))
                }
            }
        }
    }

    pub(crate) fn parse_dict(&mut self, depth: usize) -> Result<Dict, PdfError> {
        let start = self.pos;
        self.pos += 2; // <<
        let mut dict = Dict::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'>') => {
                    if self.data.get(self.pos + 1) == Some(&b'>') {
                        self.pos += 2;
                        return Ok(dict);
                    }
                    return Err(self.err("expected >>"));
                }
                Some(b'/') => {
                    let key_pos = self.pos;
                    let key = self.parse_name()?;
                    let value = self.parse_object_depth(depth + 1)?;
                    if dict.contains(&key) {
                        return Err(PdfError::DuplicateKey {
                            key: String::from_utf8_lossy(&key).into_owned(),
                            offset: key_pos,
                        });
                    }
                    dict.push_unchecked(key, value);
                }
                None => {
                    return Err(PdfError::Syntax {
                        offset: start,
                        what: "unterminated dictionary",
                    });
                }
                _ => return Err(self.err("dictionary key must be a name")),
            }
        }
    }

    fn parse_name(&mut self) -> Result<Vec<u8>, PdfError> {
        self.pos += 1; // '/'
        let mut out = Vec::new();
        while let Some(c) = self.peek().filter(|&c| is_regular(c)) {
            if c == b'#' {
                let h = self
                    .data
                    .get(self.pos + 1..self.pos + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| self.err("bad #xx escape in name"))?;
                out.push(h);
                self.pos += 3;
            } else {
                out.push(c);
                self.pos += 1;
            }
        }
        Ok(out)
    }

    fn parse_literal_string(&mut self) -> Result<PdfString, PdfError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        let mut level = 1usize;
        loop {
            let Some(c) = self.peek() else {
                return Err(PdfError::Syntax {
                    offset: start,
                    what: "unterminated string",
                });
            };
            self.pos += 1;
            match c {
                b'(' => {
                    level += 1;
                    out.push(c);
                }
                b')' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                b'\r' => {
                    // An end-of-line in a string reads as a single LF.
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(c),
            }
        }
        Ok(PdfString {
            bytes: out,
            hex: false,
            span: Some((start, self.pos)),
        })
    }

    fn parse_hex_string(&mut self) -> Result<PdfString, PdfError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        loop {
            let Some(c) = self.peek() else {
                return Err(PdfError::Syntax {
                    offset: start,
                    what: "unterminated hex string",
                });
            };
            self.pos += 1;
            let v = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                c if is_ws(c) => continue,
                _ => return Err(self.err("bad character in hex string")),
            };
            match hi.take() {
                None => hi = Some(v),
                Some(h) => out.push(h << 4 | v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        Ok(PdfString {
            bytes: out,
            hex: true,
            span: Some((start, self.pos)),
        })
    }

    fn parse_number_or_ref(&mut self) -> Result<Object, PdfError> {
        let start = self.pos;
        let first = self.parse_number()?;
        // `N G R` where N and G are unsigned integers.
        if let Object::Int(num) = first {
            let digits_only = self
                .data
                .get(start..self.pos)
                .is_some_and(|t| t.iter().all(u8::is_ascii_digit));
            if digits_only {
                let save = self.pos;
                self.skip_ws();
                let gen_start = self.pos;
                if self.peek().is_some_and(|c| c.is_ascii_digit())
                    && let Ok(Object::Int(generation)) = self.parse_number()
                {
                    let gen_digits = self
                        .data
                        .get(gen_start..self.pos)
                        .is_some_and(|t| t.iter().all(u8::is_ascii_digit));
                    self.skip_ws();
                    if gen_digits && self.at_keyword(b"R") {
                        self.pos += 1;
                        let num = u32::try_from(num).map_err(|_| PdfError::Syntax {
                            offset: start,
                            what: "object number out of range",
                        })?;
                        let generation =
                            u32::try_from(generation).map_err(|_| PdfError::Syntax {
                                offset: start,
                                what: "generation out of range",
                            })?;
                        return Ok(Object::Ref(Ref { num, generation }));
                    }
                }
                self.pos = save;
            }
        }
        Ok(first)
    }

    fn parse_number(&mut self) -> Result<Object, PdfError> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let mut dot = false;
        let mut digits = 0usize;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() {
                digits += 1;
            } else if c == b'.' && !dot {
                dot = true;
            } else {
                break;
            }
            self.pos += 1;
        }
        if digits == 0 || self.peek().is_some_and(is_regular) {
            self.pos = start;
            return Err(self.err("malformed number"));
        }
        let text = self.data.get(start..self.pos).unwrap_or_default();
        let s = std::str::from_utf8(text).map_err(|_| self.err("malformed number"))?;
        if dot {
            let v: f64 = s.parse().map_err(|_| self.err("malformed real"))?;
            Ok(Object::Real(v, text.to_vec()))
        } else {
            let v: i64 = s.parse().map_err(|_| PdfError::Syntax {
                offset: start,
                what: "integer out of range",
            })?;
            Ok(Object::Int(v))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &[u8]) -> Result<Object, PdfError> {
        Parser::new(s, 0, 64).parse_object()
    }

    #[test]
    fn parses_nested_structures_and_refs() {
        let o = parse(b"<</A [1 2 0 R 3.50 (x\\)y) <41 4>] /B<</C null>> /D -7>>").unwrap();
        let d = o.as_dict().unwrap();
        let a = d.get(b"A").unwrap().as_array().unwrap();
        assert_eq!(a[0], Object::Int(1));
        assert_eq!(
            a[1],
            Object::Ref(Ref {
                num: 2,
                generation: 0
            })
        );
        assert!(matches!(&a[2], Object::Real(v, t) if *v == 3.5 && t == b"3.50"));
        assert_eq!(a[3].as_str().unwrap().bytes, b"x)y");
        let h = a[4].as_str().unwrap();
        assert_eq!(h.bytes, b"A@");
        assert_eq!(h.span, Some((26, 32)));
        assert_eq!(d.int(b"D"), Some(-7));
    }

    #[test]
    fn rejects_duplicate_keys() {
        assert!(matches!(
            parse(b"<</A 1 /A 2>>"),
            Err(PdfError::DuplicateKey { .. })
        ));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(PdfError::LimitExceeded { .. })
        ));
    }

    #[test]
    fn integer_overflow_is_an_error() {
        assert!(parse(b"99999999999999999999999").is_err());
        assert!(parse(b"1-2").is_err());
    }

    #[test]
    fn names_decode_escapes() {
        assert_eq!(parse(b"/A#20B").unwrap(), Object::Name(b"A B".to_vec()));
    }
}
