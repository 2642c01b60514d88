//! Layout of a naskah dinas on A4 pages.

use chrono::{Datelike, NaiveDate};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, Stream, dictionary};
use std::io::Write;

use super::text::{Align, Canvas, Font, real, text_width, wrap};
use super::{FontFamily, RenderError, RenderOptions, RenderedLetter, SignatureArea, image};
use crate::letter::{Letter, Security, SignatureMode, Urgency};

/// A4 in points (ISO 216: 210 × 297 mm).
const PAGE_W: f64 = 595.276;
const PAGE_H: f64 = 841.89;
const LEFT: f64 = 70.87; // 2.5 cm
const RIGHT: f64 = PAGE_W - 56.69; // 2 cm
const TOP: f64 = PAGE_H - 42.52; // 1.5 cm
const BOTTOM: f64 = 42.52;
const FOOTER_SIZE: f64 = 7.0;
const LABEL_COL: f64 = 62.0;

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// "10 Maret 2025".
pub(crate) fn indonesian_date(d: NaiveDate) -> String {
    let m = MONTHS.get(d.month0() as usize).copied().unwrap_or_default();
    format!("{} {} {}", d.day(), m, d.year())
}

struct Layout<'a> {
    canvas: Canvas,
    y: f64,
    regular: Font,
    size: f64,
    line: f64,
    bottom_limit: f64,
    footer: Vec<String>,
    opts: &'a RenderOptions,
}

impl Layout<'_> {
    fn page_break(&mut self) {
        let n = self.canvas.new_page();
        self.y = TOP;
        self.canvas.text(
            PAGE_W / 2.0,
            self.y - self.size,
            self.regular,
            self.size,
            Align::Center,
            &format!("- {} -", n + 1),
        );
        self.y -= self.line * 2.0;
    }

    /// Makes room for `height` points, breaking the page if needed.
    fn ensure(&mut self, height: f64) {
        if self.y - height < self.bottom_limit {
            self.page_break();
        }
    }

    /// Advances one line and returns its baseline.
    fn next_line(&mut self) -> f64 {
        self.ensure(self.line);
        self.y -= self.line;
        self.y + self.line * 0.25
    }

    /// The finished pages, each with the footer (if any) appended.
    fn finish(self) -> Vec<Vec<lopdf::content::Operation>> {
        let mut out = Vec::new();
        for mut ops in self.canvas.into_pages() {
            if !self.footer.is_empty() {
                let mut c = Canvas::new();
                let lh = FOOTER_SIZE * 1.25;
                let top = BOTTOM + lh * self.footer.len() as f64 + 2.0;
                c.line(LEFT, top, RIGHT, top, 0.5);
                for (j, l) in self.footer.iter().enumerate() {
                    let y = top - 2.0 - lh * (j as f64 + 1.0) + 1.5;
                    c.text(LEFT, y, self.regular, FOOTER_SIZE, Align::Left, l);
                }
                ops.extend(c.into_pages().into_iter().flatten());
            }
            out.push(ops);
        }
        out
    }
}

