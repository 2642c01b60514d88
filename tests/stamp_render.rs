//! A stamped document rendered by poppler shows a QR code that a decoder
//! reads back, and the stamp text extracts as text. Needs `pdftoppm`,
//! `pdftotext` (poppler-utils) and `zbarimg` (zbar-tools): `.ci/run` installs
//! them; without them the test fails under CI and is skipped (with a message)
//! elsewhere.

mod common;

use std::process::Command;

use common::*;
use surat::sign::{Placement, SignOptions, Stamp, StampFields, sign_pdf};

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
        || Command::new(tool).arg("--version").output().is_ok()
}

#[test]
fn stamp_renders_with_a_readable_qr_code_and_text() {
    let tools = ["pdftoppm", "pdftotext", "zbarimg"];
    if let Some(missing) = tools.iter().find(|t| !have(t)) {
        assert!(
            std::env::var_os("CI").is_none(),
            "{missing} is required under CI"
        );
        eprintln!("SKIPPED: {missing} not installed");
        return;
    }
    let url = "https://surat.example.go.id/verifikasi/AB12CD34";
    let stamp = Stamp::new(
        StampFields::new("Budi Santoso", "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA")
            .nip("197001011990031001"),
    )
    .qr(url)
    .unwrap();
    let opts = SignOptions::new(t_valid()).stamp(
        stamp,
        Placement::Rect {
            page: 0,
            rect: [300.0, 90.0, 540.0, 170.0],
        },
    );
    let pdf = sign_pdf(&classic_pdf(1), &signer("ed25519"), &opts).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stamped.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let png = dir.path().join("page");
    let st = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-singlefile"])
        .arg(&file)
        .arg(&png)
        .status()
        .unwrap();
    assert!(st.success());
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(dir.path().join("page.png"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), url);
    let text = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    // The stamp wraps long lines: compare with white space folded.
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Ditandatangani secara elektronik oleh:"),
        "{text}"
    );
    assert!(
        text.contains("Budi Santoso") && text.contains("NIP 197001011990031001"),
        "{text}"
    );
}
