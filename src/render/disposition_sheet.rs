//! Lembar disposisi: the disposition sheet, a one-page A4 PDF rendered from a
//! disposition in a [`DispositionTree`].
//!
//! Fields (DOMAIN.md §4, after the ANRI form): kop; surat dari; nomor and
//! tanggal surat; diterima tanggal; nomor agenda; sifat; hal; diteruskan
//! kepada (the leading recipient marked "1", others "v", copies listed as
//! tembusan); "dengan hormat harap" with a checkbox per standard instruction
//! plus custom ones; catatan with batas penyelesaian; tanggal, paraf, nama and
//! NIP of the giver; and a tanda terima table, one row per recipient.
//!
//! It shares the letter renderer's text layer ([`super::text`]: standard
//! Helvetica fonts with WinAnsiEncoding, ISO 32000-1 §9.6.2.2 and Annex D,
//! AFM glyph widths, word wrap, canvas) and its Indonesian dates; characters
//! outside WinAnsi print as `?`. Long text is wrapped and cut, and long
//! recipient lists are summarised, so the sheet is always one page. The
//! output is deterministic.

use chrono::{DateTime, FixedOffset, Utc};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, dictionary};

use super::indonesian_date as tanggal;
use super::text::{self, Align, Canvas, Font};

use crate::disposition::{
    DispositionError, DispositionId, DispositionTree, Instruction, Org, Role,
};

/// A disposition sheet could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SheetError {
    /// The tree has no such disposition or no registered letter.
    #[error("cannot render the disposition sheet")]
    Disposition(#[from] DispositionError),
    /// Writing the PDF failed.
    #[error("writing the disposition sheet pdf failed")]
    Write {
        /// The cause.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Pilihan lembar disposisi: the letterhead and the local time zone.
#[derive(Clone, Debug)]
pub struct SheetOptions {
    letterhead: Vec<String>,
    offset: FixedOffset,
}

impl SheetOptions {
    /// Kop: letterhead lines, e.g. `["PEMERINTAH KABUPATEN CONTOH",
    /// "DINAS KOMUNIKASI DAN INFORMATIKA", "Jalan … Telepon …"]`. The last
    /// line is printed small (address); the others bold. Times print in WIB
    /// (UTC+7) unless [`utc_offset`](Self::utc_offset) says otherwise.
    pub fn new<I, S>(letterhead: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            letterhead: letterhead.into_iter().map(Into::into).collect(),
            offset: WIB,
        }
    }

    /// The office's offset from UTC (WIB +7, WITA +8, WIT +9).
    pub fn utc_offset(mut self, offset: FixedOffset) -> Self {
        self.offset = offset;
        self
    }
}

/// Waktu Indonesia Barat, UTC+7.
const WIB: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(o) => o,
    None => panic!("UTC+7 is a valid offset"),
};

const PAGE_W: f64 = 595.0;
const PAGE_H: f64 = 842.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 555.0;
const MID: f64 = 297.5;

fn zone_name(offset: FixedOffset) -> String {
    match offset.local_minus_utc() {
        25200 => "WIB".into(),
        28800 => "WITA".into(),
        32400 => "WIT".into(),
        s => format!("UTC{:+}", s / 3600),
    }
}

fn waktu(t: DateTime<Utc>, offset: FixedOffset) -> String {
    let local = t.with_timezone(&offset);
    format!(
        "{} {} {}",
        tanggal(local.date_naive()),
        local.format("%H:%M"),
        zone_name(offset)
    )
}

fn font(bold: bool) -> Font {
    if bold {
        Font::HelveticaBold
    } else {
        Font::Helvetica
    }
}

fn width(s: &str, size: f64, bold: bool) -> f64 {
    text::text_width(font(bold), size, s)
}

/// Word wrap (the renderer's [`text::wrap`], per paragraph) to `max` points;
/// at least one line, at most `lines`, the last cut with "…" when text
/// remains.
fn wrap(value: &str, size: f64, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = value
        .split('\n')
        .flat_map(|para| text::wrap(Font::Helvetica, size, para, max))
        .collect();
    if out.is_empty() {
        out.push(String::new());
    }
    if out.len() > lines {
        out.truncate(lines.max(1));
        if let Some(last) = out.last_mut() {
            while !last.is_empty() && width(&format!("{last}…"), size, false) > max {
                last.pop();
            }
            last.push('…');
        }
    }
    out
}

