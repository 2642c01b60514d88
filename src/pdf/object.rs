//! PDF objects (ISO 32000-2 §7.3) as this crate sees them.
//!
//! The model keeps what a faithful incremental writer needs: real numbers keep
//! their original text so that an object we copy into an update prints its
//! numbers exactly as the producer wrote them, and strings remember where their
//! token stood in the file so that the verifier can check that the `/Contents`
//! gap of a signature is exactly that token.

use std::fmt::Write as _;

/// A parsed PDF object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Object {
    Null,
    Bool(bool),
    Int(i64),
    /// A real number: its value and the exact text it was written with.
    Real(f64, Vec<u8>),
    Str(PdfString),
    Name(Vec<u8>),
    Array(Vec<Object>),
    Dict(Dict),
    Ref(Ref),
}

/// An indirect reference `N G R`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Ref {
    pub num: u32,
    pub generation: u32,
}

/// A string object, literal `( … )` or hexadecimal `< … >`.
#[derive(Debug, Clone)]
pub(crate) struct PdfString {
    pub bytes: Vec<u8>,
    pub hex: bool,
    /// Byte offsets of the whole token (delimiters included) in the buffer it
    /// was parsed from, when it was parsed from one.
    pub span: Option<(usize, usize)>,
}

impl PartialEq for PdfString {
    fn eq(&self, other: &Self) -> bool {
        // Two strings are the same value whatever their notation.
        self.bytes == other.bytes
    }
}

impl PdfString {
    pub(crate) fn literal(bytes: impl Into<Vec<u8>>) -> Self {
        PdfString {
            bytes: bytes.into(),
            hex: false,
            span: None,
        }
    }
    pub(crate) fn hex(bytes: impl Into<Vec<u8>>) -> Self {
        PdfString {
            bytes: bytes.into(),
            hex: true,
            span: None,
        }
    }
    /// A text string (ISO 32000-2 §7.9.2.2): PDFDocEncoding when the text is
    /// ASCII, UTF-16BE with a byte order mark otherwise.
    pub(crate) fn text(s: &str) -> Self {
        if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            Self::literal(s.as_bytes().to_vec())
        } else {
            let mut v = vec![0xfe, 0xff];
            for u in s.encode_utf16() {
                v.extend_from_slice(&u.to_be_bytes());
            }
            Self::hex(v)
        }
    }
    /// Decode a text string to Rust text (UTF-16BE with BOM, UTF-8 with BOM,
    /// or PDFDocEncoding approximated as Latin-1).
    pub(crate) fn to_text(&self) -> String {
        decode_text(&self.bytes)
    }
}

pub(crate) fn decode_text(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| {
                let hi = c.first().copied().unwrap_or(0);
                let lo = c.get(1).copied().unwrap_or(0);
                u16::from_be_bytes([hi, lo])
            })
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = b.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        b.iter().map(|&c| char::from(c)).collect()
    }
}

/// A dictionary; keys are unique (the parser rejects duplicates) and keep
/// their order so that a rewritten dictionary reads like the original.
///
/// A dictionary of more than [`LINEAR_KEYS`] keys also keeps its keys'
/// positions sorted, so that a lookup in it (and a comparison of two such
/// dictionaries, key by key) does not grow with its size: a hostile file
/// may hold one dictionary of a million keys.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dict {
    entries: Vec<(Vec<u8>, Object)>,
    /// Positions in `entries` ordered by key, or empty (then lookups
    /// search `entries` in order).
    sorted: Vec<usize>,
}

/// Up to this many keys a dictionary is searched in order, which costs
/// less than a sorted index; real dictionaries are nearly all this small.
pub(crate) const LINEAR_KEYS: usize = 16;

