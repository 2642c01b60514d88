//! Embedded TrueType subsets for stamp text (ISO 32000-2 §9.7: a Type 0 font
//! with Identity-H encoding over a CIDFontType2, a ToUnicode CMap so text is
//! searchable, and only the glyphs used embedded as FontFile2).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::filter::deflate;
use super::object::{Dict, Object, PdfString, Ref};
use super::sigfield::ExtraObject;

/// Which embedded face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

impl Face {
    fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => include_bytes!("../../assets/fonts/DejaVuSans-latin.ttf"),
            Face::Bold => include_bytes!("../../assets/fonts/DejaVuSans-Bold-latin.ttf"),
        }
    }
    fn base_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSans",
            Face::Bold => "DejaVuSans-Bold",
        }
    }
}

/// Errors while embedding a font.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FontError {
    /// The bundled font could not be read (a build problem).
    #[error("bundled font unreadable")]
    Unreadable,
    /// Subsetting failed.
    #[error("font subsetting failed")]
    Subset,
}

/// A font being used on a stamp: collects glyphs as text is encoded.
pub(crate) struct FontUse {
    face: Face,
    remapper: subsetter::GlyphRemapper,
    /// new glyph id → (text it stands for, advance in 1/1000 em)
    used: BTreeMap<u16, (String, i64)>,
    units_per_em: f64,
    ascent: f64,
    descent: f64,
    bbox: [f64; 4],
    cap_height: f64,
}

impl FontUse {
    pub(crate) fn new(face: Face) -> Result<Self, FontError> {
        let f = ttf_parser::Face::parse(face.data(), 0).map_err(|_| FontError::Unreadable)?;
        let upem = f64::from(f.units_per_em());
        let scale = |v: i16| f64::from(v) * 1000.0 / upem;
        let b = f.global_bounding_box();
        Ok(FontUse {
            face,
            remapper: subsetter::GlyphRemapper::new(),
            used: BTreeMap::new(),
            units_per_em: upem,
            ascent: scale(f.ascender()),
            descent: scale(f.descender()),
            bbox: [
                scale(b.x_min),
                scale(b.y_min),
                scale(b.x_max),
                scale(b.y_max),
            ],
            cap_height: scale(f.capital_height().unwrap_or(700)),
        })
    }

