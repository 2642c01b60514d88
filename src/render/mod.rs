//! Rendering naskah dinas to PDF.
//!
//! [`letter_pdf`] lays out a [`Letter`](crate::letter::Letter) on A4 pages as a
//! PDF 1.7 file with real, selectable text in a standard 14 font (Helvetica or
//! Times, WinAnsiEncoding): kop (letterhead, optional JPEG/PNG logo), the
//! nomor/sifat/lampiran/hal block, place and date, addressees, body with word
//! wrap and page breaks, the signature block with its delegation lines and an
//! empty rectangle reserved for the electronic signature stamp, tembusan, and a
//! footer for electronically signed letters.
//!
//! The reserved rectangle is reported by [`RenderedLetter::signature_area`] so
//! that the signing layer can place a visible signature exactly there. Nothing
//! is drawn inside it.

mod image;
mod letter;
mod metrics;
pub(crate) mod text;

pub(crate) use letter::indonesian_date;
pub use letter::letter_pdf;

/// Errors from rendering.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The logo image is malformed.
    #[error("invalid image: {reason}")]
    InvalidImage {
        /// What is wrong.
        reason: &'static str,
    },
    /// The logo image is of a kind not supported.
    #[error("unsupported image: {reason}")]
    UnsupportedImage {
        /// What is not supported.
        reason: &'static str,
    },
    /// The logo image decompresses to more than the budget.
    #[error("image too large")]
    ImageTooLarge,
    /// A render option is out of range.
    #[error("invalid render option {option}: {reason}")]
    InvalidOption {
        /// Which option.
        option: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// Writing the PDF failed.
    #[error("pdf serialisation failed")]
    Pdf(#[source] lopdf::Error),
}

/// Kop surat: the letterhead.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    lines: Vec<String>,
    address: Vec<String>,
    logo: Option<Vec<u8>>,
}

impl std::fmt::Debug for Letterhead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Letterhead")
            .field("lines", &self.lines)
            .field("address", &self.address)
            .field("logo_bytes", &self.logo.as_ref().map(Vec::len))
            .finish()
    }
}

impl Letterhead {
    /// A letterhead with its agency lines, top to bottom, e.g.
    /// `["PEMERINTAH KABUPATEN KUDUS", "DINAS KOMUNIKASI DAN INFORMATIKA"]`.
    /// The last line is printed largest.
    pub fn new<I, S>(lines: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Letterhead {
            lines: lines.into_iter().map(Into::into).collect(),
            address: Vec::new(),
            logo: None,
        }
    }
    /// Adds an address/contact line (small print under the agency name).
    pub fn address_line(mut self, line: impl Into<String>) -> Self {
        self.address.push(line.into());
        self
    }
    /// A logo, as JPEG or PNG (8-bit, non-interlaced) bytes, drawn at the left.
    pub fn logo(mut self, bytes: Vec<u8>) -> Self {
        self.logo = Some(bytes);
        self
    }
    /// The agency lines.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }
    /// The address lines.
    pub fn address(&self) -> &[String] {
        &self.address
    }
}

/// Typeface family: one of the standard 14 families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FontFamily {
    /// Helvetica (metric-compatible with Arial, which regulations name).
    #[default]
    Helvetica,
    /// Times Roman.
    Times,
}

/// Catatan kaki TTE: the footer printed on every page of an electronically
/// signed letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footer {
    lines: Vec<String>,
}

impl Footer {
    /// The default footer (UU ITE Ps.5(1), BSrE, verification URL), with the
    /// verification page `verify_url` (e.g. `https://tte.komdigi.go.id/verifyPDF`).
    pub fn bsre(verify_url: &str) -> Self {
        Footer {
            lines: vec![
                "UU ITE No. 11 Tahun 2008 Pasal 5 Ayat 1: \u{201c}Informasi Elektronik dan/atau Dokumen Elektronik dan/atau hasil cetaknya merupakan alat bukti hukum yang sah.\u{201d}".to_owned(),
                "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara.".to_owned(),
                format!("Untuk memastikan keaslian tanda tangan elektronik, silakan unggah dokumen pada laman {verify_url}"),
            ],
        }
    }
    /// A footer with custom lines (each is word-wrapped).
    pub fn custom<I, S>(lines: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Footer {
            lines: lines.into_iter().map(Into::into).collect(),
        }
    }
    /// The lines.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }
}

/// Options for [`letter_pdf`].
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    letterhead: Letterhead,
    font: FontFamily,
    font_size: f64,
    footer: Option<Footer>,
    stamp_size: (f64, f64),
}

/// Default verification page in the footer.
pub const DEFAULT_VERIFY_URL: &str = "https://tte.komdigi.go.id/verifyPDF";

impl RenderOptions {
    /// Options with this letterhead; Helvetica 11 pt, the default BSrE footer
    /// (printed only when the letter is signed electronically), and a
    /// 200 × 70 pt signature stamp area.
    pub fn new(letterhead: Letterhead) -> Self {
        RenderOptions {
            letterhead,
            font: FontFamily::Helvetica,
            font_size: 11.0,
            footer: Some(Footer::bsre(DEFAULT_VERIFY_URL)),
            stamp_size: (200.0, 70.0),
        }
    }
    /// Typeface family.
    pub fn font(mut self, family: FontFamily) -> Self {
        self.font = family;
        self
    }
    /// Body font size in points (8–16).
    pub fn font_size(mut self, size: f64) -> Self {
        self.font_size = size;
        self
    }
    /// The TTE footer; `None` prints no footer.
    pub fn footer(mut self, footer: Option<Footer>) -> Self {
        self.footer = footer;
        self
    }
    /// Size (width, height) in points of the rectangle reserved for the
    /// electronic signature stamp.
    pub fn stamp_size(mut self, width: f64, height: f64) -> Self {
        self.stamp_size = (width, height);
        self
    }
}

/// Where the signature stamp goes: a 0-based page index and a rectangle
/// `[x1, y1, x2, y2]` in PDF points (origin bottom left), as used by a
/// widget annotation's `/Rect` (ISO 32000-1 §12.5.2).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct SignatureArea {
    /// 0-based page index.
    pub page: usize,
    /// `[x1, y1, x2, y2]` in points.
    pub rect: [f64; 4],
}

/// A rendered letter: the PDF bytes and where the signature stamp belongs.
#[derive(Debug, Clone)]
pub struct RenderedLetter {
    pdf: Vec<u8>,
    pages: usize,
    signature_area: Option<SignatureArea>,
}

impl RenderedLetter {
    /// The PDF bytes.
    pub fn pdf(&self) -> &[u8] {
        &self.pdf
    }
    /// The PDF bytes, by value.
    pub fn into_pdf(self) -> Vec<u8> {
        self.pdf
    }
    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.pages
    }
    /// The rectangle reserved for the electronic signature stamp; `None` for
    /// wet-ink letters.
    pub fn signature_area(&self) -> Option<SignatureArea> {
        self.signature_area
    }
}
