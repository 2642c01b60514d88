//! Drawing a visible signature stamp: optional image, optional QR code and
//! text lines in an embedded font, left to right inside the widget rectangle.

use std::fmt::Write as _;

use super::filter::deflate;
use super::font::{Face, FontError, FontUse};
use super::object::{Dict, Object, Ref, format_real};
use super::sigfield::{Appearance, ExtraObject};

/// An image for the stamp, already validated.
pub(crate) enum StampImage {
    Jpeg {
        data: Vec<u8>,
        width: u16,
        height: u16,
        components: usize,
    },
    Raw {
        samples: Vec<u8>,
        alpha: Option<Vec<u8>>,
        width: u32,
        height: u32,
        color: bool,
    },
}

/// What to draw.
pub(crate) struct StampSpec<'a> {
    pub rect: [f64; 4],
    pub lines: &'a [String],
    /// Indices of lines drawn in bold.
    pub bold_lines: &'a [usize],
    pub qr: Option<&'a [bool]>,
    pub qr_width: usize,
    pub image: Option<&'a StampImage>,
    pub border: bool,
}

fn n(v: f64) -> String {
    format_real(v)
}

/// Build the appearance; `alloc` hands out object numbers.
pub(crate) fn draw(
    spec: &StampSpec<'_>,
    alloc: &mut dyn FnMut() -> Ref,
) -> Result<Appearance, FontError> {
    let w = (spec.rect[2] - spec.rect[0]).abs();
    let h = (spec.rect[3] - spec.rect[1]).abs();
    let pad = (h * 0.06).clamp(1.0, 4.0);
    let mut content = String::new();
    let mut resources = Dict::new();
    let mut xobjects = Dict::new();
    let mut objects = Vec::new();
    let mut x = pad;
    let inner_h = (h - 2.0 * pad).max(1.0);

    if spec.border {
        let _ = writeln!(
            content,
            "q 0.6 w 0.2 0.2 0.2 RG 0.3 0.3 {} {} re S Q",
            n(w - 0.6),
            n(h - 0.6)
        );
    }
    if let Some(img) = spec.image {
        let (iw, ih) = match img {
            StampImage::Jpeg { width, height, .. } => (f64::from(*width), f64::from(*height)),
            StampImage::Raw { width, height, .. } => (f64::from(*width), f64::from(*height)),
        };
        let scale = (inner_h / ih).min((w * 0.3) / iw);
        let (dw, dh) = (iw * scale, ih * scale);
        let r = alloc();
        objects.extend(image_objects(img, r, alloc));
        xobjects.set(b"Im1", Object::Ref(r));
        let _ = writeln!(
            content,
            "q {} 0 0 {} {} {} cm /Im1 Do Q",
            n(dw),
            n(dh),
            n(x),
            n(pad + (inner_h - dh) / 2.0)
        );
        x += dw + pad;
    }
    if let Some(modules) = spec.qr {
        let side = inner_h.min(w - x - pad);
        let count = spec.qr_width + 4; // two modules of quiet zone each side
        // Usize module counts are tiny (at most 177 + 4).
        #[allow(clippy::cast_precision_loss)]
        let m = side / count as f64;
        let _ = writeln!(
            content,
            "q 1 g {} {} {} {} re f",
            n(x),
            n(pad + (inner_h - side) / 2.0),
            n(side),
            n(side)
        );
        content.push_str("0 g\n");
        let y0 = pad + (inner_h - side) / 2.0;
        for row in 0..spec.qr_width {
            let mut col = 0;
            while col < spec.qr_width {
                if spec
                    .qr
                    .and_then(|q| q.get(row * spec.qr_width + col))
                    .copied()
                    .unwrap_or(false)
                {
                    let start = col;
                    while col < spec.qr_width
                        && modules
                            .get(row * spec.qr_width + col)
                            .copied()
                            .unwrap_or(false)
                    {
                        col += 1;
                    }
                    #[allow(clippy::cast_precision_loss)]
                    let (cx, cy, cw) = (
                        x + (start + 2) as f64 * m,
                        y0 + (count - 3 - row) as f64 * m,
                        (col - start) as f64 * m,
                    );
                    let _ = writeln!(content, "{} {} {} {} re", n(cx), n(cy), n(cw), n(m));
                } else {
                    col += 1;
                }
            }
        }
        content.push_str("f Q\n");
        x += side + pad;
    }
    if !spec.lines.is_empty() {
        let mut regular = FontUse::new(Face::Regular)?;
        let mut bold = FontUse::new(Face::Bold)?;
        let avail_w = (w - x - pad).max(1.0);
        // Largest size (9 pt down to 5 pt) at which the lines, wrapped at
        // word boundaries to the available width, fit the height.
        let wrap = |size: f64, reg: &FontUse, bld: &FontUse| -> Vec<(String, bool)> {
            let mut laid: Vec<(String, bool)> = Vec::new();
            for (i, line) in spec.lines.iter().enumerate() {
                let is_bold = spec.bold_lines.contains(&i);
                let font = if is_bold { bld } else { reg };
                let mut cur = String::new();
                for word in line.split(' ') {
                    let candidate = if cur.is_empty() {
                        word.to_string()
                    } else {
                        format!("{cur} {word}")
                    };
                    if font.width(&candidate, size) > avail_w && !cur.is_empty() {
                        laid.push((std::mem::take(&mut cur), is_bold));
                        cur = word.to_string();
                    } else {
                        cur = candidate;
                    }
                }
                laid.push((cur, is_bold));
            }
            laid
        };
        let mut size = 9.0f64;
        let mut laid = wrap(size, &regular, &bold);
        while size > 5.0 {
            #[allow(clippy::cast_precision_loss)]
            let block = laid.len() as f64 * size * 1.2;
            let widest = laid
                .iter()
                .map(|(l, b)| {
                    if *b {
                        bold.width(l, size)
                    } else {
                        regular.width(l, size)
                    }
                })
                .fold(0.0f64, f64::max);
            if block <= inner_h && widest <= avail_w {
                break;
            }
            size -= 0.25;
            laid = wrap(size, &regular, &bold);
        }
        let leading = size * 1.2;
        #[allow(clippy::cast_precision_loss)]
        let block_h = laid.len() as f64 * leading;
        let top = pad + inner_h - ((inner_h - block_h).max(0.0) / 2.0);
        let mut y = top - regular.ascent(size);
        content.push_str("BT 0 g\n");
        for (text, is_bold) in &laid {
            let (font, name) = if *is_bold {
                (&mut bold, "F2")
            } else {
                (&mut regular, "F1")
            };
            let hex = crate::pdf::object::hex_upper(&font.encode(text));
            let _ = writeln!(
                content,
                "/{name} {} Tf 1 0 0 1 {} {} Tm <{hex}> Tj",
                n(size),
                n(x),
                n(y)
            );
            y -= leading;
        }
        content.push_str("ET\n");
        let mut fonts = Dict::new();
        fonts.set(b"F1", Object::Ref(regular.objects(alloc, &mut objects)?));
        if laid.iter().any(|(_, b)| *b) {
            fonts.set(b"F2", Object::Ref(bold.objects(alloc, &mut objects)?));
        }
        resources.set(b"Font", Object::Dict(fonts));
    }
    if xobjects.len() > 0 {
        resources.set(b"XObject", Object::Dict(xobjects));
    }
    Ok(Appearance {
        content: content.into_bytes(),
        resources,
        objects,
    })
}

