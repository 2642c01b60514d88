//! Penomoran naskah: the numbering format language and the sequences behind it.
//!
//! A [`NumberFormat`] is a list of [`Token`]s. It renders [`NumberFields`] to a
//! letter number and parses a number back into fields; for every string a format
//! accepts, rendering the parsed fields gives the identical string. Presets cover
//! the grammars in use (see [`NumberFormat::pemda`] and friends), and
//! [`NumberFormat::from_pattern`] reads a pattern such as
//! `{security}-{seq}/{position}/{class}/{month}/{year}`.
//!
//! Sequence numbers come from a [`Sequence`]: keyed by (scheme, scope, year),
//! reserved, then committed or voided, never reused and never gap-filled.

mod file;
mod sequence;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use file::FileSequence;
pub use sequence::{MemorySequence, Reservation, ReservationState, Sequence, SequenceKey};

use super::Security;
use super::content::is_classification_code;

/// Errors from numbering: formats, parsing and sequences.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NumberError {
    /// A format pattern is malformed.
    #[error("invalid number pattern at byte {offset}: {reason}")]
    InvalidPattern {
        /// Byte offset in the pattern.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A field the format needs was not supplied.
    #[error("number format needs the {field} field")]
    MissingField {
        /// Which field.
        field: &'static str,
    },
    /// A field value cannot be written in this format.
    #[error("value {value:?} is not a valid {field}")]
    InvalidField {
        /// Which field.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// A number does not match the format.
    #[error("{input:?} does not match the number format {format}")]
    NoMatch {
        /// The input.
        input: String,
        /// The format pattern.
        format: String,
    },
    /// A sequence key part is empty or contains a control character.
    #[error("invalid sequence key: {reason}")]
    InvalidKey {
        /// What is wrong.
        reason: &'static str,
    },
    /// The sequence for a key would pass `u32::MAX`.
    #[error("sequence exhausted")]
    Exhausted,
    /// The reservation is unknown to this sequence.
    #[error("reservation {value} of {key} is unknown")]
    UnknownReservation {
        /// The key.
        key: String,
        /// The reserved value.
        value: u32,
    },
    /// The reservation was already committed or voided.
    #[error("reservation {value} of {key} is already {state}")]
    AlreadySettled {
        /// The key.
        key: String,
        /// The reserved value.
        value: u32,
        /// Its state.
        state: &'static str,
    },
    /// The sequence journal file is corrupt.
    #[error("sequence journal corrupt at line {line}")]
    CorruptJournal {
        /// 1-based line number.
        line: usize,
        /// The cause.
        #[source]
        source: Option<serde_json::Error>,
    },
    /// Reading or writing the sequence journal failed.
    #[error("sequence journal i/o failed")]
    Io(#[from] std::io::Error),
}

/// One element of a number format.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "token", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Token {
    /// Kode derajat keamanan: `B`, `T`, `R` or `SR`. Pattern `{security}`.
    Security,
    /// Nomor urut, zero-padded to at least `pad` digits. Pattern `{seq}` or `{seq:4}`.
    Sequence {
        /// Minimum number of digits.
        pad: u8,
    },
    /// Kode klasifikasi arsip (`000.8.3.3`, `KP.07.6`). Pattern `{class}`.
    Classification,
    /// Kode unit pengolah (`OR`, `KOMINFO`). Pattern `{unit}`.
    UnitCode,
    /// Kode jabatan (`IJ`, `C.6`). Pattern `{position}`.
    PositionCode,
    /// Kode jenis naskah (`ND`, `ST`). Pattern `{kind}`.
    KindCode,
    /// Month as two digits, `01`–`12`. Pattern `{month}`.
    Month2,
    /// Month in Roman numerals, `I`–`XII`. Pattern `{month_roman}`.
    MonthRoman,
    /// Four-digit year. Pattern `{year}`.
    Year,
    /// Literal text. Anything outside braces in a pattern; `{{`/`}}` escape braces.
    Literal(String),
}

/// The fields a number is rendered from, or that parsing found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NumberFields {
    /// Derajat keamanan.
    pub security: Option<Security>,
    /// Nomor urut.
    pub sequence: Option<u32>,
    /// Kode klasifikasi arsip.
    pub classification: Option<String>,
    /// Kode unit.
    pub unit_code: Option<String>,
    /// Kode jabatan.
    pub position_code: Option<String>,
    /// Kode jenis naskah.
    pub kind_code: Option<String>,
    /// Month, 1–12.
    pub month: Option<u32>,
    /// Year.
    pub year: Option<i32>,
}