/// Renders `letter` to an A4 PDF 1.7.
///
/// Draft letters (without number or date) render with the number left blank
/// and only the place on the date line. The footer is printed only when the
/// signature block is electronic.
pub fn letter_pdf(letter: &Letter, opts: &RenderOptions) -> Result<RenderedLetter, RenderError> {
    if !(8.0..=16.0).contains(&opts.font_size) {
        return Err(RenderError::InvalidOption {
            option: "font_size",
            reason: "must be between 8 and 16 points",
        });
    }
    let (sw, sh) = opts.stamp_size;
    if !(20.0..=260.0).contains(&sw) || !(20.0..=200.0).contains(&sh) {
        return Err(RenderError::InvalidOption {
            option: "stamp_size",
            reason: "width must be 20-260 pt and height 20-200 pt",
        });
    }
    let (regular, bold) = match opts.font {
        FontFamily::Helvetica => (Font::Helvetica, Font::HelveticaBold),
        FontFamily::Times => (Font::TimesRoman, Font::TimesBold),
    };
    let electronic = letter.signature().mode() == SignatureMode::Electronic;
    let footer: Vec<String> = match (&opts.footer, electronic) {
        (Some(f), true) => f
            .lines()
            .iter()
            .flat_map(|l| wrap(regular, FOOTER_SIZE, l, RIGHT - LEFT))
            .collect(),
        _ => Vec::new(),
    };
    let footer_h = if footer.is_empty() {
        0.0
    } else {
        FOOTER_SIZE * 1.25 * footer.len() as f64 + 10.0
    };
    let logo = match &opts.letterhead.logo {
        Some(bytes) => Some(image::load(bytes)?),
        None => None,
    };

    let size = opts.font_size;
    let mut l = Layout {
        canvas: Canvas::new(),
        y: TOP,
        regular,
        size,
        line: size * 1.4,
        bottom_limit: BOTTOM + footer_h + 6.0,
        footer,
        opts,
    };

    // Kop surat.
    let logo_box = 64.0;
    let text_left = if logo.is_some() {
        LEFT + logo_box + 8.0
    } else {
        LEFT
    };
    let center = (text_left + RIGHT) / 2.0;
    let mut y = TOP;
    let head = &l.opts.letterhead;
    let n_lines = head.lines.len();
    for (i, line) in head.lines.iter().enumerate() {
        let s = if i + 1 == n_lines { 15.0 } else { 13.0 };
        for part in wrap(bold, s, line, RIGHT - text_left) {
            y -= s * 1.2;
            l.canvas.text(center, y, bold, s, Align::Center, &part);
        }
    }
    for line in &head.address {
        for part in wrap(regular, 9.0, line, RIGHT - text_left) {
            y -= 9.0 * 1.3;
            l.canvas.text(center, y, regular, 9.0, Align::Center, &part);
        }
    }
    let mut logo_xobject = None;
    if let Some(img) = logo {
        let (w, h) = (f64::from(img.width), f64::from(img.height));
        let scale = logo_box / w.max(h);
        let (dw, dh) = (w * scale, h * scale);
        let top_text = TOP;
        let ly = top_text - dh - (logo_box - dh) / 2.0;
        l.canvas
            .image("Im1", LEFT + (logo_box - dw) / 2.0, ly, dw, dh);
        y = y.min(top_text - logo_box);
        logo_xobject = Some(img);
    }
    y -= 6.0;
    l.canvas.line(LEFT, y, RIGHT, y, 2.0);
    l.canvas.line(LEFT, y - 3.0, RIGHT, y - 3.0, 0.6);
    l.y = y - 3.0 - size * 0.8;

    // Tempat, tanggal (right) on the same line as Nomor.
    let date_line = match letter.date() {
        Some(d) => format!("{}, {}", letter.place(), indonesian_date(d)),
        None => format!("{},", letter.place()),
    };
    let labels: Vec<(&str, String)> = {
        let mut v = vec![
            ("Nomor", letter.number().unwrap_or("").to_owned()),
            ("Sifat", sifat(letter)),
            (
                "Lampiran",
                letter
                    .attachment()
                    .map_or_else(|| "-".to_owned(), ToString::to_string),
            ),
        ];
        if letter.kind().has_subject_line() {
            v.push(("Hal", letter.subject().unwrap_or("-").to_owned()));
        }
        v
    };
    let value_x = LEFT + LABEL_COL + 8.0;
    let value_w = (RIGHT - LEFT) * 0.62 - LABEL_COL - 8.0;
    for (i, (label, value)) in labels.iter().enumerate() {
        let lines = wrap(regular, size, value, value_w);
        let base = l.next_line();
        l.canvas.text(LEFT, base, regular, size, Align::Left, label);
        l.canvas
            .text(LEFT + LABEL_COL, base, regular, size, Align::Left, ":");
        if i == 0 {
            l.canvas
                .text(RIGHT, base, regular, size, Align::Right, &date_line);
        }
        for (j, part) in lines.iter().enumerate() {
            let b = if j == 0 { base } else { l.next_line() };
            l.canvas.text(value_x, b, regular, size, Align::Left, part);
        }
    }

    // Yth.
    l.y -= l.line;
    let addressees = letter.addressees();
    let yth_w = text_width(regular, size, "Yth. ");
    let addr_w = (RIGHT - LEFT) * 0.6;
    let many = addressees.len() > 1;
    for (i, a) in addressees.iter().enumerate() {
        let (prefix, text) = if many {
            let sep = if i + 1 == addressees.len() { "" } else { ";" };
            (format!("{}. ", i + 1), format!("{}{sep}", a.name()))
        } else {
            (String::new(), a.name().to_owned())
        };
        let pw = text_width(regular, size, &prefix);
        for (j, part) in wrap(regular, size, &text, addr_w - pw).iter().enumerate() {
            let b = l.next_line();
            if i == 0 && j == 0 {
                l.canvas.text(LEFT, b, regular, size, Align::Left, "Yth.");
            }
            if j == 0 {
                l.canvas
                    .text(LEFT + yth_w, b, regular, size, Align::Left, &prefix);
            }
            l.canvas
                .text(LEFT + yth_w + pw, b, regular, size, Align::Left, part);
        }
    }
    let place = letter
        .destination()
        .or_else(|| addressees.iter().find_map(|a| a.place()));
    if let Some(p) = place {
        let b = l.next_line();
        l.canvas.text(LEFT, b, regular, size, Align::Left, "di");
        let b = l.next_line();
        l.canvas
            .text(LEFT + yth_w + 12.0, b, regular, size, Align::Left, p);
    }

    // Isi.
    l.y -= l.line * 0.6;
    let indent = 36.0;
    for para in letter.body() {
        let width = RIGHT - LEFT;
        // wrap the first line narrower by the indent
        let lines = wrap_with_indent(regular, size, para, width, indent);
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let b = l.next_line();
            let x = if i == 0 { LEFT + indent } else { LEFT };
            let avail = if i == 0 { width - indent } else { width };
            let spaces = line.matches(' ').count();
            let tw = if i + 1 < n && spaces > 0 {
                ((avail - text_width(regular, size, line)) / spaces as f64).clamp(0.0, size)
            } else {
                0.0
            };
            l.canvas
                .text_spaced(x, b, regular, size, Align::Left, line, tw);
        }
        l.y -= l.line * 0.4;
    }

    // Blok tanda tangan.
    let block = letter.signature();
    let cap = block.capacity_lines();
    let names = block.name_lines(letter.kind());
    let col_left = PAGE_W * 0.52;
    let col_w = RIGHT - col_left;
    let col_c = col_left + col_w / 2.0;
    let stamp_w = sw.min(col_w);
    let cap_lines: usize = cap
        .iter()
        .map(|c| wrap(regular, size, c, col_w).len())
        .sum();
    let needed = l.line * (cap_lines + names.len() + 1) as f64 + sh + 8.0;
    l.y -= l.line * 0.6;
    l.ensure(needed);
    for part in cap.iter().flat_map(|c| wrap(regular, size, c, col_w)) {
        let b = l.next_line();
        l.canvas.text(col_c, b, regular, size, Align::Center, &part);
    }
    let stamp_top = l.y - 4.0;
    let rect = [
        col_c - stamp_w / 2.0,
        stamp_top - sh,
        col_c + stamp_w / 2.0,
        stamp_top,
    ];
    let area = electronic.then(|| SignatureArea {
        page: l.canvas.page_count() - 1,
        rect: rect.map(|v| (v * 100.0).round() / 100.0),
    });
    l.y = stamp_top - sh - 4.0;
    for (i, n) in names.iter().enumerate() {
        let b = l.next_line();
        let f = if i == 0 { bold } else { regular };
        l.canvas.text(col_c, b, f, size, Align::Center, n);
    }

    // Tembusan.
    let copies = letter.copies();
    if !copies.is_empty() {
        l.y -= l.line;
        l.ensure(l.line * 2.0);
        let b = l.next_line();
        l.canvas
            .text(LEFT, b, regular, size, Align::Left, "Tembusan:");
        let many = copies.len() > 1;
        for (i, c) in copies.iter().enumerate() {
            let end = if i + 1 == copies.len() { "." } else { ";" };
            let prefix = if many {
                format!("{}. ", i + 1)
            } else {
                String::new()
            };
            let pw = text_width(regular, size, &prefix);
            let text = format!("{}{end}", c.name());
            for (j, part) in wrap(regular, size, &text, RIGHT - LEFT - pw)
                .iter()
                .enumerate()
            {
                let b = l.next_line();
                if j == 0 {
                    l.canvas.text(LEFT, b, regular, size, Align::Left, &prefix);
                }
                l.canvas
                    .text(LEFT + pw, b, regular, size, Align::Left, part);
            }
        }
    }

    let pages_n = l.canvas.page_count();
    let pages = l.finish();
    let pdf = write_pdf(pages, regular, bold, logo_xobject, letter)?;
    Ok(RenderedLetter {
        pdf,
        pages: pages_n,
        signature_area: area,
    })
}

