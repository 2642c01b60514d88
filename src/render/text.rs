//! Text helpers for PDF rendering with the standard 14 fonts: WinAnsi encoding,
//! glyph-width measurement, word wrapping and a page canvas. Generic so that
//! other renderers (e.g. the lembar disposisi) can reuse them.

use lopdf::content::Operation;
use lopdf::{Object, StringFormat};

use super::metrics;

/// A standard 14 font, used with `/Encoding /WinAnsiEncoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Font {
    Helvetica,
    HelveticaBold,
    TimesRoman,
    TimesBold,
}

impl Font {
    /// ISO 32000-1 §9.6.2.2: the PostScript name of a standard 14 font.
    pub(crate) fn base_font(self) -> &'static str {
        match self {
            Font::Helvetica => "Helvetica",
            Font::HelveticaBold => "Helvetica-Bold",
            Font::TimesRoman => "Times-Roman",
            Font::TimesBold => "Times-Bold",
        }
    }
    /// The resource name used in content streams.
    pub(crate) fn resource_name(self) -> &'static str {
        match self {
            Font::Helvetica => "F1",
            Font::HelveticaBold => "F2",
            Font::TimesRoman => "F3",
            Font::TimesBold => "F4",
        }
    }
    pub(crate) const ALL: [Font; 4] = [
        Font::Helvetica,
        Font::HelveticaBold,
        Font::TimesRoman,
        Font::TimesBold,
    ];
    fn widths(self) -> &'static [u16; 224] {
        match self {
            Font::Helvetica => &metrics::HELVETICA,
            Font::HelveticaBold => &metrics::HELVETICA_BOLD,
            Font::TimesRoman => &metrics::TIMES_ROMAN,
            Font::TimesBold => &metrics::TIMES_BOLD,
        }
    }
    /// Width of one WinAnsi code in 1/1000 em.
    pub(crate) fn code_width(self, code: u8) -> u16 {
        code.checked_sub(32)
            .and_then(|i| self.widths().get(usize::from(i)))
            .copied()
            .unwrap_or(0)
    }
}

/// Maps a character to its WinAnsiEncoding code (ISO 32000-1 Annex D.2).
/// Characters outside the encoding become `?`; tabs and line breaks become spaces.
pub(crate) fn winansi(c: char) -> u8 {
    let code = c as u32;
    match c {
        '\t' | '\n' | '\r' | '\u{a0}' => b' ',
        ' '..='~' => code as u8,
        '\u{a1}'..='\u{ff}' => code as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        '\u{2010}' | '\u{2011}' | '\u{2212}' => b'-',
        _ => b'?',
    }
}

/// Encodes text to WinAnsi bytes.
pub(crate) fn encode(text: &str) -> Vec<u8> {
    text.chars().map(winansi).collect()
}

/// Width of `text` in points at `size`, from the font's glyph widths.
pub(crate) fn text_width(font: Font, size: f64, text: &str) -> f64 {
    let units: u32 = text
        .chars()
        .map(|c| u32::from(font.code_width(winansi(c))))
        .sum();
    f64::from(units) * size / 1000.0
}