impl NumberFields {
    /// No fields set.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the security classification.
    pub fn security(mut self, s: Security) -> Self {
        self.security = Some(s);
        self
    }
    /// Sets the sequence number.
    pub fn sequence(mut self, n: u32) -> Self {
        self.sequence = Some(n);
        self
    }
    /// Sets the archive classification code.
    pub fn classification(mut self, c: impl Into<String>) -> Self {
        self.classification = Some(c.into());
        self
    }
    /// Sets the unit code.
    pub fn unit_code(mut self, c: impl Into<String>) -> Self {
        self.unit_code = Some(c.into());
        self
    }
    /// Sets the position code.
    pub fn position_code(mut self, c: impl Into<String>) -> Self {
        self.position_code = Some(c.into());
        self
    }
    /// Sets the kind code.
    pub fn kind_code(mut self, c: impl Into<String>) -> Self {
        self.kind_code = Some(c.into());
        self
    }
    /// Sets month (1–12) and year.
    pub fn month_year(mut self, month: u32, year: i32) -> Self {
        self.month = Some(month);
        self.year = Some(year);
        self
    }
}

/// Format nomor naskah: a numbering format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NumberFormat {
    tokens: Vec<Token>,
}

const ROMAN: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
        && !s.starts_with(['.', '-'])
        && !s.ends_with(['.', '-'])
}

impl NumberFormat {
    /// A format from tokens. Two variable tokens must be separated by a literal
    /// (otherwise a number could not be parsed back unambiguously), and the
    /// format must contain a sequence token.
    pub fn new(tokens: Vec<Token>) -> Result<Self, NumberError> {
        let mut merged: Vec<Token> = Vec::with_capacity(tokens.len());
        for t in tokens {
            match (merged.last_mut(), t) {
                (_, Token::Literal(s)) if s.is_empty() => {}
                (Some(Token::Literal(prev)), Token::Literal(s)) => prev.push_str(&s),
                (_, t) => merged.push(t),
            }
        }
        let mut prev_var = false;
        for (i, t) in merged.iter().enumerate() {
            let var = !matches!(t, Token::Literal(_));
            if var && prev_var {
                return Err(NumberError::InvalidPattern {
                    offset: i,
                    reason: "two fields must be separated by literal text",
                });
            }
            prev_var = var;
        }
        if !merged.iter().any(|t| matches!(t, Token::Sequence { .. })) {
            return Err(NumberError::InvalidPattern {
                offset: 0,
                reason: "a number format needs a {seq} field",
            });
        }
        Ok(NumberFormat { tokens: merged })
    }

    /// Parses a pattern: fields in braces (`{security}`, `{seq}`, `{seq:4}`,
    /// `{class}`, `{unit}`, `{position}`, `{kind}`, `{month}`, `{month_roman}`,
    /// `{year}`), everything else literal, `{{` and `}}` for braces.
    pub fn from_pattern(pattern: &str) -> Result<Self, NumberError> {
        let mut tokens = Vec::new();
        let mut lit = String::new();
        let mut rest = pattern;
        let offset = |rest: &str| pattern.len() - rest.len();
        while let Some(c) = rest.chars().next() {
            if let Some(r) = rest.strip_prefix("{{") {
                lit.push('{');
                rest = r;
            } else if let Some(r) = rest.strip_prefix("}}") {
                lit.push('}');
                rest = r;
            } else if c == '{' {
                let Some(end) = rest.find('}') else {
                    return Err(NumberError::InvalidPattern {
                        offset: offset(rest),
                        reason: "unclosed {",
                    });
                };
                let name = rest.get(1..end).unwrap_or_default();
                let tok = match name {
                    "security" => Token::Security,
                    "seq" => Token::Sequence { pad: 0 },
                    "class" => Token::Classification,
                    "unit" => Token::UnitCode,
                    "position" => Token::PositionCode,
                    "kind" => Token::KindCode,
                    "month" => Token::Month2,
                    "month_roman" => Token::MonthRoman,
                    "year" => Token::Year,
                    _ => match name.strip_prefix("seq:").map(str::parse::<u8>) {
                        Some(Ok(pad)) if pad <= 10 => Token::Sequence { pad },
                        _ => {
                            return Err(NumberError::InvalidPattern {
                                offset: offset(rest),
                                reason: "unknown field",
                            });
                        }
                    },
                };
                if !lit.is_empty() {
                    tokens.push(Token::Literal(std::mem::take(&mut lit)));
                }
                tokens.push(tok);
                rest = rest.get(end + 1..).unwrap_or_default();
            } else if c == '}' {
                return Err(NumberError::InvalidPattern {
                    offset: offset(rest),
                    reason: "unmatched }",
                });
            } else {
                lit.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or_default();
            }
        }
        if !lit.is_empty() {
            tokens.push(Token::Literal(lit));
        }
        NumberFormat::new(tokens)
    }

