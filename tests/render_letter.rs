//! Renders a letter and checks the PDF with external tools: `qpdf --check`
//! (structure) and `pdftotext` (the text comes back). When the tools are
//! missing the checks are skipped, unless the `CI` environment variable is
//! set, in which case the test fails.

use std::io::Write;
use std::process::Command;

use chrono::NaiveDate;
use surat::letter::{
    Addressee, Attachment, ClassificationCode, Delegation, Letter, LetterKind, Nip, Person,
    Position, Security, SignatureBlock, SignatureMode,
};
use surat::render::{Letterhead, RenderOptions, letter_pdf};

fn letter() -> Letter {
    let bupati = Position::new("bupati", "Bupati Kudus", 0).unwrap();
    let sekda = Position::new("sekda", "Sekretaris Daerah", 1).unwrap();
    let signer = Person::new("Agus Riyanto")
        .unwrap()
        .with_front_title("Dr.")
        .with_back_title("M.Si.")
        .with_rank("Pembina Utama Madya (IV/d)")
        .with_nip(Nip::new("197001011995031002").unwrap());
    Letter::builder(
        LetterKind::OfficialLetter,
        "Kudus",
        SignatureBlock::new(Delegation::OnBehalfOf { principal: bupati }, sekda)
            .with_signer(signer),
    )
    .security(Security::Restricted)
    .classification(ClassificationCode::new("000.1.2.3").unwrap())
    .subject("Undangan Rapat Koordinasi Keamanan Informasi")
    .attachment(Attachment::new(2, "lembar").unwrap())
    .to(Addressee::external("Kepala Badan Siber dan Sandi Negara", Some("Jakarta".into())).unwrap())
    .paragraph("Dengan hormat, dalam rangka peningkatan keamanan informasi di lingkungan Pemerintah Kabupaten Kudus, kami mengundang Bapak/Ibu untuk hadir pada rapat koordinasi.")
    .paragraph("Rapat membahas “sertifikat elektronik” dan penerapan protokol keamanan; café dan ruang rapat tersedia di lantai 2.")
    .copy_to(Addressee::external("Bupati Kudus (sebagai laporan)", None).unwrap())
    .build()
    .unwrap()
    .with_number("000.1.2.3/45/Setda", NaiveDate::from_ymd_opt(2025, 6, 2).unwrap())
    .unwrap()
}

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("--version").output().is_ok()
        || Command::new(name).arg("-v").output().is_ok();
    if !found && std::env::var_os("CI").is_some() {
        panic!("{name} is required in CI (apt-get install -y qpdf poppler-utils)");
    }
    if !found {
        eprintln!("skipping {name} checks: not installed");
    }
    found
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn rendered_letter_passes_qpdf_and_pdftotext() {
    let rendered = letter_pdf(
        &letter(),
        &RenderOptions::new(
            Letterhead::new(["PEMERINTAH KABUPATEN KUDUS", "SEKRETARIAT DAERAH"])
                .address_line("Jalan Simpang Tujuh Nomor 1, Kudus 59313"),
        ),
    )
    .unwrap();
    let pdf = rendered.pdf();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    let area = rendered
        .signature_area()
        .expect("electronic letter has a stamp area");
    assert_eq!(area.page, 0);
    assert!(area.rect[0] < area.rect[2] && area.rect[1] < area.rect[3]);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.pdf");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(pdf)
        .unwrap();

    if tool("qpdf") {
        let out = Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "qpdf --check failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    if tool("pdftotext") {
        let out = Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = normalise(&String::from_utf8_lossy(&out.stdout));
        for expected in [
            "PEMERINTAH KABUPATEN KUDUS",
            "Nomor : 000.1.2.3/45/Setda",
            "Kudus, 2 Juni 2025",
            "Sifat : Terbatas",
            "Lampiran : 2 (dua) lembar",
            "Hal : Undangan Rapat Koordinasi Keamanan Informasi",
            "Yth. Kepala Badan Siber dan Sandi Negara",
            "Jakarta",
            "“sertifikat elektronik”",
            "café",
            "a.n. BUPATI KUDUS",
            "SEKRETARIS DAERAH,",
            "Dr. Agus Riyanto, M.Si.",
            "NIP 197001011995031002",
            "Tembusan:",
            "Bupati Kudus (sebagai laporan).",
            "Pasal 5 Ayat 1",
            "Balai Besar Sertifikasi Elektronik (BSrE)",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
    }
}

#[test]
fn wet_signature_has_no_stamp_area_or_tte_footer() {
    let l = letter();
    let wet = l
        .to_builder()
        .signature(l.signature().clone().with_mode(SignatureMode::Wet))
        .build()
        .unwrap();
    let r = letter_pdf(&wet, &RenderOptions::new(Letterhead::new(["SETDA"]))).unwrap();
    assert!(r.signature_area().is_none());
    if tool("pdftotext") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wet.pdf");
        std::fs::write(&path, r.pdf()).unwrap();
        let out = Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("BSrE"));
        assert!(text.contains("SEKRETARIS DAERAH,"));
    }
}

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

