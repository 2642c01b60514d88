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

/// The deepest nesting of indefinite lengths [`read_ber`] and [`to_der`]
/// follow (a SignedData envelope needs five).
const MAX_DEPTH: usize = 32;

/// Read one TLV as [`read`] does, also accepting the indefinite length of
/// BER (X.690 §8.1.3.6) on a constructed element, as streaming CMS
/// writers (BouncyCastle and the signers built on it) emit for the
/// envelope of a SignedData. Such an element's `value` runs to the
/// matching end-of-contents octets `00 00`, which `whole` includes.
/// Definite lengths must still be minimal and tags single-byte.
pub(crate) fn read_ber(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), WalkError> {
    read_ber_at(input, 0)
}

fn read_ber_at(input: &[u8], depth: usize) -> Result<(Tlv<'_>, &[u8]), WalkError> {
    let (Some(&tag), Some(&0x80)) = (input.first(), input.get(1)) else {
        return read(input);
    };
    // Only a constructed element with a one-byte tag may be indefinite.
    if depth >= MAX_DEPTH || tag & 0x1f == 0x1f || tag & 0x20 == 0 {
        return Err(WalkError);
    }
    let body = input.get(2..).ok_or(WalkError)?;
    let mut rest = body;
    while !rest.starts_with(&[0, 0]) {
        rest = read_ber_at(rest, depth + 1)?.1;
    }
    let len = body.len() - rest.len();
    Ok((
        Tlv {
            tag,
            value: body.get(..len).ok_or(WalkError)?,
            whole: input.get(..len + 4).ok_or(WalkError)?,
        },
        rest.get(2..).ok_or(WalkError)?,
    ))
}

/// All TLVs inside a constructed value, indefinite lengths allowed.
pub(crate) fn children_ber(mut value: &[u8]) -> Result<Vec<Tlv<'_>>, WalkError> {
    let mut out = Vec::new();
    while !value.is_empty() {
        let (t, rest) = read_ber(value)?;
        out.push(t);
        value = rest;
    }
    Ok(out)
}

/// The DER form of the element at the front of `input` when it differs
/// from DER only in indefinite lengths (see [`read_ber`]): every
/// constructed element is written again with a definite length around its
/// children; primitive elements are copied as received. An element
/// without indefinite lengths inside comes out byte for byte as it went in.
pub(crate) fn to_der(input: &[u8]) -> Result<Vec<u8>, WalkError> {
    let (t, _) = read_ber(input)?;
    let mut out = Vec::with_capacity(t.whole.len());
    write_der(t, &mut out, 0)?;
    Ok(out)
}

fn write_der(t: Tlv<'_>, out: &mut Vec<u8>, depth: usize) -> Result<(), WalkError> {
    if t.tag & 0x20 == 0 {
        out.extend_from_slice(t.whole);
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Err(WalkError);
    }
    let mut body = Vec::with_capacity(t.value.len());
    for c in children_ber(t.value)? {
        write_der(c, &mut body, depth + 1)?;
    }
    out.push(t.tag);
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let n = bytes.len() - skip;
        if n > 4 {
            return Err(WalkError);
        }
        out.push(0x80 | n as u8);
        out.extend_from_slice(bytes.get(skip..).unwrap_or_default());
    }
    out.extend_from_slice(&body);
    Ok(())
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

    #[test]
    fn indefinite_lengths_become_definite() {
        // SEQUENCE (indefinite) { INTEGER 5, [0] (indefinite) { NULL } }
        let ber = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0xa0, 0x80, 0x05, 0x00, 0, 0, 0, 0, 0xff,
        ];
        let (t, rest) = read_ber(&ber).unwrap();
        assert_eq!(t.whole.len(), 13);
        assert_eq!(rest, &[0xff]);
        assert_eq!(
            to_der(&ber).unwrap(),
            [0x30, 0x07, 0x02, 0x01, 0x05, 0xa0, 0x02, 0x05, 0x00]
        );
        // DER goes through unchanged, long lengths included.
        let mut der = vec![0x30, 0x81, 0x85, 0x04, 0x81, 0x80];
        der.extend([7u8; 0x80]);
        der.extend([0x05, 0x00]);
        assert_eq!(to_der(&der).unwrap(), der);
        // A long indefinite body gets a minimal long length.
        let mut long = vec![0x30, 0x80, 0x04, 0x81, 0x90];
        long.extend([1u8; 0x90]);
        long.extend([0, 0]);
        let d = to_der(&long).unwrap();
        assert_eq!(&d[..5], &[0x30, 0x81, 0x93, 0x04, 0x81]);
        // Indefinite primitives, missing end-of-contents, runaway nesting.
        assert!(read_ber(&[0x04, 0x80, 0x01, 0, 0]).is_err());
        assert!(read_ber(&[0x30, 0x80, 0x05, 0x00]).is_err());
        let mut deep = Vec::new();
        for _ in 0..40 {
            deep.extend([0x30, 0x80]);
        }
        for _ in 0..40 {
            deep.extend([0, 0]);
        }
        assert!(read_ber(&deep).is_err());
        assert!(to_der(&deep).is_err());
    }
}