impl PartialEq for Dict {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Dict {
    pub(crate) fn new() -> Self {
        Dict::default()
    }
    fn position(&self, key: &[u8]) -> Option<usize> {
        if self.sorted.is_empty() {
            return self.entries.iter().position(|(k, _)| k.as_slice() == key);
        }
        let entries = &self.entries;
        let key_at = |i: usize| entries.get(i).map_or(&[][..], |(k, _)| k.as_slice());
        self.sorted
            .binary_search_by(|&i| key_at(i).cmp(key))
            .ok()
            .and_then(|at| self.sorted.get(at).copied())
    }
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Object> {
        self.position(key)
            .and_then(|i| self.entries.get(i))
            .map(|(_, v)| v)
    }
    pub(crate) fn contains(&self, key: &[u8]) -> bool {
        self.position(key).is_some()
    }
    /// Insert or replace, keeping the position of an existing key.
    pub(crate) fn set(&mut self, key: &[u8], value: Object) {
        if let Some(slot) = self.position(key).and_then(|i| self.entries.get_mut(i)) {
            slot.1 = value;
            return;
        }
        self.entries.push((key.to_vec(), value));
        if self.sorted.is_empty() {
            self.index_if_large();
        } else {
            let entries = &self.entries;
            let at = self
                .sorted
                .partition_point(|&i| entries.get(i).is_some_and(|(k, _)| k.as_slice() < key));
            self.sorted.insert(at, entries.len() - 1);
        }
    }
    /// Used by the parser, which has already checked for duplicates and
    /// calls [`Dict::index_if_large`] when the dictionary is complete.
    pub(crate) fn push_unchecked(&mut self, key: Vec<u8>, value: Object) {
        self.sorted.clear();
        self.entries.push((key, value));
    }
    /// Sort the keys' positions when there are more than [`LINEAR_KEYS`].
    pub(crate) fn index_if_large(&mut self) {
        if self.entries.len() > LINEAR_KEYS {
            let entries = &self.entries;
            let mut sorted: Vec<usize> = (0..entries.len()).collect();
            sorted.sort_unstable_by(|&a, &b| {
                let key = |i: usize| entries.get(i).map(|(k, _)| k.as_slice());
                key(a).cmp(&key(b))
            });
            self.sorted = sorted;
        }
    }
    pub(crate) fn keys(&self) -> impl ExactSizeIterator<Item = &[u8]> + Clone {
        self.entries.iter().map(|(k, _)| k.as_slice())
    }
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u8], &Object)> {
        self.entries.iter().map(|(k, v)| (k.as_slice(), v))
    }
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
    pub(crate) fn name(&self, key: &[u8]) -> Option<&[u8]> {
        self.get(key).and_then(Object::as_name)
    }
    pub(crate) fn int(&self, key: &[u8]) -> Option<i64> {
        self.get(key).and_then(Object::as_int)
    }
    /// Whether `/Type` (or, failing that, `/FT`) is `name`.
    pub(crate) fn is_type(&self, name: &[u8]) -> bool {
        self.name(b"Type") == Some(name)
    }
}

impl Object {
    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Object::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub(crate) fn as_number(&self) -> Option<f64> {
        match self {
            // Precision loss only for |i| > 2^53, irrelevant for geometry.
            #[allow(clippy::cast_precision_loss)]
            Object::Int(i) => Some(*i as f64),
            Object::Real(f, _) => Some(*f),
            _ => None,
        }
    }
    pub(crate) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }
    pub(crate) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            _ => None,
        }
    }
    pub(crate) fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }
    pub(crate) fn as_ref(&self) -> Option<Ref> {
        match self {
            Object::Ref(r) => Some(*r),
            _ => None,
        }
    }
    pub(crate) fn as_str(&self) -> Option<&PdfString> {
        match self {
            Object::Str(s) => Some(s),
            _ => None,
        }
    }
    pub(crate) fn name(n: &str) -> Object {
        Object::Name(n.as_bytes().to_vec())
    }
    pub(crate) fn real(v: f64) -> Object {
        Object::Real(v, format_real(v).into_bytes())
    }
}

