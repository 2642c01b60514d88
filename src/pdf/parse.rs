//! A strict PDF object parser (ISO 32000-2 §7.2–§7.3).
//!
//! Strict means: duplicate dictionary keys, unbalanced delimiters, integers
//! that overflow and nesting beyond the configured depth are errors, never
//! repaired. Every string remembers the span of its token.

use std::hash::BuildHasher as _;

use super::object::{Dict, LINEAR_KEYS, Object, PdfString, Ref};
use super::{Limit, PdfError};

/// Character classes (ISO 32000-2 §7.2.3): white space, delimiter, regular.
const WS: u8 = 1;
const DELIM: u8 = 2;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let ws = [0u8, b'\t', b'\n', 0x0c, b'\r', b' '];
    let mut i = 0;
    while i < ws.len() {
        t[ws[i] as usize] = WS;
        i += 1;
    }
    let delim = *b"()<>[]{}/%";
    let mut i = 0;
    while i < delim.len() {
        t[delim[i] as usize] = DELIM;
        i += 1;
    }
    t
};

/// Bytes that end the fast scan of a name: anything not regular, and the
/// `#` of an escape.
const NAME_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = CLASS[i] != 0 || i == b'#' as usize;
        i += 1;
    }
    t
};

/// How many bytes of a name run from `at`: to the first byte that is not
/// regular, or to the `#` of an escape.
#[inline(always)]
fn name_len(data: &[u8], at: usize) -> usize {
    let rest = data.get(at..).unwrap_or_default();
    rest.iter()
        .position(|&c| NAME_STOP[c as usize])
        .unwrap_or(rest.len())
}

pub(crate) fn is_ws(c: u8) -> bool {
    CLASS[c as usize] == WS
}

pub(crate) fn is_delim(c: u8) -> bool {
    CLASS[c as usize] == DELIM
}

pub(crate) fn is_regular(c: u8) -> bool {
    CLASS[c as usize] == 0
}

/// The value of a run of ASCII digits, negated when `negative`; `None`
/// outside i64.
fn digits_value(text: &[u8], negative: bool) -> Option<i64> {
    if text.len() <= 18 {
        // At most 18 digits cannot overflow.
        let v = text
            .iter()
            .fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0'));
        return Some(if negative { -v } else { v });
    }
    // Accumulated towards the sign, so that i64::MIN is representable.
    text.iter().try_fold(0i64, |acc, &c| {
        let d = i64::from(c - b'0');
        let v = acc.checked_mul(10)?;
        if negative {
            v.checked_sub(d)
        } else {
            v.checked_add(d)
        }
    })
}

/// `a == b` for the short byte strings of keys and keywords, compared in
/// line (a library call costs more than the comparison).
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The duplicate-key check of one dictionary as it is read: a search of
/// the keys so far while there are few, and beyond [`LINEAR_KEYS`] a set
/// of their hashes (randomly keyed, so a file cannot choose collisions),
/// so that reading a dictionary stays linear in its size.
#[derive(Default)]
struct KeyCheck(Option<(std::hash::RandomState, std::collections::HashSet<u64>)>);

