//! Lembar disposisi: structure (qpdf --check), text (pdftotext), edge cases.

mod disposition_common;

use std::process::Command;

use disposition_common::*;
use surat::disposition::{
    DispositionError, DispositionId, Event, Forward, Instruction, Journal, RecipientId, Role,
};
use surat::render::{SheetError, SheetOptions, disposition_sheet};

fn journal(note: &str) -> (Fixture, Journal) {
    let fx = Fixture::new();
    let mut j = Journal::new();
    let mut n = 0;
    let mut rec = |j: &mut Journal, actor: &str, ev: Event| {
        n += 1;
        j.record(&fx.org, fx.key(actor), &a(actor), t(n), ev)
            .unwrap();
    };
    rec(&mut j, "tu-1", Event::Register(fx.registration()));
    rec(
        &mut j,
        "kadis-def",
        Event::Read {
            recipient: RecipientId::ROOT,
        },
    );
    rec(
        &mut j,
        "kadis-def",
        Event::Forward(
            Forward::new(RecipientId::ROOT)
                .to(p("kabid1"), Role::Leading)
                .to(p("kabid2"), Role::Supporting)
                .to(p("sekretaris"), Role::Copy)
                .instruction(Instruction::FollowUp)
                .instruction(Instruction::Custom("Koordinasikan dengan BSSN".into()))
                .note(note)
                .deadline(day(10)),
        ),
    );
    rec(
        &mut j,
        "kabid1",
        Event::Read {
            recipient: RecipientId::new(1),
        },
    );
    (fx, j)
}

fn options() -> SheetOptions {
    SheetOptions::new([
        "PEMERINTAH KABUPATEN CONTOH",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "Jalan Merdeka Nomor 1, Contoh",
    ])
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok()
}

fn check_pdf(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.pdf");
    std::fs::write(&path, pdf).unwrap();
    if tool("qpdf") {
        let out = Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "qpdf: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    } else {
        eprintln!("qpdf not installed: structure check skipped");
    }
    if !tool("pdftotext") {
        eprintln!("pdftotext not installed: text check skipped");
        return None;
    }
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn sheet_has_the_form_fields() {
    let (fx, j) = journal("Hadiri rapat dan laporkan hasilnya.");
    let pdf = disposition_sheet(j.tree(), &fx.org, DispositionId::new(0), &options()).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    assert_eq!(
        pdf,
        disposition_sheet(j.tree(), &fx.org, DispositionId::new(0), &options()).unwrap(),
        "deterministic"
    );
    if let Some(text) = check_pdf(&pdf) {
        for want in [
            "LEMBAR DISPOSISI",
            "PEMERINTAH KABUPATEN CONTOH",
            "Surat dari",
            "Kementerian Komunikasi dan Digital",
            "B-123/KOMINFO/HM.01.01/01/2025",
            "2 Januari 2025",
            "SM/0001/2025",
            "Undangan Rapat Koordinasi",
            "Diteruskan kepada",
            "Kepala Bidang Aplikasi Informatika",
            "Tembusan",
            "Untuk ditindaklanjuti",
            "Koordinasikan dengan BSSN",
            "Hadiri rapat dan laporkan hasilnya.",
            "Batas penyelesaian: 10 Januari 2025",
            "Pemberi disposisi",
            "Budi",
            "Tanda terima",
            "Dibaca",
        ] {
            assert!(text.contains(want), "missing {want:?} in:\n{text}");
        }
    }
}

#[test]
fn long_and_non_latin_text_stays_on_the_page() {
    let note = format!(
        "{} 漢字 ✓ — “kutip” {}",
        "sangat panjang ".repeat(200),
        "x".repeat(300)
    );
    let (fx, j) = journal(&note);
    let pdf = disposition_sheet(j.tree(), &fx.org, DispositionId::new(0), &options()).unwrap();
    if let Some(text) = check_pdf(&pdf) {
        assert!(text.contains("sangat panjang"));
        assert!(text.contains('…'), "cut text is marked");
    }
}

#[test]
fn unknown_disposition_is_an_error() {
    let (fx, j) = journal("x");
    assert!(matches!(
        disposition_sheet(j.tree(), &fx.org, DispositionId::new(7), &options()),
        Err(SheetError::Disposition(
            DispositionError::UnknownDisposition { .. }
        ))
    ));
    let empty = Journal::new();
    assert!(matches!(
        disposition_sheet(empty.tree(), &fx.org, DispositionId::new(0), &options()),
        Err(SheetError::Disposition(DispositionError::NotRegistered))
    ));
}

#[test]
fn the_largest_disposition_fits_one_page() {
    use chrono::{TimeZone, Utc};
    use surat::disposition::{Assignment, AssignmentKind, MAX_TARGETS, Org, PositionId};
    let fx = Fixture::new();
    let mut org = Org::new();
    let title = "Kepala Seksi Pengelolaan Infrastruktur Teknologi Informasi dan Komunikasi Daerah";
    org.add_position(p("kadis"), title, None).unwrap();
    let since = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    for id in ["tu-1", "kadis-def"] {
        org.add_assignment(Assignment::new(
            a(id),
            p("kadis"),
            AssignmentKind::Acting,
            "N".repeat(80),
            since,
        ))
        .unwrap();
    }
    let mut fwd = Forward::new(RecipientId::ROOT).note("catatan ".repeat(400));
    for i in 0..MAX_TARGETS {
        let pos = PositionId::new(format!("seksi-{i}")).unwrap();
        org.add_position(pos.clone(), format!("{title} {i}"), Some(&p("kadis")))
            .unwrap();
        let role = match i {
            0 => Role::Leading,
            _ if i % 2 == 0 => Role::Copy,
            _ => Role::Supporting,
        };
        fwd = fwd.to(pos, role);
    }
    for ins in Instruction::STANDARD {
        fwd = fwd.instruction(ins);
    }
    for k in 0..10 {
        fwd = fwd.instruction(Instruction::Custom(format!(
            "{} {k}",
            "Instruksi khusus ".repeat(15)
        )));
    }
    let mut j = Journal::new();
    let reg = fx
        .registration()
        .subject("Hal ".repeat(70))
        .sender("Pengirim ".repeat(30));
    j.record(&org, fx.key("tu-1"), &a("tu-1"), t(0), Event::Register(reg))
        .unwrap();
    j.record(
        &org,
        fx.key("kadis-def"),
        &a("kadis-def"),
        t(1),
        Event::Read {
            recipient: RecipientId::ROOT,
        },
    )
    .unwrap();
    j.record(
        &org,
        fx.key("kadis-def"),
        &a("kadis-def"),
        t(2),
        Event::Forward(fwd),
    )
    .unwrap();
    let pdf = disposition_sheet(j.tree(), &org, DispositionId::new(0), &options()).unwrap();
    std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/sheet")).unwrap();
    std::fs::write(
        concat!(env!("CARGO_TARGET_TMPDIR"), "/sheet/largest.pdf"),
        &pdf,
    )
    .unwrap();
    if let Some(text) = check_pdf(&pdf) {
        // The footer is the last thing drawn, at the bottom margin: if the
        // boxes had run past it, pdftotext would order text differently.
        assert!(text.contains("lainnya"), "overflow is summarised");
        assert!(text.contains("SHA-256 berkas surat"));
    }
}