    fn face(&self) -> Option<ttf_parser::Face<'static>> {
        ttf_parser::Face::parse(self.face.data(), 0).ok()
    }

    fn glyph(&self, f: &ttf_parser::Face<'_>, c: char) -> (u16, i64) {
        let gid = f
            .glyph_index(c)
            .or_else(|| f.glyph_index('?'))
            .map_or(0, |g| g.0);
        let adv = f.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0);
        let w = (f64::from(adv) * 1000.0 / self.units_per_em).round();
        // Rounded advance in thousandths of an em; always small.
        #[allow(clippy::cast_possible_truncation)]
        (gid, w as i64)
    }

    /// Width of `text` at `size` points.
    pub(crate) fn width(&self, text: &str, size: f64) -> f64 {
        let Some(f) = self.face() else { return 0.0 };
        let total: i64 = text.chars().map(|c| self.glyph(&f, c).1).sum();
        // Small sums; precision loss impossible in practice.
        #[allow(clippy::cast_precision_loss)]
        let total = total as f64;
        total * size / 1000.0
    }

    /// Encode `text` as a hex string of 2-byte CIDs, recording the glyphs.
    pub(crate) fn encode(&mut self, text: &str) -> Vec<u8> {
        let Some(f) = self.face() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in text.chars() {
            let (gid, w) = self.glyph(&f, c);
            let new = self.remapper.remap(gid);
            self.used.entry(new).or_insert_with(|| (c.to_string(), w));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    pub(crate) fn ascent(&self, size: f64) -> f64 {
        self.ascent * size / 1000.0
    }

    /// Write the font objects; `alloc` hands out object numbers. Returns the
    /// Type 0 font reference.
    pub(crate) fn objects(
        &self,
        alloc: &mut dyn FnMut() -> Ref,
        out: &mut Vec<ExtraObject>,
    ) -> Result<Ref, FontError> {
        let subset = subsetter::subset(self.face.data(), 0, &self.remapper)
            .map_err(|_| FontError::Subset)?;
        let tag = subset_tag(&self.used);
        let name = format!("{tag}+{}", self.face.base_name());
        let type0 = alloc();
        let cid = alloc();
        let desc = alloc();
        let file = alloc();
        let tounicode = alloc();

        let mut ff = Dict::new();
        ff.set(
            b"Length1",
            Object::Int(i64::try_from(subset.len()).unwrap_or(0)),
        );
        ff.set(b"Filter", Object::name("FlateDecode"));
        out.push(ExtraObject {
            r: file,
            dict: ff,
            stream: Some(deflate(&subset)),
        });

        let mut fd = Dict::new();
        fd.set(b"Type", Object::name("FontDescriptor"));
        fd.set(b"FontName", Object::Name(name.clone().into_bytes()));
        fd.set(b"Flags", Object::Int(32));
        fd.set(
            b"FontBBox",
            Object::Array(self.bbox.iter().map(|&v| Object::real(v)).collect()),
        );
        fd.set(b"ItalicAngle", Object::Int(0));
        fd.set(b"Ascent", Object::real(self.ascent));
        fd.set(b"Descent", Object::real(self.descent));
        fd.set(b"CapHeight", Object::real(self.cap_height));
        fd.set(
            b"StemV",
            Object::Int(if self.face == Face::Bold { 120 } else { 80 }),
        );
        fd.set(b"FontFile2", Object::Ref(file));
        out.push(ExtraObject {
            r: desc,
            dict: fd,
            stream: None,
        });

        let mut widths = Vec::new();
        for (gid, (_, w)) in &self.used {
            widths.push(Object::Int(i64::from(*gid)));
            widths.push(Object::Array(vec![Object::Int(*w)]));
        }
        let mut info = Dict::new();
        info.set(
            b"Registry",
            Object::Str(PdfString::literal(b"Adobe".to_vec())),
        );
        info.set(
            b"Ordering",
            Object::Str(PdfString::literal(b"Identity".to_vec())),
        );
        info.set(b"Supplement", Object::Int(0));
        let mut cf = Dict::new();
        cf.set(b"Type", Object::name("Font"));
        cf.set(b"Subtype", Object::name("CIDFontType2"));
        cf.set(b"BaseFont", Object::Name(name.clone().into_bytes()));
        cf.set(b"CIDSystemInfo", Object::Dict(info));
        cf.set(b"FontDescriptor", Object::Ref(desc));
        cf.set(b"W", Object::Array(widths));
        cf.set(b"CIDToGIDMap", Object::name("Identity"));
        out.push(ExtraObject {
            r: cid,
            dict: cf,
            stream: None,
        });

        out.push(ExtraObject {
            r: tounicode,
            dict: Dict::new(),
            stream: Some(self.to_unicode_cmap().into_bytes()),
        });

        let mut t0 = Dict::new();
        t0.set(b"Type", Object::name("Font"));
        t0.set(b"Subtype", Object::name("Type0"));
        t0.set(b"BaseFont", Object::Name(name.into_bytes()));
        t0.set(b"Encoding", Object::name("Identity-H"));
        t0.set(b"DescendantFonts", Object::Array(vec![Object::Ref(cid)]));
        t0.set(b"ToUnicode", Object::Ref(tounicode));
        out.push(ExtraObject {
            r: type0,
            dict: t0,
            stream: None,
        });
        Ok(type0)
    }

    fn to_unicode_cmap(&self) -> String {
        let mut s = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<_> = self.used.iter().collect();
        for chunk in entries.chunks(100) {
            let _ = writeln!(s, "{} beginbfchar", chunk.len());
            for (gid, (text, _)) in chunk {
                let mut hex = String::new();
                for u in text.encode_utf16() {
                    let _ = write!(hex, "{u:04X}");
                }
                let _ = writeln!(s, "<{gid:04X}> <{hex}>");
            }
            s.push_str("endbfchar\n");
        }
        s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        s
    }
}

/// Six capital letters derived from the glyph set (ISO 32000-2 §9.9.2).
fn subset_tag(used: &BTreeMap<u16, (String, i64)>) -> String {
    let mut h: u32 = 2_166_136_261;
    for (g, (t, _)) in used {
        for b in g.to_be_bytes().iter().chain(t.as_bytes()) {
            h = (h ^ u32::from(*b)).wrapping_mul(16_777_619);
        }
    }
    (0..6)
        .map(|i| {
            let v = (h >> (i * 5)) % 26;
            char::from(b'A' + u8::try_from(v).unwrap_or(0))
        })
        .collect()
}