impl KeyCheck {
    /// Whether `key` is one of `earlier`, the keys read before it in this
    /// dictionary. Called once per key, in order.
    fn repeats<'k>(
        &mut self,
        earlier: impl ExactSizeIterator<Item = &'k [u8]> + Clone,
        key: &[u8],
    ) -> bool {
        let mut search = earlier.clone();
        let mut search = || search.any(|k| same_bytes(k, key));
        if self.0.is_none() && earlier.len() < LINEAR_KEYS {
            return search();
        }
        let (state, set) = self.0.get_or_insert_with(|| {
            let state = std::hash::RandomState::new();
            let set = earlier.map(|k| state.hash_one(k)).collect();
            (state, set)
        });
        // A hash seen before is a repeat or (rarely) a collision.
        !set.insert(state.hash_one(key)) && search()
    }
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
    #[inline]
    pub(crate) fn at_keyword(&self, kw: &[u8]) -> bool {
        let Some(rest) = self.data.get(self.pos..) else {
            return false;
        };
        rest.get(..kw.len())
            .is_some_and(|head| same_bytes(head, kw))
            && rest.get(kw.len()).is_none_or(|&c| !is_regular(c))
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

    /// What every object starts with: the depth limit, white space, and
    /// the first byte of the object.
    fn object_start(&mut self, depth: usize) -> Result<u8, PdfError> {
        if depth > self.max_depth {
            return Err(PdfError::LimitExceeded {
                limit: Limit::NestingDepth,
                max: self.max_depth as u64,
            });
        }
        self.skip_ws();
        self.peek()
            .ok_or_else(|| self.err("unexpected end of data"))
    }

    fn parse_object_depth(&mut self, depth: usize) -> Result<Object, PdfError> {
        match self.object_start(depth)? {
            b'/' => Ok(Object::Name(self.parse_name()?)),
            b'(' => self.parse_string(false).map(Object::Str),
            b'<' => {
                if self.data.get(self.pos + 1) == Some(&b'<') {
                    self.parse_dict(depth).map(Object::Dict)
                } else {
                    self.parse_string(true).map(Object::Str)
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
        let mut check = KeyCheck::default();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'>') => {
                    if self.data.get(self.pos + 1) == Some(&b'>') {
                        self.pos += 2;
                        dict.index_if_large();
                        return Ok(dict);
                    }
                    return Err(self.err("expected >>"));
                }
                Some(b'/') => {
                    let key_pos = self.pos;
                    let key = self.parse_name()?;
                    let value = self.parse_object_depth(depth + 1)?;
                    if check.repeats(dict.keys(), &key) {
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
        let mut out = Vec::new();
        self.lex_name(Some(&mut out))?;
        Ok(out)
    }

    /// Lex a name token (decoding `#xx` escapes into `out` when given).
    /// Returns whether the name had an escape.
    /// [`Parser::lex_name`] without output: whether the name has escapes.
    #[inline(always)]
    fn skim_name(&mut self) -> Result<bool, PdfError> {
        let rest = self.data.get(self.pos + 1..).unwrap_or_default();
        let n = rest
            .iter()
            .position(|&c| NAME_STOP[c as usize])
            .unwrap_or(rest.len());
        if rest.get(n) == Some(&b'#') {
            return self.lex_name(None);
        }
        self.pos += 1 + n;
        Ok(false)
    }

    fn lex_name(&mut self, mut out: Option<&mut Vec<u8>>) -> Result<bool, PdfError> {
        self.pos += 1; // '/'
        let mut escaped = false;
        if out.is_none() {
            // Fast path: run to the end of the token unless an escape shows.
            let rest = self.data.get(self.pos..).unwrap_or_default();
            let n = rest
                .iter()
                .position(|&c| !is_regular(c) || c == b'#')
                .unwrap_or(rest.len());
            self.pos += n;
        }
        while let Some(c) = self.peek().filter(|&c| is_regular(c)) {
            if c == b'#' {
                let h = self
                    .data
                    .get(self.pos + 1..self.pos + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| self.err("bad #xx escape in name"))?;
                if let Some(o) = out.as_deref_mut() {
                    o.push(h);
                }
                escaped = true;
                self.pos += 3;
            } else {
                if let Some(o) = out.as_deref_mut() {
                    o.push(c);
                }
                self.pos += 1;
            }
        }
        Ok(escaped)
    }

    /// A literal or hexadecimal string token, decoded, with its span.
    fn parse_string(&mut self, hex: bool) -> Result<PdfString, PdfError> {
        let start = self.pos;
        let mut out = Vec::new();
        if hex {
            self.lex_hex_string(Some(&mut out))?;
        } else {
            self.lex_literal_string(Some(&mut out))?;
        }
        Ok(PdfString {
            bytes: out,
            hex,
            span: Some((start, self.pos)),
        })
    }

    /// Lex a literal string token, decoding it into `out` when given.
    fn lex_literal_string(&mut self, mut out: Option<&mut Vec<u8>>) -> Result<(), PdfError> {
        let start = self.pos;
        self.pos += 1;
        let mut push = |b: u8| {
            if let Some(o) = out.as_deref_mut() {
                o.push(b);
            }
        };
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
                    push(c);
                }
                b')' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                    push(c);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        b'n' => push(b'\n'),
                        b'r' => push(b'\r'),
                        b't' => push(b'\t'),
                        b'b' => push(8),
                        b'f' => push(12),
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
                            push((v & 0xff) as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => push(other),
                    }
                }
                b'\r' => {
                    // An end-of-line in a string reads as a single LF.
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    push(b'\n');
                }
                _ => push(c),
            }
        }
        Ok(())
    }

    /// Lex a hexadecimal string token, decoding it into `out` when given.
    fn lex_hex_string(&mut self, mut out: Option<&mut Vec<u8>>) -> Result<(), PdfError> {
        let start = self.pos;
        self.pos += 1;
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
                Some(h) => {
                    if let Some(o) = out.as_deref_mut() {
                        o.push(h << 4 | v);
                    }
                }
            }
        }
        if let (Some(h), Some(o)) = (hi, out) {
            o.push(h << 4);
        }
        Ok(())
    }

    fn parse_number_or_ref(&mut self) -> Result<Object, PdfError> {
        let start = self.pos;
        Ok(match self.lex_number_or_ref(true)? {
            Num::Int(v) => Object::Int(v),
            Num::Real(v) => Object::Real(
                v,
                self.data.get(start..self.pos).unwrap_or_default().to_vec(),
            ),
            Num::Ref(r) => Object::Ref(r),
        })
    }

    /// Lex a number, or `N G R` where N and G are unsigned integers.
    fn lex_number_or_ref(&mut self, real_value: bool) -> Result<Num, PdfError> {
        let start = self.pos;
        let first = self.lex_number(real_value)?;
        // Only an unsigned integer (no sign, no dot) can start a reference.
        let Num::Int(num) = first else {
            return Ok(first);
        };
        if !self.data.get(start).is_some_and(u8::is_ascii_digit) {
            return Ok(first);
        }
        let save = self.pos;
        self.skip_ws();
        // The generation: an integer token of digits only. Its value is
        // computed only once `R` follows, since most integers are not the
        // start of a reference.
        let gen_start = self.pos;
        let data = self.data;
        let mut i = gen_start;
        while data.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == gen_start || data.get(i).is_some_and(|&c| is_regular(c)) {
            self.pos = save;
            return Ok(first);
        }
        self.pos = i;
        self.skip_ws();
        if !self.at_keyword(b"R") {
            self.pos = save;
            return Ok(first);
        }
        // An integer beyond i64 is not a generation (it fails as a token of
        // its own after the first number).
        let Some(generation) = digits_value(data.get(gen_start..i).unwrap_or_default(), false)
        else {
            self.pos = save;
            return Ok(first);
        };
        self.pos += 1;
        let num = u32::try_from(num).map_err(|_| PdfError::Syntax {
            offset: start,
            what: "object number out of range",
        })?;
        let generation = u32::try_from(generation).map_err(|_| PdfError::Syntax {
            offset: start,
            what: "generation out of range",
        })?;
        Ok(Num::Ref(Ref { num, generation }))
    }

    /// Lex a number. An integer outside i64 is an error; a real's value is
    /// computed only when `real_value` is set, since a well-formed real
    /// always has one.
    fn lex_number(&mut self, real_value: bool) -> Result<Num, PdfError> {
        let data = self.data;
        let start = self.pos;
        let mut i = start;
        let negative = data.get(i) == Some(&b'-');
        if matches!(data.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let int_start = i;
        while data.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let int_end = i;
        let mut digits = int_end - int_start;
        let dot = data.get(i) == Some(&b'.');
        if dot {
            i += 1;
            let frac_start = i;
            while data.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            digits += i - frac_start;
        }
        if digits == 0 || data.get(i).is_some_and(|&c| is_regular(c)) {
            return Err(self.err("malformed number"));
        }
        self.pos = i;
        if dot {
            if !real_value {
                return Ok(Num::Real(0.0));
            }
            let text = data.get(start..i).unwrap_or_default();
            let v: f64 = std::str::from_utf8(text)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| self.err("malformed real"))?;
            return Ok(Num::Real(v));
        }
        digits_value(data.get(int_start..int_end).unwrap_or_default(), negative)
            .map(Num::Int)
            .ok_or(PdfError::Syntax {
                offset: start,
                what: "integer out of range",
            })
    }

    /// Check one object at the cursor exactly as [`Parser::parse_object`]
    /// would (the same tokens, limits and errors, duplicate keys included)
    /// without building it: the object numbers it refers to are appended to
    /// `refs`. Returns what a stream object needs of its dictionary.
    /// `keys` is scratch space that callers skimming many objects reuse.
    pub(crate) fn skim_object(
        &mut self,
        refs: &mut Vec<u32>,
        keys: &mut Vec<std::borrow::Cow<'a, [u8]>>,
    ) -> Result<Skimmed, PdfError> {
        if let Some(top) = self.skim_common(refs) {
            return Ok(top);
        }
        self.skim_exact(refs, keys)
    }

    /// [`Parser::skim_object`] by the grammar's own recursion: every token
    /// and every error of [`Parser::parse_object`].
    pub(crate) fn skim_exact(
        &mut self,
        refs: &mut Vec<u32>,
        keys: &mut Vec<std::borrow::Cow<'a, [u8]>>,
    ) -> Result<Skimmed, PdfError> {
        let mut top = Skimmed::default();
        keys.clear();
        self.skim_depth(0, refs, keys, Some(&mut top))?;
        Ok(top)
    }

    /// The fast path of [`Parser::skim_object`]: a dictionary or array of
    /// the common, well-formed tokens, read in one loop without recursion.
    /// It gives up (`None`, with the cursor and `refs` as they were) at
    /// anything else: an escape in a name, a comment after a number, an
    /// indirect `/Length`, a dictionary of more than [`LINEAR_KEYS`] keys,
    /// deep nesting, any error. [`Parser::skim_exact`] then decides, so
    /// what this returns is only ever what that would return.
    fn skim_common(&mut self, refs: &mut Vec<u32>) -> Option<Skimmed> {
        /// Nesting the fast path follows (deeper: the exact path).
        const LEVELS: usize = 16;
        /// Keys of the open dictionaries that it holds at once.
        const KEYS: usize = 32;
        let (start, refs_before) = (self.pos, refs.len());
        let out = self.skim_common_inner::<LEVELS, KEYS>(refs);
        if out.is_none() {
            self.pos = start;
            refs.truncate(refs_before);
        }
        out
    }

    #[inline(always)]
    fn skim_common_inner<const LEVELS: usize, const KEYS: usize>(
        &mut self,
        refs: &mut Vec<u32>,
    ) -> Option<Skimmed> {
        let data = self.data;
        let max_depth = self.max_depth.min(LEVELS);
        self.skip_ws();
        let mut i = self.pos;
        let mut top = Skimmed::default();
        // Open containers: bit d of `dicts` is set when level d (from 0) is
        // a dictionary; `base[d]` is where its keys start in `keys`.
        let mut dicts = 0u32;
        let mut base = [0u8; LEVELS];
        let mut keys = [(0u32, 0u32); KEYS];
        let mut nkeys = 0usize;
        let mut depth = 0usize;
        // In a dictionary: the next token is a key (or `>>`).
        let mut want_key = false;
        // The top dictionary's `/Length` is the value being read.
        let mut length_next = false;
        loop {
            // White space and comments, as `skip_ws`.
            loop {
                match data.get(i) {
                    Some(&c) if is_ws(c) => i += 1,
                    Some(b'%') => {
                        while data.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                            i += 1;
                        }
                    }
                    _ => break,
                }
            }
            let c = *data.get(i)?;
            let in_dict = depth > 0 && (dicts >> (depth - 1)) & 1 == 1;
            if in_dict && want_key {
                match c {
                    b'/' => {
                        let name = i + 1;
                        let n = name_len(data, name);
                        if data.get(name + n) == Some(&b'#') {
                            return None;
                        }
                        let key = data.get(name..name + n)?;
                        let from = usize::from(base[depth - 1]);
                        let earlier = keys.get(from..nkeys)?;
                        if earlier.len() >= LINEAR_KEYS || nkeys == KEYS {
                            return None;
                        }
                        let repeat = earlier.iter().any(|&(s, l)| {
                            data.get(s as usize..(s + l) as usize)
                                .is_some_and(|k| same_bytes(k, key))
                        });
                        if repeat {
                            return None;
                        }
                        keys[nkeys] = (u32::try_from(name).ok()?, u32::try_from(n).ok()?);
                        nkeys += 1;
                        length_next = depth == 1 && same_bytes(key, b"Length");
                        want_key = false;
                        i = name + n;
                        continue;
                    }
                    b'>' if data.get(i + 1) == Some(&b'>') => {
                        i += 2;
                    }
                    _ => return None,
                }
            } else if c == b']' && depth > 0 && !in_dict {
                i += 1;
            } else {
                // A value, at `depth`.
                if depth > max_depth || (length_next && !c.is_ascii_digit()) {
                    return None;
                }
                match c {
                    b'<' if data.get(i + 1) == Some(&b'<') => {
                        if depth == LEVELS {
                            return None;
                        }
                        top.dict |= depth == 0;
                        dicts |= 1 << depth;
                        base[depth] = u8::try_from(nkeys).ok()?;
                        depth += 1;
                        want_key = true;
                        i += 2;
                        continue;
                    }
                    b'[' => {
                        if depth == LEVELS {
                            return None;
                        }
                        dicts &= !(1 << depth);
                        depth += 1;
                        i += 1;
                        continue;
                    }
                    _ if depth == 0 => return None,
                    b'/' => {
                        let n = name_len(data, i + 1);
                        if data.get(i + 1 + n) == Some(&b'#') {
                            return None;
                        }
                        i += 1 + n;
                    }
                    b'0'..=b'9' => {
                        self.pos = i;
                        match self.plain_int_or_ref()? {
                            Some(num) => {
                                if length_next {
                                    return None;
                                }
                                refs.push(num);
                            }
                            None if length_next => {
                                let digits = data.get(i..self.pos)?;
                                if digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
                                    return None;
                                }
                                top.length = Some(Object::Int(digits_value(digits, false)?));
                                length_next = false;
                            }
                            None => {}
                        }
                        i = self.pos;
                    }
                    b'+' | b'-' | b'.' => {
                        // A number that cannot start a reference, as
                        // `lex_number` reads it.
                        let mut j = i + usize::from(c != b'.');
                        let int_start = j;
                        while data.get(j).is_some_and(u8::is_ascii_digit) {
                            j += 1;
                        }
                        let int_digits = j - int_start;
                        let mut digits = int_digits;
                        if data.get(j) == Some(&b'.') {
                            j += 1;
                            let frac = j;
                            while data.get(j).is_some_and(u8::is_ascii_digit) {
                                j += 1;
                            }
                            digits += j - frac;
                        } else if int_digits > 18 {
                            return None;
                        }
                        if digits == 0 || data.get(j).is_some_and(|&c| is_regular(c)) {
                            return None;
                        }
                        i = j;
                    }
                    b'(' => {
                        let mut level = 1usize;
                        i += 1;
                        while level > 0 {
                            match *data.get(i)? {
                                b'(' => level += 1,
                                b')' => level -= 1,
                                b'\\' => i += 1,
                                _ => {}
                            }
                            i += 1;
                        }
                    }
                    b'<' => {
                        i += 1;
                        loop {
                            match *data.get(i)? {
                                b'>' => break,
                                c if c.is_ascii_hexdigit() || is_ws(c) => i += 1,
                                _ => return None,
                            }
                        }
                        i += 1;
                    }
                    b't' | b'f' | b'n' => {
                        let kw: &[u8] = match c {
                            b't' => b"true",
                            b'f' => b"false",
                            _ => b"null",
                        };
                        let rest = data.get(i..)?;
                        if !rest.starts_with(kw)
                            || rest.get(kw.len()).is_some_and(|&c| is_regular(c))
                        {
                            return None;
                        }
                        i += kw.len();
                    }
                    _ => return None,
                }
                want_key = true;
                continue;
            }
            // A container closed.
            depth -= 1;
            if (dicts >> depth) & 1 == 1 {
                nkeys = usize::from(base[depth]);
            }
            if depth == 0 {
                self.pos = i;
                return Some(top);
            }
            want_key = true;
        }
    }

    /// `keys` is a stack of the keys of the dictionaries being skimmed
    /// (one buffer for the whole object instead of one per dictionary).
    fn skim_depth(
        &mut self,
        depth: usize,
        refs: &mut Vec<u32>,
        keys: &mut Vec<std::borrow::Cow<'a, [u8]>>,
        top: Option<&mut Skimmed>,
    ) -> Result<(), PdfError> {
        match self.object_start(depth)? {
            b'/' => self.lex_name(None).map(|_| ()),
            b'(' => self.lex_literal_string(None),
            b'<' => {
                if self.data.get(self.pos + 1) == Some(&b'<') {
                    self.skim_dict(depth, refs, keys, top)
                } else {
                    self.lex_hex_string(None)
                }
            }
            b'[' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        None => return Err(self.err("unterminated array")),
                        Some(c) => self.skim_value(c, depth + 1, refs, keys)?,
                    }
                }
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => {
                if let Num::Ref(r) = self.lex_number_or_ref(false)? {
                    refs.push(r.num);
                }
                Ok(())
            }
            _ => {
                if self.at_keyword(b"true") || self.at_keyword(b"null") {
                    self.pos += 4;
                    Ok(())
                } else if self.at_keyword(b"false") {
                    self.pos += 5;
                    Ok(())
                } else {
                    Err(self.err("unexpected token"))
                }
            }
        }
    }

    /// A value inside a container, whose first byte `c` is at the cursor
    /// (after white space): names and numbers, the most frequent values,
    /// here, the rest through [`Parser::skim_depth`].
    #[inline(always)]
    fn skim_value(
        &mut self,
        c: u8,
        depth: usize,
        refs: &mut Vec<u32>,
        keys: &mut Vec<std::borrow::Cow<'a, [u8]>>,
    ) -> Result<(), PdfError> {
        if depth <= self.max_depth {
            match c {
                b'/' => return self.skim_name().map(|_| ()),
                b'0'..=b'9' => {
                    if let Some(r) = self.plain_int_or_ref() {
                        if let Some(num) = r {
                            refs.push(num);
                        }
                        return Ok(());
                    }
                    if let Num::Ref(r) = self.lex_number_or_ref(false)? {
                        refs.push(r.num);
                    }
                    return Ok(());
                }
                b'+' | b'-' | b'.' => {
                    if let Num::Ref(r) = self.lex_number_or_ref(false)? {
                        refs.push(r.num);
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        self.skim_depth(depth, refs, keys, None)
    }

    /// The common shapes of [`Parser::lex_number_or_ref`] at a digit, in
    /// line: a short unsigned integer or real, or `N G R` with short numbers
    /// and plain white space between. `Some(Some(num))` for a reference,
    /// `Some(None)` for a number; `None` (the cursor unmoved) for anything
    /// else, which the general lexer decides.
    #[inline(always)]
    fn plain_int_or_ref(&mut self) -> Option<Option<u32>> {
        let data = self.data;
        let digit = |i: usize| data.get(i).is_some_and(u8::is_ascii_digit);
        let regular = |i: usize| data.get(i).is_some_and(|&c| is_regular(c));
        let start = self.pos;
        let mut i = start;
        while digit(i) {
            i += 1;
        }
        // Nine digits always fit an object number.
        if i - start > 9 {
            return None;
        }
        if data.get(i) == Some(&b'.') {
            // A real (`5.`, `5.25`): never part of a reference.
            i += 1;
            while digit(i) {
                i += 1;
            }
            if regular(i) {
                return None;
            }
            self.pos = i;
            return Some(None);
        }
        if regular(i) {
            return None;
        }
        let num_end = i;
        while data.get(i).is_some_and(|&c| is_ws(c)) {
            i += 1;
        }
        let gen_start = i;
        while digit(i) {
            i += 1;
        }
        let plain_int = Some(None);
        if i == gen_start {
            // Not followed by an integer: a comment might hide one.
            if data.get(i) == Some(&b'%') {
                return None;
            }
            self.pos = num_end;
            return plain_int;
        }
        if i - gen_start > 9 {
            return None;
        }
        if regular(i) {
            self.pos = num_end;
            return plain_int;
        }
        while data.get(i).is_some_and(|&c| is_ws(c)) {
            i += 1;
        }
        match data.get(i) {
            Some(b'R') if !regular(i + 1) => {
                let num = data
                    .get(start..num_end)?
                    .iter()
                    .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'));
                self.pos = i + 1;
                Some(Some(num))
            }
            Some(b'%') => None,
            _ => {
                self.pos = num_end;
                plain_int
            }
        }
    }

    fn skim_dict(
        &mut self,
        depth: usize,
        refs: &mut Vec<u32>,
        keys: &mut Vec<std::borrow::Cow<'a, [u8]>>,
        mut top: Option<&mut Skimmed>,
    ) -> Result<(), PdfError> {
        let start = self.pos;
        self.pos += 2; // <<
        if let Some(t) = top.as_deref_mut() {
            t.dict = true;
        }
        // This dictionary's keys are `keys[base..]`: as written, decoded
        // only when a name has an escape.
        let base = keys.len();
        let mut check = KeyCheck::default();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'>') => {
                    if self.data.get(self.pos + 1) == Some(&b'>') {
                        self.pos += 2;
                        keys.truncate(base);
                        return Ok(());
                    }
                    return Err(self.err("expected >>"));
                }
                Some(b'/') => {
                    let key_pos = self.pos;
                    let data = self.data;
                    let key = if self.skim_name()? {
                        self.pos = key_pos;
                        std::borrow::Cow::Owned(self.parse_name()?)
                    } else {
                        std::borrow::Cow::Borrowed(
                            data.get(key_pos + 1..self.pos).unwrap_or_default(),
                        )
                    };
                    let value_at = self.pos;
                    self.skip_ws();
                    match self.peek() {
                        Some(c) => self.skim_value(c, depth + 1, refs, keys)?,
                        None => self.skim_depth(depth + 1, refs, keys, None)?,
                    }
                    let earlier = keys.get(base..).unwrap_or_default();
                    if check.repeats(earlier.iter().map(|k| k.as_ref()), &key) {
                        return Err(PdfError::DuplicateKey {
                            key: String::from_utf8_lossy(&key).into_owned(),
                            offset: key_pos,
                        });
                    }
                    if let Some(t) = top.as_deref_mut()
                        && same_bytes(&key, b"Length")
                    {
                        let text = data.get(value_at..self.pos).unwrap_or_default();
                        let digits = text.trim_ascii_start();
                        let plain = !digits.is_empty()
                            && digits.len() <= 18
                            && digits.iter().all(u8::is_ascii_digit);
                        t.length = Some(if plain {
                            // The common case, read again without the lexer.
                            Object::Int(digits_value(digits, false).unwrap_or_default())
                        } else {
                            let mut q = Parser::new(data, value_at, 0);
                            q.skip_ws();
                            match q.lex_number_or_ref(false) {
                                Ok(Num::Int(v)) => Object::Int(v),
                                Ok(Num::Ref(r)) => Object::Ref(r),
                                _ => Object::Null,
                            }
                        });
                    }
                    keys.push(key);
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
}

/// Check that [`Parser::skim_object`] and [`Parser::parse_object`] agree on
/// the object at the start of `data`: the same error, or the same end, the
/// same references in the same order and the same `/Length`; and that the
/// exact path alone ([`Parser::skim_exact`], which the fast path falls back
/// to) agrees as well. The fuzz target `parse_object` and the unit tests
/// hold the modes to this.
pub(crate) fn skim_matches_parse(data: &[u8], max_depth: usize) -> Result<(), String> {
    let mut full = Parser::new(data, 0, max_depth);
    let parsed = full.parse_object();
    for exact in [false, true] {
        let mut skim = Parser::new(data, 0, max_depth);
        let mut refs = Vec::new();
        let skimmed = if exact {
            skim.skim_exact(&mut refs, &mut Vec::new())
        } else {
            skim.skim_object(&mut refs, &mut Vec::new())
        };
        let mode = if exact { "exact skim" } else { "skim" };
        match (&parsed, skimmed) {
            (Err(a), Err(b)) if format!("{a:?}") == format!("{b:?}") => {}
            (Ok(value), Ok(top)) => {
                let mut want = Vec::new();
                collect_refs(value, &mut want);
                let length = value.as_dict().map(|d| match d.get(b"Length") {
                    None => None,
                    Some(Object::Int(n)) => Some(Object::Int(*n)),
                    Some(Object::Ref(r)) => Some(Object::Ref(*r)),
                    Some(_) => Some(Object::Null),
                });
                if full.pos != skim.pos {
                    return Err(format!("end {} parsed, {} by {mode}", full.pos, skim.pos));
                } else if want != refs {
                    return Err(format!("references {want:?} parsed, {refs:?} by {mode}"));
                } else if top.dict != value.as_dict().is_some()
                    || (top.dict && length != Some(top.length.clone()))
                {
                    return Err(format!("dictionary/Length differ ({mode}): {top:?}"));
                }
            }
            (a, b) => return Err(format!("parsed {a:?}, {mode}: {b:?}")),
        }
    }
    Ok(())
}

fn collect_refs(o: &Object, out: &mut Vec<u32>) {
    match o {
        Object::Ref(r) => out.push(r.num),
        Object::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        Object::Dict(d) => d.iter().for_each(|(_, v)| collect_refs(v, out)),
        _ => {}
    }
}

/// A lexed number or reference.
enum Num {
    Int(i64),
    Real(f64),
    Ref(Ref),
}

/// What [`Parser::skim_object`] keeps of the object it checked.
#[derive(Debug, Default)]
pub(crate) struct Skimmed {
    /// The object is a dictionary.
    pub dict: bool,
    /// Its `/Length` when that is an integer or a reference (otherwise
    /// `Null`); `None` when it has no `/Length`.
    pub length: Option<Object>,
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

    /// Beyond 16 keys the check is by hash: a repeat is found wherever it
    /// is, spelled with an escape or not, by parse and skim alike, and the
    /// keys stay found by lookup.
    #[test]
    fn large_dictionaries_find_repeats_and_keys() {
        let keys: String = (0..3000).map(|i| format!("/K{i} {i} ")).collect();
        let plain = format!("<<{keys}>>");
        let d = parse(plain.as_bytes()).unwrap();
        let d = d.as_dict().unwrap();
        assert_eq!(d.len(), 3000);
        for i in [0, 15, 16, 17, 2999] {
            assert_eq!(d.int(format!("K{i}").as_bytes()), Some(i));
        }
        assert_eq!(d.get(b"K3000"), None);
        skim_matches_parse(plain.as_bytes(), 8).unwrap();
        for (repeat, at) in [("/K0", 3000), ("/K#30", 3000), ("/K2999", 17), ("/K16", 16)] {
            // `repeat` inserted as the `at`-th key.
            let mut text = String::from("<<");
            for i in 0..3000 {
                if i == at {
                    text.push_str(&format!("{repeat} 1 "));
                }
                text.push_str(&format!("/K{i} {i} "));
            }
            if at == 3000 {
                text.push_str(&format!("{repeat} 1 "));
            }
            text.push_str(">>");
            let got = parse(text.as_bytes());
            assert!(
                matches!(&got, Err(PdfError::DuplicateKey { .. })),
                "{repeat} at {at}: {got:?}"
            );
            skim_matches_parse(text.as_bytes(), 8).unwrap();
        }
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

    /// The fast path takes the shapes real files are made of (so the audit
    /// pass is not silently on the exact path) and gives up on the rest.
    #[test]
    fn fast_skim_takes_common_objects_and_leaves_the_rest() {
        let fast = |s: &[u8], depth: usize| {
            let mut refs = Vec::new();
            let mut p = Parser::new(s, 0, depth);
            let got = p.skim_common(&mut refs);
            (got.map(|t| (t.dict, t.length, p.pos)), refs)
        };
        let page = b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 841.9] /Contents 5 0 R /Resources <</Font <</F1 3 0 R>>>>>> endobj";
        let (got, refs) = fast(page, 64);
        assert_eq!(got, Some((true, None, page.len() - 7)));
        assert_eq!(refs, [2, 5, 3]);
        let (got, _) = fast(b"<</Length 52 /Filter /FlateDecode>>", 64);
        assert_eq!(got, Some((true, Some(Object::Int(52)), 35)));
        let (got, refs) = fast(b"[1 0 R (a\\)b) <41> -2 .5 true null]", 64);
        assert_eq!(got.map(|g| g.0), Some(false));
        assert_eq!(refs, [1]);
        for other in [
            &b"<</Length 5 0 R>>"[..],
            b"<</A#20B 1>>",
            b"<</A 1 %c\n 0 R>>",
            b"<</A 1 /A 2>>",
            b"12",
            b"(string)",
            b"<</A 1",
        ] {
            let (got, refs) = fast(other, 64);
            assert!(
                got.is_none() && refs.is_empty(),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
        // Deeper than the limit: the exact path reports the limit.
        assert!(fast(b"[[[1]]]", 2).0.is_none());
        assert!(fast(b"[[[1]]]", 3).0.is_some());
    }

    #[test]
    fn skim_agrees_with_parse_on_samples() {
        for sample in [
            &b"<</A [1 2 0 R 3.50 (x\\)y) <41 4>] /B<</C null>> /D -7>>"[..],
            b"<</Length 12 0 R /Filter /FlateDecode>>",
            b"<</Len#67th 5>>",
            b"<</A 1 /A#20 2 /A 3>>",
            b"<</A#41 1 /AA 2>>",
            b"[1 0 R 2 R 3 0 0 R +4 0 R 5 -0 R 4294967296 0 R 1 4294967296 R]",
            b"[99999999999999999999]",
            b"[-9223372036854775808 9223372036854775807 -9223372036854775809]",
            b"[1.2.3]",
            b"[123456789 0 R 1234567890 0 R 1 123456789 R 1 1234567890 R 4294967295 0 R]",
            b"[1 0 Rx 1 0 R/A 1 0R 1 0 %c\nR 1 %c\n0 R 1 0 R]",
            b"[1 0.5 R 1 05 R 01 0 R 1 0 R(x) 1 0 R<41>]",
            b"1 0 R",
            b"1 0",
            b"1 0 ",
            b"12",
            b"[1 0 R",
            b"[.5 -.5 +.5 5. 1 %c\n 0 %d\r R]",
            b"(unterminated",
            b"<</A>>",
            b"/Name#2",
            b"<0g>",
            b"[[[[[[[[[[[[1]]]]]]]]]]]]",
            b"<</Length -3>>",
            b"<</Length 3.0>>",
            b"<</Length 0012 /A 1>>",
            b"<</Length\x00 5>>",
            b"<</Length %c\n 5>>",
            b"<</Length 123456789012345678>>",
            b"<</Length 1234567890123456789>>",
            b"<</Length 99999999999999999999>>",
            b"<</Length 5 0 R>>",
            b"<</Length +5>>",
            b"truefalse",
            b"",
            // Shapes the fast path reads, and its edges.
            b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595.303937007874 841.889764] /Contents 5 0 R /Resources <</Font <</F1 3 0 R>>>>>>",
            b"<</A (a (nested) \\) \\( str\\\\) /B <41 42\n43> /C [true false null] /D -1.5 /E +.5 /F .5>>",
            b"<</A (unbalanced) )>>",
            b"<</A (ends in an escape\\",
            b"<</A <4g>>>",
            b"<</A /B#20C>>",
            b"<</A#20B 1>>",
            b"<</A 1 %comment\n 0 R /B 2>>",
            b"<</A 1 0 %comment\n R>>",
            b"<</A [1 0 R 2 0 R] /A 3>>",
            b"<</A 1 /B 2 /C 3 /D 4 /E 5 /F 6 /G 7 /H 8 /I 9 /J 10 /K 11 /L 12 /M 13 /N 14 /O 15 /P 16 /Q 17>>",
            b"<</A 1 /B 2 /C 3 /D 4 /E 5 /F 6 /G 7 /H 8 /I 9 /J 10 /K 11 /L 12 /M 13 /N 14 /O 15 /A 16>>",
            b"<</Length 52>>",
            b"<</Length 52 0 R>>",
            b"<</Length 5.5>>",
            b"<</Length [5]>>",
            b"<</Sub <</Length 5 0 R>> /Length 7>>",
            b"[<</Length 3>>]",
            b"<</A tru>>",
            b"<</A nullx>>",
            b"<</A 1-2>>",
            b"<</A -->>",
            b"<</A 12345678901234567890>>",
            b"<</A -12345678901234567890>>",
            b"<</A 1>> trailing",
            b"<</A]>>",
            b"[/A>>]",
            b"<<>>",
            b"[]",
            b"<<",
            b"[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]",
            b"   \r\n<</A 1>>",
            b"%c\n<</A 1>>",
        ] {
            if let Err(e) = skim_matches_parse(sample, 8) {
                panic!("{}: {e}", String::from_utf8_lossy(sample));
            }
        }
    }

    /// PDF object text: valid objects built recursively, with white space
    /// and comments between tokens and, sometimes, duplicate keys.
    fn object_text() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let ws = prop::sample::select(vec![&b" "[..], b"\n", b"\r\n", b" %c\n", b"\t", b"\x00"]);
        let leaf = prop_oneof![
            any::<i64>().prop_map(|v| v.to_string().into_bytes()),
            (0u32..50, 0u32..3).prop_map(|(n, g)| format!("{n} {g} R").into_bytes()),
            (any::<u64>(), any::<u64>(), 0u32..20).prop_map(|(n, g, shift)| {
                format!("{} {} R", n >> shift, g >> (shift * 3).min(63)).into_bytes()
            }),
            (0u32..50, 0u32..3, ws.clone()).prop_map(|(n, g, w)| {
                let mut t = n.to_string().into_bytes();
                t.extend_from_slice(w);
                t.extend_from_slice(format!("{g}").as_bytes());
                t.extend_from_slice(w);
                t.push(b'R');
                t
            }),
            (-1000i32..1000, 0u32..1000).prop_map(|(i, f)| format!("{i}.{f}").into_bytes()),
            prop::sample::select(vec![
                &b"/Length"[..],
                b"/A",
                b"/A#41",
                b"/Type",
                b"true",
                b"false",
                b"null",
                b"(a(b)\\)c)",
                b"<41 42 4>",
                b"()",
                b"<>",
                b".5",
                b"-.5",
                b"+3",
            ])
            .prop_map(<[u8]>::to_vec),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            let ws = ws.clone();
            prop_oneof![
                (prop::collection::vec(inner.clone(), 0..6), ws.clone()).prop_map(|(items, w)| {
                    let mut t = b"[".to_vec();
                    for i in items {
                        t.extend_from_slice(&i);
                        t.extend_from_slice(w);
                    }
                    t.push(b']');
                    t
                }),
                (
                    prop::collection::vec(
                        (
                            prop::sample::select(vec![
                                &b"/Length"[..],
                                b"/A",
                                b"/A#41",
                                b"/B",
                                b"/Len#67th"
                            ]),
                            inner,
                        ),
                        0..5,
                    ),
                    ws,
                )
                    .prop_map(|(entries, w)| {
                        let mut t = b"<<".to_vec();
                        for (k, v) in entries {
                            t.extend_from_slice(k);
                            t.extend_from_slice(w);
                            t.extend_from_slice(&v);
                            t.extend_from_slice(w);
                        }
                        t.extend_from_slice(b">>");
                        t
                    }),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// Any generated object, whole, cut short or with one byte changed:
        /// the two modes agree (on the error, or on end, references and
        /// /Length).
        #[test]
        fn skim_agrees_with_parse(
            text in object_text(),
            cut in proptest::prelude::any::<proptest::sample::Index>(),
            flip in proptest::option::of((proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>())),
        ) {
            if let Err(e) = skim_matches_parse(&text, 6) {
                proptest::prop_assert!(false, "{}: {}", String::from_utf8_lossy(&text), e);
            }
            let short = &text[..cut.index(text.len() + 1)];
            if let Err(e) = skim_matches_parse(short, 6) {
                proptest::prop_assert!(false, "{}: {}", String::from_utf8_lossy(short), e);
            }
            if let Some((at, byte)) = flip {
                let mut changed = text.clone();
                if !changed.is_empty() {
                    let i = at.index(changed.len());
                    changed[i] = byte;
                }
                if let Err(e) = skim_matches_parse(&changed, 6) {
                    proptest::prop_assert!(false, "{}: {}", String::from_utf8_lossy(&changed), e);
                }
            }
        }
    }

    #[test]
    fn names_decode_escapes() {
        assert_eq!(parse(b"/A#20B").unwrap(), Object::Name(b"A B".to_vec()));
    }
}