/// The renderer's [`Canvas`] with the few shapes a form needs.
struct Sheet {
    canvas: Canvas,
}

impl Sheet {
    fn text(&mut self, x: f64, y: f64, size: f64, bold: bool, s: &str) {
        self.canvas.text(x, y, font(bold), size, Align::Left, s);
    }

    fn centered(&mut self, y: f64, size: f64, bold: bool, s: &str) {
        self.canvas
            .text(PAGE_W / 2.0, y, font(bold), size, Align::Center, s);
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, w: f64) {
        self.canvas.line(x1, y1, x2, y2, w);
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64) {
        self.line(x, y, x + w, y, 0.8);
        self.line(x + w, y, x + w, y + h, 0.8);
        self.line(x + w, y + h, x, y + h, 0.8);
        self.line(x, y + h, x, y, 0.8);
    }

    /// A box at (x, y) (bottom-left), 8 pt, with a mark inside.
    fn mark_box(&mut self, x: f64, y: f64, mark: Option<&str>) {
        self.rect(x, y, 8.0, 8.0);
        match mark {
            Some("X") => {
                self.line(x + 1.5, y + 1.5, x + 6.5, y + 6.5, 0.9);
                self.line(x + 1.5, y + 6.5, x + 6.5, y + 1.5, 0.9);
            }
            Some(m) => self.text(x + 2.0, y + 1.5, 7.0, true, m),
            None => {}
        }
    }

    /// "Label : value" with the value wrapped; returns the next y.
    fn field(&mut self, x: f64, y: f64, label_w: f64, max_w: f64, label: &str, value: &str) -> f64 {
        self.text(x, y, 9.0, false, label);
        self.text(x + label_w, y, 9.0, false, ":");
        // Values print bold: wrap against the regular widths, scaled.
        let lines = wrap(value, 9.0, (max_w - label_w - 8.0) / 1.08, 2);
        let mut y = y;
        for l in &lines {
            self.text(x + label_w + 6.0, y, 9.0, true, l);
            y -= 11.0;
        }
        y
    }
}

