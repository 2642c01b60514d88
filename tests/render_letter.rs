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
