//! Logo images (JPEG, PNG) turned into PDF image XObjects.

use std::io::{Read, Write};

use lopdf::{Object, Stream, dictionary};

use super::RenderError;

/// A decoded-enough image: the XObject stream and, for PNG with alpha, its soft mask.
pub(crate) struct PdfImage {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) stream: Stream,
    pub(crate) smask: Option<Stream>,
}

fn bad(reason: &'static str) -> RenderError {
    RenderError::InvalidImage { reason }
}

/// Budget for decompressed PNG data (a logo, not a photo archive).
const MAX_PIXELS_BYTES: usize = 64 * 1024 * 1024;

pub(crate) fn load(bytes: &[u8]) -> Result<PdfImage, RenderError> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else {
        Err(RenderError::UnsupportedImage {
            reason: "not a JPEG or PNG file",
        })
    }
}

/// JPEG: passed through with `/DCTDecode` (ISO 32000-1 §7.4.8); only the
/// frame header is read for size and colour components.
fn jpeg(b: &[u8]) -> Result<PdfImage, RenderError> {
    let mut i = 2usize;
    loop {
        let (Some(&ff), Some(&marker)) = (b.get(i), b.get(i + 1)) else {
            return Err(bad("jpeg has no frame header"));
        };
        if ff != 0xFF {
            return Err(bad("jpeg marker expected"));
        }
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([
            *b.get(i + 2).ok_or(bad("truncated jpeg"))?,
            *b.get(i + 3).ok_or(bad("truncated jpeg"))?,
        ]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let seg = b.get(i + 4..i + 2 + len).ok_or(bad("truncated jpeg"))?;
            let (&bits, h, w, &comps) = match seg {
                [bits, h0, h1, w0, w1, comps, ..] => (
                    bits,
                    u16::from_be_bytes([*h0, *h1]),
                    u16::from_be_bytes([*w0, *w1]),
                    comps,
                ),
                _ => return Err(bad("truncated jpeg")),
            };
            let cs = match comps {
                1 => "DeviceGray",
                3 => "DeviceRGB",
                4 => "DeviceCMYK",
                _ => return Err(bad("jpeg colour components")),
            };
            if w == 0 || h == 0 {
                return Err(bad("jpeg has zero size"));
            }
            let mut dict = dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => i64::from(w),
                "Height" => i64::from(h),
                "ColorSpace" => Object::Name(cs.as_bytes().to_vec()),
                "BitsPerComponent" => i64::from(bits),
                "Filter" => "DCTDecode",
            };
            if comps == 4 {
                // Adobe CMYK JPEGs are usually inverted.
                dict.set(
                    "Decode",
                    vec![
                        1.into(),
                        0.into(),
                        1.into(),
                        0.into(),
                        1.into(),
                        0.into(),
                        1.into(),
                        0.into(),
                    ],
                );
            }
            return Ok(PdfImage {
                width: u32::from(w),
                height: u32::from(h),
                stream: Stream::new(dict, b.to_vec()).with_compression(false),
                smask: None,
            });
        }
        i += 2 + len;
    }
}

fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| bad("png data does not inflate"))?;
    if out.len() > limit {
        return Err(RenderError::ImageTooLarge);
    }
    Ok(out)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Undoes PNG row filters (PNG spec §9) in place; returns rows without filter bytes.
fn unfilter(data: &[u8], stride: usize, bpp: usize, height: usize) -> Result<Vec<u8>, RenderError> {
    let mut out = vec![0u8; stride * height];
    for y in 0..height {
        let row_in = data
            .get(y * (stride + 1)..(y + 1) * (stride + 1))
            .ok_or(bad("png data too short"))?;
        let (filter, src) = row_in.split_first().ok_or(bad("png data too short"))?;
        let (done, rest) = out.split_at_mut(y * stride);
        let prev = if y == 0 {
            None
        } else {
            done.get((y - 1) * stride..)
        };
        let cur = rest.get_mut(..stride).ok_or(bad("png data too short"))?;
        for x in 0..stride {
            let a = if x >= bpp { cur[x - bpp] } else { 0 };
            let b = prev.map_or(0, |p| p[x]);
            let c = if x >= bpp {
                prev.map_or(0, |p| p[x - bpp])
            } else {
                0
            };
            let v = src[x];
            cur[x] = match filter {
                0 => v,
                1 => v.wrapping_add(a),
                2 => v.wrapping_add(b),
                3 => v.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                4 => v.wrapping_add(paeth(a, b, c)),
                _ => return Err(bad("png filter type")),
            };
        }
    }
    Ok(out)
}

