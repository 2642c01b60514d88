//! Stream filters needed to read document structure: FlateDecode with the PNG
//! and TIFF predictors (ISO 32000-2 §7.4.4). Output is bounded.

use super::object::{Dict, Object};
use super::{Limit, PdfError};

/// Decode a stream's data according to its `/Filter` and `/DecodeParms`,
/// producing at most `max_out` bytes.
pub(crate) fn decode_stream(dict: &Dict, raw: &[u8], max_out: u64) -> Result<Vec<u8>, PdfError> {
    let filters: Vec<&[u8]> = match dict.get(b"Filter") {
        None => Vec::new(),
        Some(Object::Name(n)) => vec![n.as_slice()],
        Some(Object::Array(a)) => a.iter().filter_map(Object::as_name).collect(),
        Some(_) => return Err(PdfError::Unsupported("malformed /Filter")),
    };
    let parms: Vec<Option<&Dict>> = match dict.get(b"DecodeParms") {
        None | Some(Object::Null) => Vec::new(),
        Some(Object::Dict(d)) => vec![Some(d)],
        Some(Object::Array(a)) => a.iter().map(Object::as_dict).collect(),
        Some(_) => return Err(PdfError::Unsupported("malformed /DecodeParms")),
    };
    if filters.len() > 4 {
        return Err(PdfError::Unsupported("too many stream filters"));
    }
    // Borrowed until a filter has something to decode.
    let mut data = std::borrow::Cow::Borrowed(raw);
    for (i, f) in filters.iter().enumerate() {
        match *f {
            b"FlateDecode" | b"Fl" => {
                let mut out = inflate(&data, max_out)?;
                if let Some(Some(p)) = parms.get(i) {
                    out = unpredict(&out, p, max_out)?;
                }
                data = std::borrow::Cow::Owned(out);
            }
            _ => {
                return Err(PdfError::Unsupported(
                    "stream filter other than FlateDecode",
                ));
            }
        }
    }
    if data.len() as u64 > max_out {
        return Err(PdfError::LimitExceeded {
            limit: Limit::DecompressedStream,
            max: max_out,
        });
    }
    Ok(data.into_owned())
}

/// The most `inflate` reserves before it reads.
const INFLATE_RESERVE_MAX: usize = 16 << 20;

/// Inflate a zlib stream, at most `max_out` bytes of output.
///
/// A stream that stops at a flush point without its final block (the input
/// ends with the empty stored block `00 00 FF FF` of a sync flush, and no
/// Adler-32) is accepted with what it decoded: some writers of incremental
/// updates emit such streams, every decoder that reads them yields the same
/// bytes, and pdf.js, poppler and MuPDF render them. Anything else that ends
/// early, or is corrupt, is an error.
fn inflate(data: &[u8], max_out: u64) -> Result<Vec<u8>, PdfError> {
    let limit = || PdfError::LimitExceeded {
        limit: Limit::DecompressedStream,
        max: max_out,
    };
    // The most ever held: one byte past the limit shows it was passed.
    let cap = usize::try_from(max_out.saturating_add(1)).unwrap_or(usize::MAX);
    // Room for a typical ratio up front (bounded, so a bomb's small input
    // reserves little); the buffer grows as needed up to `cap`.
    let guess = data.len().saturating_mul(4).min(INFLATE_RESERVE_MAX);
    let mut out = Vec::with_capacity(guess.clamp(64, cap.max(64)));
    let mut z = flate2::Decompress::new(true);
    loop {
        if out.len() == out.capacity() {
            if out.len() >= cap {
                return Err(limit());
            }
            let more = out.len().max(64 << 10).min(cap - out.len());
            out.reserve_exact(more);
        }
        let (read, written) = (z.total_in(), z.total_out());
        let rest = usize::try_from(read)
            .ok()
            .and_then(|r| data.get(r..))
            .unwrap_or_default();
        let status = z
            .decompress_vec(rest, &mut out, flate2::FlushDecompress::None)
            .map_err(|_| PdfError::Decode)?;
        if out.len() as u64 > max_out {
            return Err(limit());
        }
        if status == flate2::Status::StreamEnd {
            return Ok(out);
        }
        if z.total_in() == read && z.total_out() == written {
            // No progress with room to write: the input is used up.
            let all_read = usize::try_from(z.total_in()).is_ok_and(|n| n == data.len());
            return if all_read && data.ends_with(&[0, 0, 0xff, 0xff]) {
                Ok(out)
            } else {
                Err(PdfError::Decode)
            };
        }
    }
}