/// Sifat line: the security classification, and the urgency when it is not
/// ordinary ("Segera", "Rahasia, Amat Segera").
fn sifat(letter: &Letter) -> String {
    match (letter.security(), letter.urgency()) {
        (s, Urgency::Ordinary) => s.to_string(),
        (Security::Ordinary, u) => u.to_string(),
        (s, u) => format!("{s}, {u}"),
    }
}

/// Wraps a paragraph whose first line is indented by `indent`.
fn wrap_with_indent(font: Font, size: f64, text: &str, width: f64, indent: f64) -> Vec<String> {
    let first = wrap(font, size, text, width - indent);
    let Some(head) = first.first() else {
        return Vec::new();
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let k = head.split_whitespace().count();
    if words.get(..k).map(|w| w.join(" ")).as_deref() != Some(head.as_str()) {
        // an over-long word was split between characters
        return first;
    }
    let mut out = vec![head.clone()];
    out.extend(wrap(
        font,
        size,
        &words.get(k..).unwrap_or_default().join(" "),
        width,
    ));
    out
}

fn write_pdf(
    pages: Vec<Vec<lopdf::content::Operation>>,
    regular: Font,
    bold: Font,
    logo: Option<image::PdfImage>,
    letter: &Letter,
) -> Result<Vec<u8>, RenderError> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut fonts = Dictionary::new();
    for f in Font::ALL {
        if f == regular || f == bold {
            let id = doc.add_object(dictionary! {
                "Type" => "Font",
                "Subtype" => "Type1",
                "BaseFont" => Object::Name(f.base_font().as_bytes().to_vec()),
                "Encoding" => "WinAnsiEncoding",
            });
            fonts.set(f.resource_name(), id);
        }
    }
    let mut resources = dictionary! { "Font" => fonts };
    if let Some(img) = logo {
        let id = image::add_to(&mut doc, img);
        resources.set("XObject", dictionary! { "Im1" => id });
    }
    let resources_id = doc.add_object(resources);
    let mut kids = Vec::new();
    for ops in pages {
        let data = Content { operations: ops }
            .encode()
            .map_err(RenderError::Pdf)?;
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(&data)
            .map_err(|e| RenderError::Pdf(lopdf::Error::IO(e)))?;
        let compressed = z
            .finish()
            .map_err(|e| RenderError::Pdf(lopdf::Error::IO(e)))?;
        let stream = Stream::new(dictionary! { "Filter" => "FlateDecode" }, compressed)
            .with_compression(false);
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), real(PAGE_W), real(PAGE_H)],
            "Contents" => content_id,
            "Resources" => resources_id,
        });
        kids.push(Object::Reference(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    let title = match (letter.subject(), letter.number()) {
        (Some(s), _) => s.to_owned(),
        (None, Some(n)) => format!("{} {n}", letter.kind()),
        (None, None) => letter.kind().to_string(),
    };
    let info_id = doc.add_object(dictionary! {
        "Title" => lopdf::text_string(&title),
        "Producer" => lopdf::text_string("surat"),
    });
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| RenderError::Pdf(lopdf::Error::IO(e)))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::content::tests::sample_letter;
    use crate::render::Letterhead;

    #[test]
    fn dates_in_indonesian() {
        assert_eq!(
            indonesian_date(NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()),
            "10 Maret 2025"
        );
    }

    #[test]
    fn renders_pdf_with_signature_area() {
        let letter = sample_letter();
        let opts = RenderOptions::new(
            Letterhead::new([
                "PEMERINTAH KABUPATEN KUDUS",
                "DINAS KOMUNIKASI DAN INFORMATIKA",
            ])
            .logo(crate::render::image::tests::sample_png(32)),
        );
        let r = letter_pdf(&letter, &opts).unwrap();
        assert!(r.pdf().starts_with(b"%PDF-1.7"));
        let area = r.signature_area().unwrap();
        assert_eq!(area.page, 0);
        let [x1, y1, x2, y2] = area.rect;
        assert!(x1 > PAGE_W / 2.0 && x2 <= RIGHT && y1 > BOTTOM && y2 < TOP);
        assert!((x2 - x1 - 200.0).abs() < 0.01 && (y2 - y1 - 70.0).abs() < 0.01);
        let doc = Document::load_mem(r.pdf()).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
    }

    #[test]
    fn long_letters_break_pages_and_area_follows() {
        let mut b = sample_letter().to_builder();
        for i in 0..40 {
            b = b.paragraph(format!("Paragraf {i}: kegiatan transformasi digital dilaksanakan secara bertahap sesuai rencana kerja yang telah ditetapkan bersama perangkat daerah terkait."));
        }
        let letter = b.build().unwrap();
        let r = letter_pdf(&letter, &RenderOptions::new(Letterhead::new(["DINAS"]))).unwrap();
        assert!(r.page_count() >= 3, "{} pages", r.page_count());
        assert_eq!(r.signature_area().unwrap().page, r.page_count() - 1);
        let doc = Document::load_mem(r.pdf()).unwrap();
        assert_eq!(doc.get_pages().len(), r.page_count());
    }

    #[test]
    fn bad_options_are_errors() {
        let opts = RenderOptions::new(Letterhead::new(["X"])).font_size(40.0);
        assert!(matches!(
            letter_pdf(&sample_letter(), &opts),
            Err(RenderError::InvalidOption {
                option: "font_size",
                ..
            })
        ));
        let opts = RenderOptions::new(Letterhead::new(["X"]).logo(b"not an image".to_vec()));
        assert!(matches!(
            letter_pdf(&sample_letter(), &opts),
            Err(RenderError::UnsupportedImage { .. })
        ));
    }
}
