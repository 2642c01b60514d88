//! A minimal DER walker that returns the raw bytes of elements as received.
//!
//! Typed decoding is left to the `der`/`cms` crates; this only locates the
//! exact bytes that must be hashed or compared (signed attributes,
//! certificates), so they are never re-encoded (SECURITY-RULES rule 10).

/// One TLV: its tag byte, its value and the whole encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub value: &'a [u8],
    pub whole: &'a [u8],
}

/// Why a DER walk failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WalkError;

/// Read one DER TLV from the front of `input`; returns it and the rest.
/// Only single-byte tags and minimal definite lengths are accepted.
pub(crate) fn read(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), WalkError> {
    let (&tag, rest) = input.split_first().ok_or(WalkError)?;
    if tag & 0x1f == 0x1f {
        return Err(WalkError);
    }
    let (&l0, mut rest) = rest.split_first().ok_or(WalkError)?;
    let len = if l0 < 0x80 {
        usize::from(l0)
    } else {
        let n = usize::from(l0 & 0x7f);
        if n == 0 || n > 4 {
            return Err(WalkError); // indefinite or absurd
        }
        let (bytes, r) = (
            rest.get(..n).ok_or(WalkError)?,
            rest.get(n..).ok_or(WalkError)?,
        );
        rest = r;
        if bytes.first() == Some(&0) {
            return Err(WalkError); // not minimal
        }
        let v = bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        if v < 0x80 {
            return Err(WalkError); // not minimal
        }
        v
    };
    let value = rest.get(..len).ok_or(WalkError)?;
    let header_len = input.len() - rest.len();
    let whole = input.get(..header_len + len).ok_or(WalkError)?;
    Ok((Tlv { tag, value, whole }, rest.get(len..).ok_or(WalkError)?))
}

/// All TLVs inside a constructed value.
pub(crate) fn children(mut value: &[u8]) -> Result<Vec<Tlv<'_>>, WalkError> {
    let mut out = Vec::new();
    while !value.is_empty() {
        let (t, rest) = read(value)?;
        out.push(t);
        value = rest;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects_non_minimal_lengths() {
        let (t, rest) = read(&[0x30, 0x03, 0x02, 0x01, 0x05, 0xff]).unwrap();
        assert_eq!(t.tag, 0x30);
        assert_eq!(t.value, &[0x02, 0x01, 0x05]);
        assert_eq!(rest, &[0xff]);
        assert!(read(&[0x30, 0x81, 0x03, 1, 2, 3]).is_err());
        assert!(read(&[0x30, 0x80, 0, 0]).is_err());
        assert!(read(&[0x30, 0x05, 1]).is_err());
    }
}
