//! Visible signature stamps (*tampilan TTE*): a QR code, text lines in an
//! embedded font and an optional image, placed by rectangle, by anchor text
//! or into an existing empty signature field.

use chrono::{DateTime, Utc};

use crate::pdf::stamp::StampImage;

/// Why a stamp could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StampError {
    /// The QR payload does not fit a QR code.
    #[error("QR payload too long for a QR code")]
    QrTooLong,
    /// The image is neither a readable PNG nor a readable JPEG.
    #[error("image is not a readable PNG or JPEG")]
    BadImage,
    /// The image is larger than 4096 × 4096 pixels.
    #[error("image larger than 4096 x 4096 pixels")]
    ImageTooLarge,
}

/// Where the stamp goes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Placement {
    /// On `page` (0-based) at `rect` = `[x1, y1, x2, y2]` in points.
    Rect {
        /// Page index.
        page: usize,
        /// Rectangle in default user space.
        rect: [f64; 4],
    },
    /// At the first occurrence of `marker` (for example `${ttd_pengirim}` or
    /// `#`) in the text of `page` (or of any page), `width` × `height`
    /// points, with its top-left corner at the marker.
    Anchor {
        /// The marker text.
        marker: String,
        /// Page to search, or every page.
        page: Option<usize>,
        /// Width in points.
        width: f64,
        /// Height in points.
        height: f64,
    },
    /// Into the existing empty signature field with this name.
    Field(String),
}

/// Values that fill the text template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StampFields {
    /// `{name}`: the signer's name (default: the certificate's common name).
    pub name: Option<String>,
    /// `{position}`: the signer's position (*jabatan*).
    pub position: Option<String>,
    /// `{nip}`: the civil-servant number.
    pub nip: Option<String>,
    /// `{reason}`.
    pub reason: Option<String>,
}

impl StampFields {
    /// Fields with a name and position.
    pub fn new(name: impl Into<String>, position: impl Into<String>) -> Self {
        StampFields {
            name: Some(name.into()),
            position: Some(position.into()),
            ..StampFields::default()
        }
    }
    /// Set the NIP.
    pub fn nip(mut self, nip: impl Into<String>) -> Self {
        self.nip = Some(nip.into());
        self
    }
}

/// The default text: the TTE block of the KemenPANRB TNDE format.
pub const DEFAULT_TEMPLATE: &str =
    "Ditandatangani secara elektronik oleh:\n{position},\n\n{name}\n{nip}";

/// A visible signature stamp.
#[derive(Clone)]
pub struct Stamp {
    template: String,
    fields: StampFields,
    qr: Option<(Vec<bool>, usize)>,
    image: Option<std::sync::Arc<StampImage>>,
    border: bool,
}

impl std::fmt::Debug for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stamp")
            .field("template", &self.template)
            .field("fields", &self.fields)
            .field("qr", &self.qr.is_some())
            .field("image", &self.image.is_some())
            .finish_non_exhaustive()
    }
}

impl Stamp {
    /// A stamp with the default template and these fields.
    pub fn new(fields: StampFields) -> Self {
        Stamp {
            template: DEFAULT_TEMPLATE.to_string(),
            fields,
            qr: None,
            image: None,
            border: false,
        }
    }

    /// Replace the text template. Placeholders: `{name}`, `{position}`,
    /// `{nip}`, `{date}` (signing date, Indonesian), `{reason}`. Lines whose
    /// placeholders are all empty are dropped; a line starting with `*` is bold.
    pub fn template(mut self, template: impl Into<String>) -> Self {
        self.template = template.into();
        self
    }

    /// Add a QR code with this content (for example a verification URL).
    pub fn qr(mut self, payload: &str) -> Result<Self, StampError> {
        let code =
            qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
                .map_err(|_| StampError::QrTooLong)?;
        let w = code.width();
        let modules = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        self.qr = Some((modules, w));
        Ok(self)
    }

    /// Add an image (PNG, with transparency, or JPEG), drawn left of the QR code.
    pub fn image(mut self, bytes: &[u8]) -> Result<Self, StampError> {
        self.image = Some(std::sync::Arc::new(load_image(bytes)?));
        Ok(self)
    }

    /// Draw a thin border around the stamp.
    pub fn border(mut self, on: bool) -> Self {
        self.border = on;
        self
    }

