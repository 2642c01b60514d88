//! Sidik berkas: SHA-256 digests and the strict text forms the journal uses.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// Sidik SHA-256: the SHA-256 digest of a file or of a journal entry.
///
/// Encoded as 64 lowercase hexadecimal digits; anything else is rejected.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256Hash([u8; 32]);

impl Sha256Hash {
    /// The all-zero value used as `prev` of the first journal entry.
    pub const ZERO: Self = Self([0; 32]);

    /// Wraps 32 digest bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The SHA-256 of `data`.
    pub fn digest(data: &[u8]) -> Self {
        Self(Sha256::digest(data).into())
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Sha256Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_hex(&self.0))
    }
}

impl fmt::Debug for Sha256Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Hash({self})")
    }
}

/// A string is not 64 lowercase hexadecimal digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected} lowercase hexadecimal digits")]
pub struct HexError {
    /// The number of digits expected.
    pub expected: usize,
}

impl FromStr for Sha256Hash {
    type Err = HexError;
    fn from_str(s: &str) -> Result<Self, HexError> {
        from_hex(s).map(Self)
    }
}

impl Serialize for Sha256Hash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_hex(&self.0))
    }
}

impl<'de> Deserialize<'de> for Sha256Hash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}

pub(crate) fn from_hex<const N: usize>(s: &str) -> Result<[u8; N], HexError> {
    let err = HexError { expected: 2 * N };
    let digits = s.as_bytes();
    if digits.len() != 2 * N {
        return Err(err);
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        _ => Err(err),
    };
    let mut out = [0u8; N];
    for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        if let [hi, lo] = pair {
            *o = (nibble(*hi)? << 4) | nibble(*lo)?;
        }
    }
    Ok(out)
}

/// Serde for dates as exactly `YYYY-MM-DD` (years 0001–9999).
pub(crate) mod date {
    use super::*;

    pub(crate) fn format(d: &NaiveDate) -> String {
        d.format("%Y-%m-%d").to_string()
    }

    pub(crate) fn parse(s: &str) -> Option<NaiveDate> {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        (s.len() == 10 && format(&d) == s).then_some(d)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse(&s).ok_or_else(|| serde::de::Error::custom("expected a date YYYY-MM-DD"))
    }

    /// The same for `Option<NaiveDate>` (absent field = `None`).
    pub(crate) mod option {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(
            d: &Option<NaiveDate>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_str(&format(d)),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<NaiveDate>, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_strict() {
        let h = Sha256Hash::digest(b"abc");
        assert_eq!(
            h.to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(h.to_string().parse::<Sha256Hash>().unwrap(), h);
        assert!(h.to_string().to_uppercase().parse::<Sha256Hash>().is_err());
        assert!("00".parse::<Sha256Hash>().is_err());
        assert!(date::parse("2025-01-06").is_some());
        assert!(date::parse("2025-1-6").is_none());
        assert!(date::parse("+2025-01-06").is_none());
    }
}