/// An RGBA PNG: a shield-like green disc with a yellow star-ish centre on a
/// transparent background, each row with a different filter type.
fn logo_png(size: u32) -> Vec<u8> {
    let c = f64::from(size) / 2.0;
    let mut rows: Vec<Vec<u8>> = Vec::new();
    for y in 0..size {
        let mut row = Vec::new();
        for x in 0..size {
            let d = ((f64::from(x) - c).powi(2) + (f64::from(y) - c).powi(2)).sqrt();
            let px = if d < c * 0.35 {
                [240, 200, 40, 255]
            } else if d < c - 1.0 {
                [20, 120, 60, 255]
            } else {
                [0, 0, 0, 0]
            };
            row.extend_from_slice(&px);
        }
        rows.push(row);
    }
    // filter 0 (None) and 2 (Up) alternately
    let mut raw = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if i % 2 == 1 {
            raw.push(2);
            let prev = &rows[i - 1];
            raw.extend(row.iter().zip(prev).map(|(a, b)| a.wrapping_sub(*b)));
        } else {
            raw.push(0);
            raw.extend_from_slice(row);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let idat = z.finish().unwrap();
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
    chunk(b"IDAT", &idat);
    chunk(b"IEND", &[]);
    out
}

#[test]
fn letterhead_with_png_logo_is_valid() {
    let opts = RenderOptions::new(
        Letterhead::new([
            "PEMERINTAH KABUPATEN KUDUS",
            "DINAS KOMUNIKASI DAN INFORMATIKA",
        ])
        .address_line("Jalan Simpang Tujuh Nomor 1, Kudus 59313")
        .logo(logo_png(96)),
    );
    let r = letter_pdf(&letter(), &opts).unwrap();
    let pdf = r.pdf();
    assert!(
        pdf.windows(6).any(|w| w == b"/SMask"),
        "alpha channel must become a soft mask"
    );
    if let Ok(dir) = std::env::var("SURAT_RENDER_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("logo-letter.pdf"), pdf).unwrap();
    }
    if tool("qpdf") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logo.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "qpdf --check failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn long_letter_in_times_breaks_pages_cleanly() {
    let mut b = letter().to_builder();
    for i in 1..=30 {
        b = b.paragraph(format!(
            "Butir {i}. Perangkat daerah wajib menerapkan tanda tangan elektronik tersertifikasi pada naskah dinas keluar dan melaporkan pelaksanaannya secara berkala kepada Sekretaris Daerah."
        ));
    }
    let long = b
        .build()
        .unwrap()
        .with_number(
            "000.1.2.3/46/Setda",
            NaiveDate::from_ymd_opt(2025, 6, 3).unwrap(),
        )
        .unwrap();
    let r = letter_pdf(
        &long,
        &RenderOptions::new(Letterhead::new(["SEKRETARIAT DAERAH"]))
            .font(surat::render::FontFamily::Times)
            .font_size(12.0),
    )
    .unwrap();
    assert!(r.page_count() >= 3);
    assert_eq!(r.signature_area().unwrap().page, r.page_count() - 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, r.pdf()).unwrap();
    if tool("qpdf") {
        let out = Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
        let n = Command::new("qpdf")
            .arg("--show-npages")
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&n.stdout).trim(),
            r.page_count().to_string()
        );
    }
    if tool("pdftotext") {
        let out = Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let text = normalise(&String::from_utf8_lossy(&out.stdout));
        // pdftotext may drop the narrow spaces around the page number
        assert!(
            text.contains("- 2 -") || text.contains("-2-"),
            "page number on page 2"
        );
        assert!(text.contains("Butir 30."));
        // the footer is on every page
        assert_eq!(text.matches("Pasal 5 Ayat 1").count(), r.page_count());
    }
}