    /// The text lines for a signature made at `time` by a certificate named `cn`.
    pub(crate) fn lines(&self, time: DateTime<Utc>, cn: Option<&str>) -> (Vec<String>, Vec<usize>) {
        let date = crate::render::indonesian_date(time.date_naive());
        let name = self
            .fields
            .name
            .clone()
            .or_else(|| cn.map(str::to_string))
            .unwrap_or_default();
        let nip = self
            .fields
            .nip
            .as_ref()
            .map(|n| format!("NIP {n}"))
            .unwrap_or_default();
        let values = [
            ("{name}", name),
            (
                "{position}",
                self.fields.position.clone().unwrap_or_default(),
            ),
            ("{nip}", nip),
            ("{date}", date),
            ("{reason}", self.fields.reason.clone().unwrap_or_default()),
        ];
        let mut lines = Vec::new();
        let mut bold = Vec::new();
        for raw in self.template.lines() {
            let (is_bold, raw) = match raw.strip_prefix('*') {
                Some(r) => (true, r),
                None => (false, raw),
            };
            let had_placeholder = values.iter().any(|(k, _)| raw.contains(k));
            let mut line = raw.to_string();
            let mut any_value = false;
            for (k, v) in &values {
                if line.contains(k) {
                    any_value |= !v.is_empty();
                    line = line.replace(k, v);
                }
            }
            if had_placeholder && !any_value {
                continue;
            }
            if is_bold {
                bold.push(lines.len());
            }
            lines.push(line.trim_end().to_string());
        }
        (lines, bold)
    }

    pub(crate) fn qr_modules(&self) -> Option<(&[bool], usize)> {
        self.qr.as_ref().map(|(m, w)| (m.as_slice(), *w))
    }

    pub(crate) fn image_ref(&self) -> Option<&StampImage> {
        self.image.as_deref()
    }

    pub(crate) fn has_border(&self) -> bool {
        self.border
    }
}

fn load_image(bytes: &[u8]) -> Result<StampImage, StampError> {
    if bytes.starts_with(&[0xff, 0xd8]) {
        let mut dec = jpeg_decoder::Decoder::new(bytes);
        dec.read_info().map_err(|_| StampError::BadImage)?;
        let info = dec.info().ok_or(StampError::BadImage)?;
        if info.width > 4096 || info.height > 4096 {
            return Err(StampError::ImageTooLarge);
        }
        let components = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => 1,
            jpeg_decoder::PixelFormat::CMYK32 => 4,
            jpeg_decoder::PixelFormat::RGB24 => 3,
            _ => return Err(StampError::BadImage),
        };
        return Ok(StampImage::Jpeg {
            data: bytes.to_vec(),
            width: info.width,
            height: info.height,
            components,
        });
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|_| StampError::BadImage)?;
    let (w, h) = {
        let info = reader.info();
        (info.width, info.height)
    };
    if w > 4096 || h > 4096 {
        return Err(StampError::ImageTooLarge);
    }
    let mut buf = vec![0; reader.output_buffer_size().ok_or(StampError::BadImage)?];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|_| StampError::BadImage)?;
    let data = buf.get(..frame.buffer_size()).ok_or(StampError::BadImage)?;
    let (channels, color, has_alpha) = match frame.color_type {
        png::ColorType::Grayscale => (1, false, false),
        png::ColorType::GrayscaleAlpha => (2, false, true),
        png::ColorType::Rgb => (3, true, false),
        png::ColorType::Rgba => (4, true, true),
        png::ColorType::Indexed => return Err(StampError::BadImage),
    };
    let color_n = if color { 3 } else { 1 };
    let mut samples = Vec::with_capacity(data.len());
    let mut alpha = Vec::new();
    for px in data.chunks(channels) {
        samples.extend_from_slice(px.get(..color_n).unwrap_or_default());
        if has_alpha {
            alpha.push(px.get(color_n).copied().unwrap_or(255));
        }
    }
    Ok(StampImage::Raw {
        samples,
        alpha: has_alpha.then_some(alpha),
        width: w,
        height: h,
        color,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn template_fills_and_drops_empty_lines() {
        let s = Stamp::new(StampFields::new("Budi Santoso", "KEPALA DINAS"));
        let t = Utc.with_ymd_and_hms(2026, 3, 5, 0, 0, 0).unwrap();
        let (lines, _) = s.lines(t, None);
        assert_eq!(
            lines,
            [
                "Ditandatangani secara elektronik oleh:",
                "KEPALA DINAS,",
                "",
                "Budi Santoso"
            ]
        );
        let (lines, bold) = s.template("*{name}\n{date}").lines(t, None);
        assert_eq!(lines, ["Budi Santoso", "5 Maret 2026"]);
        assert_eq!(bold, [0]);
    }

    #[test]
    fn qr_and_bad_images() {
        assert!(
            Stamp::new(StampFields::default())
                .qr("https://tte.example.go.id/v/ABC")
                .is_ok()
        );
        assert!(matches!(
            Stamp::new(StampFields::default()).image(b"not an image"),
            Err(StampError::BadImage)
        ));
    }
}
