//! Differential check: for attacks that change what is displayed, poppler's
//! `pdftotext` shows different text for the signed revision and for the final
//! document, and the verifier does not say valid. Needs `pdftotext`
//! (poppler-utils, installed by `.ci/run`); fails under CI without it.

mod common;

use std::process::Command;

use common::*;
use surat::sign::{SignOptions, sign_pdf};
use surat::verify::{Verdict, Verifier};

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.pdf");
    std::fs::write(&f, pdf).unwrap();
    let out = Command::new("pdftotext").arg(&f).arg("-").output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn displayed_changes_are_never_valid() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is required under CI"
        );
        eprintln!("SKIPPED: pdftotext not installed");
        return;
    }
    let signed = sign_pdf(
        &classic_pdf(1),
        &signer("p256"),
        &SignOptions::new(t_valid()),
    )
    .unwrap();
    let evil = b"BT /F1 24 Tf 72 720 Td (Surat Palsu halaman 1) Tj ET";
    let content = format!(
        "<</Length {}>>\nstream\n{}\nendstream",
        evil.len(),
        String::from_utf8_lossy(evil)
    );
    // Three ways to change what is shown after signing.
    let page = b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 40 0 R /Resources <</Font <</F1 3 0 R>>>>>>";
    let with_new_contents = append_update(&append_update(&signed, 40, content.as_bytes()), 4, page);
    let attacks: Vec<(&str, Vec<u8>)> = vec![
        (
            "content stream replaced",
            append_update(&signed, 5, content.as_bytes()),
        ),
        ("page points at new content", with_new_contents),
    ];
    let signed_text = text_of(&signed);
    assert!(
        signed_text.contains("Surat Dinas halaman 1"),
        "{signed_text}"
    );
    for (name, pdf) in attacks {
        let shown = text_of(&pdf);
        assert_ne!(
            shown, signed_text,
            "{name}: the attack must change the displayed text"
        );
        assert!(shown.contains("Surat Palsu"), "{name}: {shown}");
        let r = Verifier::new(trust()).at(t_valid()).verify(&pdf).unwrap();
        assert_eq!(r.verdict, Verdict::Invalid, "{name}");
        // The signed revision alone still shows the original text.
        let [_, _, c, d] = last_byte_range(&signed);
        assert_eq!(text_of(&pdf[..c + d]), signed_text, "{name}");
    }
}
