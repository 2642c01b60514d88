//! Kanonik: RFC 8785 (JSON Canonicalization Scheme) for the restricted value
//! set the journal uses — objects, arrays, strings, booleans and integers of
//! magnitude at most 2^53 − 1. Floats and `null` are refused, so the number
//! rule of RFC 8785 §3.2.2.3 reduces to plain decimal integers.
//!
//! - Objects: members sorted by key, comparing keys as sequences of UTF-16
//!   code units (RFC 8785 §3.2.3); no whitespace anywhere.
//! - Strings (RFC 8785 §3.2.2.2): `"` → `\"`, `\` → `\\`, U+0008 → `\b`,
//!   U+0009 → `\t`, U+000A → `\n`, U+000C → `\f`, U+000D → `\r`, other
//!   code points below U+0020 → `\u00xx` (lowercase hex); everything else,
//!   including non-ASCII and U+007F, is written as raw UTF-8.

use serde::Serialize;
use serde_json::Value;

/// Largest integer magnitude allowed (2^53 − 1, exact in IEEE 754 doubles).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A value outside the canonical subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CanonicalError {
    /// A float, or an integer beyond ±(2^53 − 1).
    #[error("number is not an integer within ±(2^53 - 1)")]
    Number,
    /// A `null`.
    #[error("null is not allowed")]
    Null,
    /// The value could not be turned into JSON at all.
    #[error("value cannot be serialised")]
    Serialize,
}

/// The canonical bytes of any serialisable value.
pub fn to_canonical<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CanonicalError> {
    let v = serde_json::to_value(value).map_err(|_| CanonicalError::Serialize)?;
    let mut out = Vec::with_capacity(256);
    write_value(&v, &mut out)?;
    Ok(out)
}

/// Appends the canonical bytes of `v` to `out`.
pub fn write_value(v: &Value, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    match v {
        Value::Null => return Err(CanonicalError::Null),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                if u > MAX_SAFE_INTEGER {
                    return Err(CanonicalError::Number);
                }
                out.extend_from_slice(u.to_string().as_bytes());
            } else if let Some(i) = n.as_i64() {
                if i.unsigned_abs() > MAX_SAFE_INTEGER {
                    return Err(CanonicalError::Number);
                }
                out.extend_from_slice(i.to_string().as_bytes());
            } else {
                return Err(CanonicalError::Number);
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                write_value(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push(b'{');
            for (k, (key, item)) in members.into_iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                write_string(key, out);
                out.push(b':');
                write_value(item, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0a => b"\\n",
            0x0c => b"\\f",
            0x0d => b"\\r",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 15)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn c(v: Value) -> String {
        let mut out = Vec::new();
        write_value(&v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rfc8785_rules() {
        assert_eq!(
            c(json!({"b": 1, "a": [true, "x"]})),
            r#"{"a":[true,"x"],"b":1}"#
        );
        assert_eq!(
            c(json!("q\"b\\\u{8}\t\n\u{c}\r\u{1}\u{7f}é€")),
            "\"q\\\"b\\\\\\b\\t\\n\\f\\r\\u0001\u{7f}é€\""
        );
        // UTF-16 ordering: U+1F600 (surrogates D83D DE00) sorts before
        // U+E000, the opposite of code point (and UTF-8 byte) order.
        assert_eq!(
            c(json!({"\u{E000}": 2, "\u{1F600}": 1})),
            "{\"\u{1F600}\":1,\"\u{E000}\":2}"
        );
        assert_eq!(c(json!(-9007199254740991i64)), "-9007199254740991");
        let mut out = Vec::new();
        assert_eq!(
            write_value(&json!(9007199254740992u64), &mut out),
            Err(CanonicalError::Number)
        );
        assert_eq!(
            write_value(&json!(1.5), &mut out),
            Err(CanonicalError::Number)
        );
        assert_eq!(
            write_value(&json!(null), &mut out),
            Err(CanonicalError::Null)
        );
    }

    #[test]
    fn canonical_output_parses_back_identically() {
        let v = json!({"z": {"y": ["\u{0}", -3]}, "a": "ü\u{2028}"});
        let s = c(v.clone());
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }
}