/// Renders the lembar disposisi of `disposition` as PDF bytes.
///
/// `org` supplies position titles and the giver's name and NIP.
pub fn disposition_sheet(
    tree: &DispositionTree,
    org: &Org,
    disposition: DispositionId,
    options: &SheetOptions,
) -> Result<Vec<u8>, SheetError> {
    let letter = tree.letter().ok_or(DispositionError::NotRegistered)?;
    let d = tree
        .disposition(disposition)
        .ok_or(DispositionError::UnknownDisposition { disposition })?;
    let reg = letter.registration();
    let tz = options.offset;
    let title_of = |p: &crate::disposition::PositionId| {
        org.position(p)
            .map_or_else(|| p.as_str().to_owned(), |p| p.title().to_owned())
    };
    let mut c = Sheet {
        canvas: Canvas::new(),
    };

    // Kop.
    let mut y = PAGE_H - 50.0;
    let n = options.letterhead.len();
    for (i, line) in options.letterhead.iter().enumerate() {
        let small = i + 1 == n && n > 1;
        let size = if small {
            8.5
        } else if i == 0 {
            12.0
        } else {
            13.0
        };
        for l in wrap(line, size, RIGHT - LEFT, 2) {
            c.centered(y, size, !small, &l);
            y -= size + 3.0;
        }
    }
    y -= 2.0;
    c.line(LEFT, y, RIGHT, y, 2.0);
    c.line(LEFT, y - 3.0, RIGHT, y - 3.0, 0.6);
    y -= 24.0;
    c.centered(y, 14.0, true, "LEMBAR DISPOSISI");
    y -= 14.0;

    // Letter data.
    let top = y;
    y -= 14.0;
    let col = MID + 6.0;
    let half = MID - LEFT - 12.0;
    let yl = c.field(LEFT + 6.0, y, 78.0, half, "Surat dari", reg.sender_name());
    let yr = c.field(
        col,
        y,
        88.0,
        half,
        "Diterima tanggal",
        &waktu(letter.registered_at(), tz),
    );
    y = yl.min(yr) - 3.0;
    let yl = c.field(LEFT + 6.0, y, 78.0, half, "Nomor surat", reg.number());
    let yr = c.field(col, y, 88.0, half, "Nomor agenda", reg.agenda_number());
    y = yl.min(yr) - 3.0;
    let date = reg.date().map(tanggal).unwrap_or_else(|| "-".into());
    let yl = c.field(LEFT + 6.0, y, 78.0, half, "Tanggal surat", &date);
    let sifat = format!("{} / {}", reg.security_class(), reg.urgency_level());
    let yr = c.field(col, y, 88.0, half, "Sifat", &sifat);
    y = yl.min(yr) - 3.0;
    let split = y + 9.0;
    y = c.field(
        LEFT + 6.0,
        y,
        78.0,
        RIGHT - LEFT - 12.0,
        "Hal",
        reg.subject_text(),
    ) - 2.0;
    c.rect(LEFT, y, RIGHT - LEFT, top - y);
    c.line(MID, top, MID, split, 0.6);
    c.line(LEFT, split, RIGHT, split, 0.4);

    // Diteruskan kepada | Dengan hormat harap.
    let top2 = y;
    y -= 14.0;
    c.text(LEFT + 6.0, y, 9.0, true, "Diteruskan kepada Sdr.:");
    c.text(col, y, 9.0, true, "Dengan hormat harap:");
    let mut yl = y - 14.0;
    let recipients: Vec<_> = d
        .recipients()
        .iter()
        .filter_map(|r| tree.recipient(*r))
        .collect();
    let max_rows = 8;
    let duty: Vec<_> = recipients
        .iter()
        .filter(|r| r.role() != Role::Copy)
        .collect();
    for r in duty.iter().take(max_rows) {
        let mark = if r.role() == Role::Leading { "1" } else { "v" };
        c.mark_box(LEFT + 6.0, yl - 1.0, Some(mark));
        for (k, l) in wrap(&title_of(r.position()), 9.0, half - 20.0, 2)
            .iter()
            .enumerate()
        {
            c.text(LEFT + 20.0, yl - 11.0 * k as f64, 9.0, false, l);
            if k > 0 {
                yl -= 11.0;
            }
        }
        yl -= 13.0;
    }
    if duty.len() > max_rows {
        c.text(
            LEFT + 20.0,
            yl,
            8.0,
            false,
            &format!("… dan {} lainnya", duty.len() - max_rows),
        );
        yl -= 11.0;
    }
    let copies: Vec<_> = recipients
        .iter()
        .filter(|r| r.role() == Role::Copy)
        .collect();
    if !copies.is_empty() {
        yl -= 2.0;
        c.text(LEFT + 6.0, yl, 9.0, true, "Tembusan:");
        yl -= 12.0;
        for r in copies.iter().take(4) {
            for l in wrap(&title_of(r.position()), 9.0, half - 20.0, 1) {
                c.text(LEFT + 12.0, yl, 9.0, false, &format!("- {l}"));
            }
            yl -= 11.0;
        }
        if copies.len() > 4 {
            c.text(
                LEFT + 12.0,
                yl,
                8.0,
                false,
                &format!("… dan {} lainnya", copies.len() - 4),
            );
            yl -= 11.0;
        }
    }
    c.text(
        LEFT + 6.0,
        yl - 2.0,
        7.0,
        false,
        "1 = penanggung jawab utama (leading sector)",
    );
    yl -= 12.0;
    // Instructions: 18 standard in two columns of 9, then custom ones.
    let mut yr = y - 14.0;
    for (i, ins) in Instruction::STANDARD.iter().enumerate() {
        let (cx, row) = if i < 9 {
            (col, i)
        } else {
            (col + 128.0, i - 9)
        };
        let yy = yr - 12.0 * row as f64;
        let mark = d.instructions().contains(ins).then_some("X");
        c.mark_box(cx, yy - 1.0, mark);
        c.text(cx + 12.0, yy, 8.0, false, ins.label());
    }
    yr -= 12.0 * 9.0;
    for ins in d
        .instructions()
        .iter()
        .filter(|i| matches!(i, Instruction::Custom(_)))
        .take(4)
    {
        c.mark_box(col, yr - 1.0, Some("X"));
        for l in wrap(ins.label(), 8.0, RIGHT - col - 20.0, 1) {
            c.text(col + 12.0, yr, 8.0, false, &l);
        }
        yr -= 12.0;
    }
    y = yl.min(yr) - 4.0;
    c.rect(LEFT, y, RIGHT - LEFT, top2 - y);
    c.line(MID, top2, MID, y, 0.6);

    // Catatan | Pemberi disposisi.
    let top3 = y;
    y -= 14.0;
    c.text(LEFT + 6.0, y, 9.0, true, "Catatan:");
    let mut yl = y - 12.0;
    for l in wrap(d.note().unwrap_or("-"), 9.0, half, 6) {
        c.text(LEFT + 6.0, yl, 9.0, false, &l);
        yl -= 11.0;
    }
    yl -= 4.0;
    let batas = tree
        .recipient(
            d.recipients()
                .first()
                .copied()
                .unwrap_or(crate::disposition::RecipientId::ROOT),
        )
        .and_then(|r| tree.effective_deadline(r.id()))
        .or(d.deadline());
    c.text(
        LEFT + 6.0,
        yl,
        9.0,
        false,
        &format!(
            "Batas penyelesaian: {}",
            batas.map(tanggal).unwrap_or_else(|| "-".into())
        ),
    );
    yl -= 11.0;
    c.text(
        LEFT + 6.0,
        yl,
        9.0,
        false,
        &format!("Urgensi: {}", d.urgency()),
    );
    yl -= 6.0;

    let giver = org.assignment(d.by());
    let giver_pos = tree
        .recipient(d.from())
        .map(|r| title_of(r.position()))
        .unwrap_or_default();
    let mut yr = y;
    c.text(col, yr, 9.0, true, "Pemberi disposisi:");
    yr -= 12.0;
    c.text(
        col,
        yr,
        9.0,
        false,
        &format!("Tanggal: {}", waktu(d.created_at(), tz)),
    );
    yr -= 12.0;
    let kind = giver
        .map(|a| a.kind())
        .filter(|k| *k != crate::disposition::AssignmentKind::Definitive)
        .map(|k| format!("{k} "))
        .unwrap_or_default();
    for l in wrap(&format!("{kind}{giver_pos}"), 9.0, half, 2) {
        c.text(col, yr, 9.0, false, &l);
        yr -= 11.0;
    }
    c.text(col, yr - 2.0, 9.0, false, "Paraf:");
    yr -= 34.0;
    if let Some(a) = giver {
        for l in wrap(a.holder(), 9.0, half, 2) {
            c.text(col, yr, 9.0, true, &l);
            yr -= 11.0;
        }
        if let Some(nip) = a.holder_nip() {
            c.text(col, yr, 9.0, false, &format!("NIP {nip}"));
            yr -= 11.0;
        }
    }
    y = yl.min(yr) - 4.0;
    c.rect(LEFT, y, RIGHT - LEFT, top3 - y);
    c.line(MID, top3, MID, y, 0.6);

    // Tanda terima.
    let top4 = y;
    y -= 14.0;
    c.text(LEFT + 6.0, y, 9.0, true, "Tanda terima");
    y -= 13.0;
    let cols = [
        LEFT + 6.0,
        LEFT + 24.0,
        LEFT + 196.0,
        LEFT + 250.0,
        LEFT + 338.0,
        LEFT + 426.0,
    ];
    let headers = ["No", "Kepada", "Peran", "Diterima", "Dibaca", "Status"];
    for (x, h) in cols.iter().zip(headers) {
        c.text(*x, y, 8.0, true, h);
    }
    y -= 3.0;
    c.line(LEFT + 4.0, y, RIGHT - 4.0, y, 0.5);
    y -= 10.0;
    // Rows that fit above the footer (48 pt); keep one for "… dan N lain".
    let room = ((y - 48.0) / 11.0).floor().max(1.0) as usize;
    let limit = if recipients.len() > room {
        room.saturating_sub(1)
    } else {
        recipients.len()
    };
    let short = |t: DateTime<Utc>| {
        let local = t.with_timezone(&tz);
        format!("{} {}", local.format("%d/%m/%Y %H:%M"), zone_name(tz))
    };
    for (i, r) in recipients.iter().enumerate().take(limit) {
        let [c0, c1, c2, c3, c4, c5] = cols;
        c.text(c0, y, 8.0, false, &format!("{}", i + 1));
        for l in wrap(&title_of(r.position()), 8.0, c2 - c1 - 6.0, 1) {
            c.text(c1, y, 8.0, false, &l);
        }
        c.text(c2, y, 8.0, false, &r.role().to_string());
        c.text(c3, y, 8.0, false, &short(r.sent_at()));
        c.text(
            c4,
            y,
            8.0,
            false,
            &r.read_at().map(short).unwrap_or_else(|| "-".into()),
        );
        c.text(c5, y, 8.0, false, &r.status().to_string());
        y -= 11.0;
    }
    if recipients.len() > limit {
        c.text(
            cols[1],
            y,
            8.0,
            false,
            &format!("… dan {} penerima lain", recipients.len() - limit),
        );
        y -= 11.0;
    }
    y -= 2.0;
    c.rect(LEFT, y, RIGHT - LEFT, top4 - y);

    // Footer: tie the sheet to the received file and the journal.
    let footer = format!(
        "Agenda {} - disposisi #{} - SHA-256 berkas surat: {}",
        reg.agenda_number(),
        d.id(),
        reg.file_sha256()
    );
    for (k, l) in wrap(&footer, 7.0, RIGHT - LEFT, 2).iter().enumerate() {
        c.text(LEFT, 36.0 - 9.0 * k as f64, 7.0, false, l);
    }

    write_pdf(c.canvas.into_pages(), reg.agenda_number())
}