/// PNG: 8-bit, non-interlaced greyscale, RGB, palette, grey+alpha or RGBA.
/// Alpha is split into a `/SMask` (ISO 32000-1 §11.6.5.3).
fn png(b: &[u8]) -> Result<PdfImage, RenderError> {
    let mut pos = 8usize;
    let mut ihdr = None;
    let mut palette = None;
    let mut idat = Vec::new();
    while let Some(len_bytes) = b.get(pos..pos + 4) {
        let len =
            u32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
        let kind = b.get(pos + 4..pos + 8).ok_or(bad("truncated png"))?;
        let data = b.get(pos + 8..pos + 8 + len).ok_or(bad("truncated png"))?;
        match kind {
            b"IHDR" => ihdr = Some(data.to_vec()),
            b"PLTE" => palette = Some(data.to_vec()),
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let h = ihdr.ok_or(bad("png has no header"))?;
    let [
        w0,
        w1,
        w2,
        w3,
        h0,
        h1,
        h2,
        h3,
        depth,
        color,
        _comp,
        _filter,
        interlace,
    ] = h[..]
    else {
        return Err(bad("png header size"));
    };
    let width = u32::from_be_bytes([w0, w1, w2, w3]);
    let height = u32::from_be_bytes([h0, h1, h2, h3]);
    if width == 0 || height == 0 {
        return Err(bad("png has zero size"));
    }
    if depth != 8 || interlace != 0 {
        return Err(RenderError::UnsupportedImage {
            reason: "only 8-bit non-interlaced png",
        });
    }
    let (channels, color_channels, cs): (usize, usize, Object) = match color {
        0 => (1, 1, "DeviceGray".into()),
        2 => (3, 3, "DeviceRGB".into()),
        3 => {
            let mut p = palette.ok_or(bad("palette png without palette"))?;
            let n = p.len() / 3;
            if n == 0 || n > 256 {
                return Err(bad("png palette size"));
            }
            p.truncate(n * 3);
            (
                1,
                1,
                Object::Array(vec![
                    "Indexed".into(),
                    "DeviceRGB".into(),
                    (n as i64 - 1).into(),
                    Object::String(p, lopdf::StringFormat::Hexadecimal),
                ]),
            )
        }
        4 => (2, 1, "DeviceGray".into()),
        6 => (4, 3, "DeviceRGB".into()),
        _ => return Err(bad("png colour type")),
    };
    let (w, hgt) = (width as usize, height as usize);
    let stride = w.checked_mul(channels).ok_or(RenderError::ImageTooLarge)?;
    let total = stride
        .checked_add(1)
        .and_then(|s| s.checked_mul(hgt))
        .ok_or(RenderError::ImageTooLarge)?;
    if total > MAX_PIXELS_BYTES {
        return Err(RenderError::ImageTooLarge);
    }
    let raw = inflate(&idat, total)?;
    let pixels = unfilter(&raw, stride, channels, hgt)?;
    let (colour, alpha) = if channels == color_channels {
        (pixels, None)
    } else {
        let mut c = Vec::with_capacity(w * hgt * color_channels);
        let mut a = Vec::with_capacity(w * hgt);
        for px in pixels.chunks_exact(channels) {
            let (col, al) = px.split_at(color_channels);
            c.extend_from_slice(col);
            a.extend_from_slice(al);
        }
        (c, Some(a))
    };
    let image_dict = |cs: Object| {
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => i64::from(width),
            "Height" => i64::from(height),
            "ColorSpace" => cs,
            "BitsPerComponent" => 8,
            "Filter" => "FlateDecode",
        }
    };
    let smask = alpha
        .map(|a| Stream::new(image_dict("DeviceGray".into()), deflate(&a)).with_compression(false));
    Ok(PdfImage {
        width,
        height,
        stream: Stream::new(image_dict(cs), deflate(&colour)).with_compression(false),
        smask,
    })
}

/// Adds the image (and its soft mask) to `doc`; returns the XObject id.
pub(crate) fn add_to(doc: &mut lopdf::Document, img: PdfImage) -> lopdf::ObjectId {
    let mut stream = img.stream;
    if let Some(mask) = img.smask {
        let mask_id = doc.add_object(mask);
        stream.dict.set("SMask", mask_id);
    }
    doc.add_object(stream)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A small RGBA PNG (a blue disc on transparent background), filter type 0.
    pub(crate) fn sample_png(size: u32) -> Vec<u8> {
        let mut raw = Vec::new();
        let c = size as f64 / 2.0;
        for y in 0..size {
            raw.push(0);
            for x in 0..size {
                let d = ((x as f64 - c).powi(2) + (y as f64 - c).powi(2)).sqrt();
                let inside = d < c - 1.0;
                raw.extend_from_slice(&[20, 60, 160, if inside { 255 } else { 0 }]);
            }
        }
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |kind: &[u8], data: &[u8]| {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend_from_slice(data);
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc32(&body).to_be_bytes());
        };
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&size.to_be_bytes());
        ihdr.extend_from_slice(&size.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        chunk(b"IDAT", &deflate(&raw));
        chunk(b"IEND", &[]);
        out
    }

    #[test]
    fn png_with_alpha_gets_smask() {
        let img = load(&sample_png(16)).unwrap();
        assert_eq!((img.width, img.height), (16, 16));
        assert!(img.smask.is_some());
        let rgb = inflate(&img.stream.content, 10_000).unwrap();
        assert_eq!(rgb.len(), 16 * 16 * 3);
    }

    #[test]
    fn unfilter_sub_and_up() {
        // 2 rows, 2 px gray: row0 Sub [10, 5] -> [10, 15]; row1 Up [1, 1] -> [11, 16]
        let data = [1, 10, 5, 2, 1, 1];
        assert_eq!(unfilter(&data, 2, 1, 2).unwrap(), vec![10, 15, 11, 16]);
    }

    #[test]
    fn jpeg_header_is_read() {
        // SOI, APP0 (len 4, 2 bytes payload), SOF0 8-bit 20x10 3 comps
        let jpg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 8, 0, 10, 0,
            20, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9,
        ];
        let img = load(&jpg).unwrap();
        assert_eq!((img.width, img.height), (20, 10));
        assert!(load(b"GIF89a").is_err());
        assert!(load(&[0xFF, 0xD8, 0xFF]).is_err());
    }
}