fn image_objects(img: &StampImage, r: Ref, alloc: &mut dyn FnMut() -> Ref) -> Vec<ExtraObject> {
    let mut out = Vec::new();
    let mut d = Dict::new();
    d.set(b"Type", Object::name("XObject"));
    d.set(b"Subtype", Object::name("Image"));
    d.set(b"BitsPerComponent", Object::Int(8));
    match img {
        StampImage::Jpeg {
            data,
            width,
            height,
            components,
        } => {
            d.set(b"Width", Object::Int(i64::from(*width)));
            d.set(b"Height", Object::Int(i64::from(*height)));
            d.set(
                b"ColorSpace",
                Object::name(match components {
                    1 => "DeviceGray",
                    4 => "DeviceCMYK",
                    _ => "DeviceRGB",
                }),
            );
            d.set(b"Filter", Object::name("DCTDecode"));
            out.push(ExtraObject {
                r,
                dict: d,
                stream: Some(data.clone()),
            });
        }
        StampImage::Raw {
            samples,
            alpha,
            width,
            height,
            color,
        } => {
            d.set(b"Width", Object::Int(i64::from(*width)));
            d.set(b"Height", Object::Int(i64::from(*height)));
            d.set(
                b"ColorSpace",
                Object::name(if *color { "DeviceRGB" } else { "DeviceGray" }),
            );
            d.set(b"Filter", Object::name("FlateDecode"));
            if let Some(a) = alpha {
                let sm = alloc();
                let mut m = Dict::new();
                m.set(b"Type", Object::name("XObject"));
                m.set(b"Subtype", Object::name("Image"));
                m.set(b"Width", Object::Int(i64::from(*width)));
                m.set(b"Height", Object::Int(i64::from(*height)));
                m.set(b"ColorSpace", Object::name("DeviceGray"));
                m.set(b"BitsPerComponent", Object::Int(8));
                m.set(b"Filter", Object::name("FlateDecode"));
                out.push(ExtraObject {
                    r: sm,
                    dict: m,
                    stream: Some(deflate(a)),
                });
                d.set(b"SMask", Object::Ref(sm));
            }
            out.push(ExtraObject {
                r,
                dict: d,
                stream: Some(deflate(samples)),
            });
        }
    }
    out
}