fn write_err<E: std::error::Error + Send + Sync + 'static>(e: E) -> SheetError {
    SheetError::Write {
        source: Box::new(e),
    }
}

fn write_pdf(pages: Vec<Vec<Operation>>, title: &str) -> Result<Vec<u8>, SheetError> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.try_new_object_id().map_err(write_err)?;
    let font = |name: &str| -> Dictionary {
        dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => name.to_owned(),
            "Encoding" => "WinAnsiEncoding",
        }
    };
    let f1 = doc.try_add_object(font("Helvetica")).map_err(write_err)?;
    let f2 = doc
        .try_add_object(font("Helvetica-Bold"))
        .map_err(write_err)?;
    let resources = doc
        .try_add_object(dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } })
        .map_err(write_err)?;
    let operations: Vec<Operation> = pages.into_iter().flatten().collect();
    let content = Content { operations }.encode().map_err(write_err)?;
    let mut stream = Stream::new(Dictionary::new(), content);
    stream.compress().map_err(write_err)?;
    let contents = doc.try_add_object(stream).map_err(write_err)?;
    let page = doc
        .try_add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), text::real(PAGE_W), text::real(PAGE_H)],
            "Resources" => resources,
            "Contents" => contents,
        })
        .map_err(write_err)?;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page.into()],
            "Count" => 1,
        }),
    );
    let catalog = doc
        .try_add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id })
        .map_err(write_err)?;
    let info = doc
        .try_add_object(dictionary! {
            "Title" => Object::string_literal(format!("Lembar Disposisi {title}")),
            "Producer" => Object::string_literal("surat"),
        })
        .map_err(write_err)?;
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(write_err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_encoding() {
        let lines = wrap("satu dua tiga empat lima enam", 9.0, 40.0, 10);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| width(l, 9.0, false) <= 40.0));
        let cut = wrap(&"kata ".repeat(200), 9.0, 100.0, 3);
        assert_eq!(cut.len(), 3);
        assert!(cut[2].ends_with('…'));
        let long = wrap(&"x".repeat(500), 9.0, 50.0, 100);
        assert!(long.iter().all(|l| width(l, 9.0, false) <= 50.0));
        assert_eq!(
            tanggal(chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap()),
            "6 Januari 2025"
        );
    }
}