/// A number printed the way PDF wants it: no exponent, no needless digits.
pub(crate) fn format_real(v: f64) -> String {
    let mut s = format!("{v:.4}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// Serialise an object in PDF syntax.
pub(crate) fn write_object(out: &mut Vec<u8>, obj: &Object) {
    match obj {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(_, text) => out.extend_from_slice(text),
        Object::Str(s) => write_string(out, s),
        Object::Name(n) => write_name(out, n),
        Object::Array(a) => {
            out.push(b'[');
            for (i, o) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, o);
            }
            out.push(b']');
        }
        Object::Dict(d) => write_dict(out, d),
        Object::Ref(r) => {
            out.extend_from_slice(format!("{} {} R", r.num, r.generation).as_bytes());
        }
    }
}

pub(crate) fn write_dict(out: &mut Vec<u8>, d: &Dict) {
    out.extend_from_slice(b"<<");
    for (k, v) in d.iter() {
        write_name(out, k);
        out.push(b' ');
        write_object(out, v);
    }
    out.extend_from_slice(b">>");
}

fn write_name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &c in n {
        let regular = c > b' '
            && c < 0x7f
            && !matches!(
                c,
                b'#' | b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
            );
        if regular {
            out.push(c);
        } else {
            let mut s = String::new();
            let _ = write!(s, "#{c:02X}");
            out.extend_from_slice(s.as_bytes());
        }
    }
}

fn write_string(out: &mut Vec<u8>, s: &PdfString) {
    if s.hex {
        out.push(b'<');
        out.extend_from_slice(hex_upper(&s.bytes).as_bytes());
        out.push(b'>');
        return;
    }
    out.push(b'(');
    for &c in &s.bytes {
        match c {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(c);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(c),
        }
    }
    out.push(b')');
}

pub(crate) fn hex_upper(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(char::from(DIGITS[usize::from(x >> 4)]));
        s.push(char::from(DIGITS[usize::from(x & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dictionary gives the same answers before and after it grows past
    /// [`LINEAR_KEYS`] and gets its index, whether keys are set or parsed.
    #[test]
    fn lookups_agree_across_the_index() {
        let mut d = Dict::new();
        let mut plain: Vec<(Vec<u8>, i64)> = Vec::new();
        // Keys in no particular order, some set twice.
        for i in 0..200i64 {
            let k = format!("k{}", (i * 37) % 101).into_bytes();
            d.set(&k, Object::Int(i));
            match plain.iter_mut().find(|(pk, _)| *pk == k) {
                Some(slot) => slot.1 = i,
                None => plain.push((k, i)),
            }
            for (pk, v) in &plain {
                assert_eq!(d.int(pk), Some(*v));
            }
            assert!(!d.contains(b"absent"));
        }
        assert_eq!(d.len(), 101);
        // Order as first inserted; equality ignores the index.
        let keys: Vec<&[u8]> = d.keys().collect();
        let expected: Vec<&[u8]> = plain.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(keys, expected);
        let mut parsed = Dict::new();
        for (k, v) in &plain {
            parsed.push_unchecked(k.clone(), Object::Int(*v));
        }
        assert_eq!(parsed, d);
        parsed.index_if_large();
        assert_eq!(parsed, d);
        for (k, v) in &plain {
            assert_eq!(parsed.int(k), Some(*v));
        }
    }

    #[test]
    fn names_escape_delimiters() {
        let mut out = Vec::new();
        write_name(&mut out, b"A B#(");
        assert_eq!(out, b"/A#20B#23#28");
    }

    #[test]
    fn strings_escape_parentheses() {
        let mut out = Vec::new();
        write_string(&mut out, &PdfString::literal(b"a(b)\\".to_vec()));
        assert_eq!(out, b"(a\\(b\\)\\\\)");
    }

    #[test]
    fn text_strings_use_utf16_for_non_ascii() {
        let s = PdfString::text("Surabaya é");
        assert!(s.hex);
        assert_eq!(s.to_text(), "Surabaya é");
        assert_eq!(PdfString::text("abc").bytes, b"abc");
    }

    #[test]
    fn reals_print_without_exponent() {
        assert_eq!(format_real(595.0), "595");
        assert_eq!(format_real(0.5), "0.5");
        assert_eq!(format_real(-0.00001), "0");
    }
}