/// Breaks `text` into lines no wider than `max_width` points, at spaces;
/// a word wider than a line is split between characters.
pub(crate) fn wrap(font: Font, size: f64, text: &str, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let space = text_width(font, size, " ");
    let mut line_w = 0.0;
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        let mut w = text_width(font, size, &word);
        if !line.is_empty() && line_w + space + w <= max_width {
            line.push(' ');
            line.push_str(&word);
            line_w += space + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // split words longer than a line
        while w > max_width {
            let mut cut = String::new();
            let mut cw = 0.0;
            let mut rest = String::new();
            for (i, c) in word.char_indices() {
                let chw = text_width(font, size, c.encode_utf8(&mut [0; 4]));
                if cw + chw > max_width && !cut.is_empty() {
                    rest = word.get(i..).unwrap_or_default().to_owned();
                    break;
                }
                cut.push(c);
                cw += chw;
            }
            lines.push(cut);
            if rest.is_empty() {
                word.clear();
                w = 0.0;
                break;
            }
            word = rest;
            w = text_width(font, size, &word);
        }
        line = word;
        line_w = w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Pages of content-stream operations, in PDF user space (points, origin at
/// the bottom left).
#[derive(Debug, Default)]
pub(crate) struct Canvas {
    pages: Vec<Vec<Operation>>,
}

impl Canvas {
    pub(crate) fn new() -> Self {
        Canvas {
            pages: vec![Vec::new()],
        }
    }
    /// Starts a new page; returns its 0-based index.
    pub(crate) fn new_page(&mut self) -> usize {
        self.pages.push(Vec::new());
        self.pages.len() - 1
    }
    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }
    pub(crate) fn into_pages(self) -> Vec<Vec<Operation>> {
        self.pages
    }
    fn ops(&mut self) -> &mut Vec<Operation> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Writes one line of text with its baseline at `y`; `x` is the left edge,
    /// centre or right edge depending on `align`.
    pub(crate) fn text(&mut self, x: f64, y: f64, font: Font, size: f64, align: Align, text: &str) {
        self.text_spaced(x, y, font, size, align, text, 0.0);
    }

    /// Like [`text`](Self::text) with extra word spacing (`Tw`), for justified lines.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text_spaced(
        &mut self,
        x: f64,
        y: f64,
        font: Font,
        size: f64,
        align: Align,
        text: &str,
        word_spacing: f64,
    ) {
        if text.is_empty() {
            return;
        }
        let w = text_width(font, size, text);
        let x = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        let ops = self.ops();
        ops.push(Operation::new("BT", vec![]));
        ops.push(Operation::new(
            "Tf",
            vec![
                Object::Name(font.resource_name().as_bytes().to_vec()),
                real(size),
            ],
        ));
        ops.push(Operation::new("Tw", vec![real(word_spacing)]));
        ops.push(Operation::new("Td", vec![real(x), real(y)]));
        ops.push(Operation::new(
            "Tj",
            vec![Object::String(encode(text), StringFormat::Literal)],
        ));
        ops.push(Operation::new("ET", vec![]));
    }

    /// A straight line.
    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, width: f64) {
        let ops = self.ops();
        ops.push(Operation::new("w", vec![real(width)]));
        ops.push(Operation::new("m", vec![real(x1), real(y1)]));
        ops.push(Operation::new("l", vec![real(x2), real(y2)]));
        ops.push(Operation::new("S", vec![]));
    }

    /// Places image XObject `name` in the rectangle with lower-left (x, y).
    pub(crate) fn image(&mut self, name: &str, x: f64, y: f64, w: f64, h: f64) {
        let ops = self.ops();
        ops.push(Operation::new("q", vec![]));
        ops.push(Operation::new(
            "cm",
            vec![real(w), real(0.0), real(0.0), real(h), real(x), real(y)],
        ));
        ops.push(Operation::new(
            "Do",
            vec![Object::Name(name.as_bytes().to_vec())],
        ));
        ops.push(Operation::new("Q", vec![]));
    }
}

/// A PDF real rounded to 1/100 pt (plenty for layout, short output).
pub(crate) fn real(v: f64) -> Object {
    Object::Real(((v * 100.0).round() / 100.0) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winansi_maps_indonesian_and_typographic_characters() {
        assert_eq!(encode("é“”–"), vec![0xE9, 0x93, 0x94, 0x96]);
        assert_eq!(encode("Rp1.000"), b"Rp1.000".to_vec());
        assert_eq!(encode("日"), b"?".to_vec());
    }

    #[test]
    fn widths_match_afm() {
        // Helvetica: space 278, 'A' 667; Times-Roman 'A' 722; Helvetica-Bold 'A' 722
        assert_eq!(Font::Helvetica.code_width(b' '), 278);
        assert_eq!(Font::Helvetica.code_width(b'A'), 667);
        assert_eq!(Font::TimesRoman.code_width(b'A'), 722);
        assert_eq!(Font::HelveticaBold.code_width(b'A'), 722);
        assert_eq!(Font::Helvetica.code_width(0xE9), 556); // eacute
        assert!((text_width(Font::Helvetica, 10.0, "AA") - 13.34).abs() < 1e-9);
    }

    #[test]
    fn wrap_respects_width() {
        let text = "Dengan hormat, bersama ini kami sampaikan laporan pelaksanaan transformasi digital di lingkungan Pemerintah Kabupaten.";
        let lines = wrap(Font::TimesRoman, 12.0, text, 200.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(text_width(Font::TimesRoman, 12.0, l) <= 200.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
        let long = wrap(Font::Helvetica, 12.0, &"x".repeat(100), 50.0);
        assert!(long.len() > 1);
        assert_eq!(long.concat(), "x".repeat(100));
        assert!(wrap(Font::Helvetica, 12.0, "   ", 50.0).is_empty());
    }
}