fn unpredict(data: &[u8], parms: &Dict, max_out: u64) -> Result<Vec<u8>, PdfError> {
    let predictor = parms.int(b"Predictor").unwrap_or(1);
    if predictor == 1 {
        return Ok(data.to_vec());
    }
    let colors = parms.int(b"Colors").unwrap_or(1);
    let bpc = parms.int(b"BitsPerComponent").unwrap_or(8);
    let columns = parms.int(b"Columns").unwrap_or(1);
    if !(1..=32).contains(&colors)
        || !matches!(bpc, 1 | 2 | 4 | 8 | 16)
        || !(1..=1 << 20).contains(&columns)
    {
        return Err(PdfError::Unsupported("predictor parameters out of range"));
    }
    let bpp = usize::try_from((colors * bpc + 7) / 8).map_err(|_| PdfError::Decode)?;
    let row_len =
        usize::try_from((colors * bpc * columns + 7) / 8).map_err(|_| PdfError::Decode)?;
    if predictor == 2 {
        if bpc != 8 {
            return Err(PdfError::Unsupported(
                "TIFF predictor with bits other than 8",
            ));
        }
        let mut out = data.to_vec();
        for row in out.chunks_mut(row_len) {
            for i in bpp..row.len() {
                let left = row.get(i - bpp).copied().unwrap_or(0);
                if let Some(x) = row.get_mut(i) {
                    *x = x.wrapping_add(left);
                }
            }
        }
        return Ok(out);
    }
    if predictor < 10 {
        return Err(PdfError::Unsupported("unknown predictor"));
    }
    // Rows are padded to full length: a short input with long rows must
    // not allocate beyond the stream limit before the limit is checked.
    let padded = data.len().div_ceil(row_len + 1).saturating_mul(row_len);
    if padded as u64 > max_out {
        return Err(PdfError::LimitExceeded {
            limit: Limit::DecompressedStream,
            max: max_out,
        });
    }
    png_unpredict(data, row_len, bpp)
}