    /// The pattern text of this format (inverse of [`from_pattern`](Self::from_pattern)).
    pub fn pattern(&self) -> String {
        let mut s = String::new();
        for t in &self.tokens {
            match t {
                Token::Security => s.push_str("{security}"),
                Token::Sequence { pad: 0 } => s.push_str("{seq}"),
                Token::Sequence { pad } => s.push_str(&format!("{{seq:{pad}}}")),
                Token::Classification => s.push_str("{class}"),
                Token::UnitCode => s.push_str("{unit}"),
                Token::PositionCode => s.push_str("{position}"),
                Token::KindCode => s.push_str("{kind}"),
                Token::Month2 => s.push_str("{month}"),
                Token::MonthRoman => s.push_str("{month_roman}"),
                Token::Year => s.push_str("{year}"),
                Token::Literal(l) => s.push_str(&l.replace('{', "{{").replace('}', "}}")),
            }
        }
        s
    }

    /// The tokens.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    fn preset(p: &str) -> Self {
        // Presets are constants checked by tests.
        NumberFormat::from_pattern(p).unwrap_or(NumberFormat {
            tokens: vec![Token::Sequence { pad: 0 }],
        })
    }

    /// Pemda (Permendagri 83/2022): `000.8.3.3/15/OR`.
    pub fn pemda() -> Self {
        Self::preset("{class}/{seq}/{unit}")
    }
    /// Pemda with year: `000.8.3.3/15/OR/2025`.
    pub fn pemda_with_year() -> Self {
        Self::preset("{class}/{seq}/{unit}/{year}")
    }
    /// Kementerian/lembaga with security prefix: `R-99/IJ/KP.07.6/04/2020`,
    /// `B-123/KOMINFO/HM.01.01/02/2022`.
    pub fn kl() -> Self {
        Self::preset("{security}-{seq}/{position}/{class}/{month}/{year}")
    }
    /// Internal (nota dinas, memo, undangan): `05/IJ/OT.01/04/2016`.
    pub fn internal() -> Self {
        Self::preset("{seq:2}/{position}/{class}/{month}/{year}")
    }
    /// Khusus (berita acara, surat keterangan, pengantar, kuasa): `05/IJ/04/2016`.
    pub fn special() -> Self {
        Self::preset("{seq:2}/{position}/{month}/{year}")
    }
    /// Produk hukum (keputusan, peraturan): `NOMOR 23 TAHUN 2020`.
    pub fn legal_product() -> Self {
        Self::preset("NOMOR {seq} TAHUN {year}")
    }
    /// Agenda surat masuk: `SM/0001/2025`.
    pub fn agenda() -> Self {
        Self::preset("SM/{seq:4}/{year}")
    }

    /// Renders `fields`; every field the format uses must be present and valid.
    pub fn render(&self, fields: &NumberFields) -> Result<String, NumberError> {
        let mut out = String::new();
        for t in &self.tokens {
            match t {
                Token::Literal(l) => out.push_str(l),
                Token::Security => out.push_str(
                    fields
                        .security
                        .ok_or(NumberError::MissingField { field: "security" })?
                        .code(),
                ),
                Token::Sequence { pad } => {
                    let n = fields
                        .sequence
                        .ok_or(NumberError::MissingField { field: "sequence" })?;
                    if n == 0 {
                        return Err(NumberError::InvalidField {
                            field: "sequence",
                            value: "0".into(),
                        });
                    }
                    out.push_str(&format!("{n:0width$}", width = usize::from(*pad)));
                }
                Token::Classification => {
                    let c = need(&fields.classification, "classification")?;
                    if !is_classification_code(c) {
                        return Err(invalid("classification", c));
                    }
                    out.push_str(c);
                }
                Token::UnitCode => out.push_str(code(&fields.unit_code, "unit code")?),
                Token::PositionCode => out.push_str(code(&fields.position_code, "position code")?),
                Token::KindCode => out.push_str(code(&fields.kind_code, "kind code")?),
                Token::Month2 | Token::MonthRoman => {
                    let m = fields
                        .month
                        .ok_or(NumberError::MissingField { field: "month" })?;
                    let Some(roman) = m.checked_sub(1).and_then(|i| ROMAN.get(i as usize)) else {
                        return Err(invalid("month", &m.to_string()));
                    };
                    if matches!(t, Token::Month2) {
                        out.push_str(&format!("{m:02}"));
                    } else {
                        out.push_str(roman);
                    }
                }
                Token::Year => {
                    let y = fields
                        .year
                        .ok_or(NumberError::MissingField { field: "year" })?;
                    if !(1000..=9999).contains(&y) {
                        return Err(invalid("year", &y.to_string()));
                    }
                    out.push_str(&y.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Parses a number written in this format.
    pub fn parse(&self, input: &str) -> Result<NumberFields, NumberError> {
        let mut fields = NumberFields::default();
        let mut budget = 10_000u32;
        if match_tokens(&self.tokens, input, &mut fields, &mut budget) {
            Ok(fields)
        } else {
            Err(NumberError::NoMatch {
                input: input.to_owned(),
                format: self.pattern(),
            })
        }
    }
}

fn need<'a>(v: &'a Option<String>, field: &'static str) -> Result<&'a str, NumberError> {
    v.as_deref().ok_or(NumberError::MissingField { field })
}
fn invalid(field: &'static str, value: &str) -> NumberError {
    NumberError::InvalidField {
        field,
        value: value.to_owned(),
    }
}
fn code<'a>(v: &'a Option<String>, field: &'static str) -> Result<&'a str, NumberError> {
    let c = need(v, field)?;
    if is_code(c) {
        Ok(c)
    } else {
        Err(invalid(field, c))
    }
}

/// Accepts `text` for `token`, storing the value; only canonical spellings are
/// accepted, so that rendering gives back `text`.
fn accept(token: &Token, text: &str, f: &mut NumberFields) -> bool {
    match token {
        Token::Literal(l) => l == text,
        Token::Security => match Security::from_code(text) {
            Some(s) => {
                f.security = Some(s);
                true
            }
            None => false,
        },
        Token::Sequence { pad } => {
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            let Ok(n) = text.parse::<u32>() else {
                return false;
            };
            if n == 0 || format!("{n:0width$}", width = usize::from(*pad)) != text {
                return false;
            }
            f.sequence = Some(n);
            true
        }
        Token::Classification => {
            let ok = is_classification_code(text);
            if ok {
                f.classification = Some(text.to_owned());
            }
            ok
        }
        Token::UnitCode | Token::PositionCode | Token::KindCode => {
            if !is_code(text) {
                return false;
            }
            let slot = match token {
                Token::UnitCode => &mut f.unit_code,
                Token::PositionCode => &mut f.position_code,
                _ => &mut f.kind_code,
            };
            *slot = Some(text.to_owned());
            true
        }
        Token::Month2 => match text.parse::<u32>() {
            Ok(m)
                if text.len() == 2
                    && (1..=12).contains(&m)
                    && text.bytes().all(|b| b.is_ascii_digit()) =>
            {
                f.month = Some(m);
                true
            }
            _ => false,
        },
        Token::MonthRoman => match ROMAN.iter().position(|r| *r == text) {
            Some(i) => {
                f.month = Some(i as u32 + 1);
                true
            }
            None => false,
        },
        Token::Year => {
            if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0')
            {
                f.year = text.parse().ok();
                f.year.is_some()
            } else {
                false
            }
        }
    }
}

/// Backtracking matcher; formats alternate literals and fields, so the search
/// is small. `budget` bounds the work on hostile input.
fn match_tokens(tokens: &[Token], input: &str, f: &mut NumberFields, budget: &mut u32) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some((first, rest)) = tokens.split_first() else {
        return input.is_empty();
    };
    if let Token::Literal(l) = first {
        return match input.strip_prefix(l.as_str()) {
            Some(r) => match_tokens(rest, r, f, budget),
            None => false,
        };
    }
    // Candidate ends: every char boundary, longest first.
    let ends: Vec<usize> = input
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain(std::iter::once(input.len()))
        .collect();
    for &end in ends.iter().rev() {
        let (Some(head), Some(tail)) = (input.get(..end), input.get(end..)) else {
            continue;
        };
        let saved = f.clone();
        if accept(first, head, f) && match_tokens(rest, tail, f, budget) {
            return true;
        }
        *f = saved;
    }
    false
}

impl fmt::Display for NumberFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern())
    }
}
impl TryFrom<String> for NumberFormat {
    type Error = NumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        NumberFormat::from_pattern(&s)
    }
}
impl From<NumberFormat> for String {
    fn from(f: NumberFormat) -> String {
        f.pattern()
    }
}