/// Undo the PNG predictors: each row of `row_len` bytes (the last one
/// padded with zeros) follows its filter-type byte, and is decoded in
/// place in the output against the row before it. One buffer for the
/// whole stream: a cross-reference stream has tens of thousands of rows
/// of a few bytes each.
fn png_unpredict(data: &[u8], row_len: usize, bpp: usize) -> Result<Vec<u8>, PdfError> {
    let tagged = row_len + 1;
    if data.len().is_multiple_of(tagged) && data.chunks_exact(tagged).all(|c| c.first() == Some(&2))
    {
        // Every row Up, as cross-reference streams are written: the rows
        // without their tags, then each byte plus the one a row above, in
        // one flat pass rather than row by row.
        let mut out = Vec::with_capacity(data.len() / tagged * row_len);
        for c in data.chunks_exact(tagged) {
            out.extend_from_slice(c.get(1..).unwrap_or_default());
        }
        for j in row_len..out.len() {
            let up = out[j - row_len];
            out[j] = out[j].wrapping_add(up);
        }
        return Ok(out);
    }
    let rows = data.len().div_ceil(tagged);
    let mut out = vec![0u8; rows.saturating_mul(row_len)];
    for (r, chunk) in data.chunks(tagged).enumerate() {
        let Some((&kind, row)) = chunk.split_first() else {
            break;
        };
        let at = r * row_len;
        // The rows decoded so far, and this one (zero-padded).
        let (done, rest) = out.split_at_mut(at);
        let prev = done.get(at.saturating_sub(row_len)..).filter(|_| r > 0);
        let cur = rest.get_mut(..row_len).ok_or(PdfError::Decode)?;
        if let Some(head) = cur.get_mut(..row.len()) {
            head.copy_from_slice(row);
        }
        let up = |i: usize| prev.and_then(|p| p.get(i)).copied().unwrap_or(0);
        match kind {
            0 => {}
            1 => {
                for i in bpp..row_len {
                    let a = cur.get(i - bpp).copied().unwrap_or(0);
                    if let Some(x) = cur.get_mut(i) {
                        *x = x.wrapping_add(a);
                    }
                }
            }
            2 => {
                if let Some(p) = prev {
                    for (x, &b) in cur.iter_mut().zip(p) {
                        *x = x.wrapping_add(b);
                    }
                }
            }
            3 | 4 => {
                for i in 0..row_len {
                    let a = match i.checked_sub(bpp) {
                        Some(j) => cur.get(j).copied().unwrap_or(0),
                        None => 0,
                    };
                    let b = up(i);
                    let add = if kind == 3 {
                        ((u16::from(a) + u16::from(b)) / 2) as u8
                    } else {
                        let c = i.checked_sub(bpp).map_or(0, up);
                        paeth(a, b, c)
                    };
                    if let Some(x) = cur.get_mut(i) {
                        *x = x.wrapping_add(add);
                    }
                }
            }
            _ => return Err(PdfError::Decode),
        }
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let pa = (p - i16::from(a)).abs();
    let pb = (p - i16::from(b)).abs();
    let pc = (p - i16::from(c)).abs();
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Compress with zlib at the default level.
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flate_roundtrip_and_bomb_limit() {
        let data = vec![0u8; 1 << 20];
        let z = deflate(&data);
        let mut d = Dict::new();
        d.set(b"Filter", Object::name("FlateDecode"));
        assert_eq!(decode_stream(&d, &z, 1 << 21).unwrap().len(), 1 << 20);
        assert!(matches!(
            decode_stream(&d, &z, 1000),
            Err(PdfError::LimitExceeded { .. })
        ));
    }

    #[test]
    fn flate_ending_at_a_sync_flush_is_read_and_truncation_is_not() {
        use std::io::Write;
        let data: Vec<u8> = (0..5000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut d = Dict::new();
        d.set(b"Filter", Object::name("FlateDecode"));
        // A writer that sync-flushes and never finishes the stream.
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&data).unwrap();
        enc.flush().unwrap();
        let flushed = enc.get_ref().clone();
        assert!(flushed.ends_with(&[0, 0, 0xff, 0xff]));
        assert_eq!(decode_stream(&d, &flushed, 1 << 20).unwrap(), data);
        assert!(matches!(
            decode_stream(&d, &flushed, 1000),
            Err(PdfError::LimitExceeded { .. })
        ));
        // Cut anywhere else (here inside a block, and the finished stream
        // without its checksum): refused.
        let full = deflate(&data);
        for cut in [&flushed[..flushed.len() / 2], &full[..full.len() - 4]] {
            assert!(matches!(
                decode_stream(&d, cut, 1 << 20),
                Err(PdfError::Decode)
            ));
        }
        // A finished stream with bytes after it reads as before.
        let mut trailing = full.clone();
        trailing.extend_from_slice(b"\r\n");
        assert_eq!(decode_stream(&d, &trailing, 1 << 20).unwrap(), data);
    }

    /// The PNG predictors row by row, as the specification states them:
    /// the reference the in-place decoder is held to.
    fn png_reference(data: &[u8], row_len: usize, bpp: usize) -> Result<Vec<u8>, PdfError> {
        let mut out = Vec::new();
        let mut prev = vec![0u8; row_len];
        for chunk in data.chunks(row_len + 1) {
            let (&kind, row) = chunk.split_first().unwrap();
            let mut cur = row.to_vec();
            cur.resize(row_len, 0);
            for i in 0..row_len {
                let a = if i >= bpp { cur[i - bpp] } else { 0 };
                let b = prev[i];
                let c = if i >= bpp { prev[i - bpp] } else { 0 };
                cur[i] = cur[i].wrapping_add(match kind {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                    4 => paeth(a, b, c),
                    _ => return Err(PdfError::Decode),
                });
            }
            out.extend_from_slice(&cur);
            prev = cur;
        }
        Ok(out)
    }

    proptest::proptest! {
        /// Any data, row length and bytes per pixel, with filter types
        /// mostly valid: the in-place decoder gives the reference's bytes,
        /// or fails where it fails.
        #[test]
        fn png_predictors_match_the_reference(
            data in proptest::collection::vec(
                proptest::prop_oneof![8 => 0u8..5, 1 => proptest::prelude::any::<u8>()],
                0..400,
            ),
            row_len in 1usize..24,
            bpp in 1usize..9,
        ) {
            let got = png_unpredict(&data, row_len, bpp);
            let want = png_reference(&data, row_len, bpp);
            proptest::prop_assert_eq!(format!("{got:?}"), format!("{want:?}"));
        }
    }

    #[test]
    fn png_up_predictor() {
        let mut p = Dict::new();
        p.set(b"Predictor", Object::Int(12));
        p.set(b"Columns", Object::Int(2));
        let data = [2, 1, 2, 2, 1, 1];
        assert_eq!(unpredict(&data, &p, 4).unwrap(), vec![1, 2, 2, 3]);
        // One byte of data under rows of 2^20 columns of 32 colours of 16
        // bits: the padded row alone is past a 1 MiB limit.
        p.set(b"Columns", Object::Int(1 << 20));
        p.set(b"Colors", Object::Int(32));
        p.set(b"BitsPerComponent", Object::Int(16));
        assert!(matches!(
            unpredict(&[2], &p, 1 << 20),
            Err(PdfError::LimitExceeded {
                limit: Limit::DecompressedStream,
                ..
            })
        ));
    }
}