/// Skema penomoran: a numbering scheme, i.e. a format with an identity and a
/// scope, and the unit code to write where the format asks for one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SchemeRepr")]
pub struct NumberScheme {
    id: String,
    scope: String,
    format: NumberFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit_code: Option<String>,
}

#[derive(Deserialize)]
struct SchemeRepr {
    id: String,
    scope: String,
    format: NumberFormat,
    #[serde(default)]
    unit_code: Option<String>,
}
impl TryFrom<SchemeRepr> for NumberScheme {
    type Error = NumberError;
    fn try_from(r: SchemeRepr) -> Result<Self, Self::Error> {
        let s = NumberScheme::new(r.id, r.scope, r.format)?;
        match r.unit_code {
            Some(u) => s.with_unit_code(u),
            None => Ok(s),
        }
    }
}

impl NumberScheme {
    /// A scheme `id` numbering within `scope` (an agency, unit or position id).
    pub fn new(
        id: impl Into<String>,
        scope: impl Into<String>,
        format: NumberFormat,
    ) -> Result<Self, NumberError> {
        let (id, scope) = (id.into(), scope.into());
        SequenceKey::new(&id, &scope, 2000)?;
        Ok(NumberScheme {
            id,
            scope,
            format,
            unit_code: None,
        })
    }
    /// The unit code for `{unit}`, overriding the signer's unit.
    pub fn with_unit_code(mut self, code: impl Into<String>) -> Result<Self, NumberError> {
        let c = code.into();
        if !is_code(&c) {
            return Err(invalid("unit code", &c));
        }
        self.unit_code = Some(c);
        Ok(self)
    }
    /// Scheme id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Scope.
    pub fn scope(&self) -> &str {
        &self.scope
    }
    /// The format.
    pub fn format(&self) -> &NumberFormat {
        &self.format
    }
    /// Unit code override.
    pub fn unit_code(&self) -> Option<&str> {
        self.unit_code.as_deref()
    }
    /// The sequence key for `year`.
    pub fn key(&self, year: i32) -> SequenceKey {
        SequenceKey {
            scheme: self.id.clone(),
            scope: self.scope.clone(),
            year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn domain_examples_parse_and_render_back() {
        let cases: &[(NumberFormat, &str)] = &[
            (NumberFormat::pemda(), "000.8.3.3/15/OR"),
            (NumberFormat::kl(), "B-123/KOMINFO/HM.01.01/02/2022"),
            (NumberFormat::kl(), "R-99/IJ/KP.07.6/04/2020"),
            (NumberFormat::kl(), "SR-7/IJ/KP.07.6/12/2020"),
            (NumberFormat::kl(), "B-1214/C.6/Cpl.1/12/2022"),
            (NumberFormat::internal(), "05/IJ/OT.01/04/2016"),
            (NumberFormat::special(), "05/IJ/04/2016"),
            (NumberFormat::legal_product(), "NOMOR 23 TAHUN 2020"),
            (NumberFormat::agenda(), "SM/0001/2025"),
            (NumberFormat::pemda_with_year(), "000.8.3.3/15/OR/2025"),
        ];
        for (fmt, s) in cases {
            let f = fmt.parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(&fmt.render(&f).unwrap(), s);
        }
        let f = NumberFormat::kl().parse("R-99/IJ/KP.07.6/04/2020").unwrap();
        assert_eq!(f.security, Some(Security::Secret));
        assert_eq!(f.sequence, Some(99));
        assert_eq!(f.position_code.as_deref(), Some("IJ"));
        assert_eq!(f.classification.as_deref(), Some("KP.07.6"));
        assert_eq!((f.month, f.year), (Some(4), Some(2020)));
        let p = NumberFormat::pemda().parse("000.8.3.3/15/OR").unwrap();
        assert_eq!(p.classification.as_deref(), Some("000.8.3.3"));
        assert_eq!(p.sequence, Some(15));
        assert_eq!(p.unit_code.as_deref(), Some("OR"));
    }

    #[test]
    fn non_matching_numbers_are_rejected() {
        for (fmt, s) in [
            (NumberFormat::agenda(), "SM/001/2025"), // pad 4
            (NumberFormat::agenda(), "SM/0000/2025"),
            (NumberFormat::kl(), "X-99/IJ/KP.07.6/04/2020"),
            (NumberFormat::kl(), "R-99/IJ/KP.07.6/13/2020"),
            (NumberFormat::internal(), "005/IJ/OT.01/04/2016"),
            (NumberFormat::pemda(), "000.5.6.2/X /2025"),
            (NumberFormat::legal_product(), "NOMOR 23 TAHUN 20"),
        ] {
            assert!(
                matches!(fmt.parse(s), Err(NumberError::NoMatch { .. })),
                "{s} should not match {fmt}"
            );
        }
    }

    #[test]
    fn roman_month_and_patterns() {
        let f = NumberFormat::from_pattern("{seq:3}/{kind}/{unit}/{month_roman}/{year}").unwrap();
        let fields = NumberFields {
            sequence: Some(7),
            kind_code: Some("ND".into()),
            unit_code: Some("Diskominfo".into()),
            month: Some(11),
            year: Some(2025),
            ..Default::default()
        };
        let s = f.render(&fields).unwrap();
        assert_eq!(s, "007/ND/Diskominfo/XI/2025");
        assert_eq!(f.parse(&s).unwrap(), fields);
        assert_eq!(NumberFormat::from_pattern(&f.pattern()).unwrap(), f);
        assert!(matches!(
            NumberFormat::from_pattern("{seq}{year}"),
            Err(NumberError::InvalidPattern { .. })
        ));
        assert!(NumberFormat::from_pattern("{class}/{unit}").is_err());
        assert!(NumberFormat::from_pattern("{seq}/{nope}").is_err());
        assert!(matches!(
            NumberFormat::pemda().render(&NumberFields {
                sequence: Some(1),
                ..Default::default()
            }),
            Err(NumberError::MissingField {
                field: "classification"
            })
        ));
    }

    fn code_strategy() -> impl Strategy<Value = String> {
        "[A-Za-z0-9]{1,4}(\\.[A-Za-z0-9]{1,3}){0,2}"
    }

    fn format_strategy() -> impl Strategy<Value = NumberFormat> {
        prop_oneof![
            Just(NumberFormat::pemda()),
            Just(NumberFormat::pemda_with_year()),
            Just(NumberFormat::kl()),
            Just(NumberFormat::internal()),
            Just(NumberFormat::special()),
            Just(NumberFormat::legal_product()),
            Just(NumberFormat::agenda()),
            Just(NumberFormat::from_pattern("{seq:3}/{kind}-{unit}/{month_roman}/{year}").unwrap()),
        ]
    }

    proptest! {
        #[test]
        fn render_parse_render_is_identity(
            fmt in format_strategy(),
            sec in 0usize..4,
            seq in 1u32..100_000,
            class in "[0-9]{3}(\\.[0-9]{1,2}){0,3}|[A-Z]{2}(\\.[0-9]{2}){0,2}",
            unit in code_strategy(),
            pos in code_strategy(),
            kind in "[A-Z]{1,4}",
            month in 1u32..=12,
            year in 1900i32..2100,
        ) {
            let fields = NumberFields {
                security: [Security::Ordinary, Security::Restricted, Security::Secret, Security::TopSecret].get(sec).copied(),
                sequence: Some(seq),
                classification: Some(class),
                unit_code: Some(unit),
                position_code: Some(pos),
                kind_code: Some(kind),
                month: Some(month),
                year: Some(year),
            };
            let s = fmt.render(&fields).unwrap();
            let parsed = fmt.parse(&s).unwrap();
            prop_assert_eq!(fmt.render(&parsed).unwrap(), s);
            prop_assert_eq!(parsed.sequence, Some(seq));
        }

        #[test]
        fn any_accepted_string_renders_identically(s in "[A-Z0-9./ -]{0,30}", fmt in format_strategy()) {
            if let Ok(f) = fmt.parse(&s) {
                prop_assert_eq!(fmt.render(&f).unwrap(), s);
            }
        }
    }
}
