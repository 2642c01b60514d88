//! Visible stamps: placement by rectangle, anchor and existing field; QR and
//! text; multiple signers; certification levels.

mod common;

use common::*;
use surat::sign::{CertificationLevel, Placement, SignOptions, Stamp, StampFields, sign_pdf};
use surat::verify::{LaterChanges, Verdict, Verifier};

fn stamp(name: &str) -> Stamp {
    Stamp::new(
        StampFields::new(name, "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA").nip("197001011990031001"),
    )
    .qr("https://surat.example.go.id/verifikasi/AB12CD34")
    .unwrap()
}

fn verify(pdf: &[u8]) -> surat::verify::Report {
    Verifier::new(trust()).at(t_valid()).verify(pdf).unwrap()
}

pub fn stamped_letter(signers: usize) -> Vec<u8> {
    let mut pdf = classic_pdf(1);
    let names = ["Budi Santoso", "Siti Rahayu", "Agus Wijaya"];
    for i in 0..signers {
        let x = 60.0 + 180.0 * i as f64;
        let opts = SignOptions::new(t_valid()).stamp(
            stamp(names[i]),
            Placement::Rect {
                page: 0,
                rect: [x, 100.0, x + 170.0, 160.0],
            },
        );
        pdf = sign_pdf(&pdf, &signer(ALGORITHMS[i]), &opts).unwrap();
    }
    pdf
}

#[test]
fn visible_stamps_verify_and_report_placement() {
    for n in 1..=3 {
        let pdf = stamped_letter(n);
        let r = verify(&pdf);
        assert_eq!(r.verdict, Verdict::Valid, "{n} signers: {r:#?}");
        for (i, s) in r.signatures.iter().enumerate() {
            let v = s.visible.as_ref().expect("visible");
            assert_eq!(v.page, Some(0));
            assert!((v.rect[0] - (60.0 + 180.0 * i as f64)).abs() < 0.01);
        }
        if n > 1 {
            assert_eq!(r.signatures[0].later_changes, LaterChanges::SignaturesOnly);
        }
    }
}

#[test]
fn stamp_text_is_embedded_and_searchable() {
    let pdf = stamped_letter(1);
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/FontFile2"));
    assert!(text.contains("+DejaVuSans"));
    assert!(text.contains("/ToUnicode"));
}

#[test]
fn anchor_placement_finds_the_marker() {
    // The generated page shows "Surat Dinas halaman 1" at (72, 720).
    let opts = SignOptions::new(t_valid()).stamp(
        stamp("Budi Santoso"),
        Placement::Anchor {
            marker: "halaman".into(),
            page: None,
            width: 150.0,
            height: 50.0,
        },
    );
    let pdf = sign_pdf(&classic_pdf(2), &signer("ed25519"), &opts).unwrap();
    let r = verify(&pdf);
    assert_eq!(r.verdict, Verdict::Valid);
    let v = r.signatures[0].visible.as_ref().unwrap();
    assert_eq!(v.page, Some(0));
    assert!(
        (v.rect[0] - 72.0).abs() < 0.01 && (v.rect[3] - 744.0).abs() < 0.01,
        "{:?}",
        v.rect
    );
    let missing = SignOptions::new(t_valid()).stamp(
        stamp("x"),
        Placement::Anchor {
            marker: "${ttd_pengirim}".into(),
            page: None,
            width: 1.0,
            height: 1.0,
        },
    );
    assert!(sign_pdf(&classic_pdf(1), &signer("ed25519"), &missing).is_err());
}

#[test]
fn certified_p1_then_signed_again_is_a_violation() {
    let opts = SignOptions::new(t_valid()).certify(CertificationLevel::NoChanges);
    let certified = sign_pdf(&classic_pdf(1), &signer("p256"), &opts).unwrap();
    let r = verify(&certified);
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures[0].certification, Some(1));
    let again = sign_pdf(&certified, &signer("ed25519"), &SignOptions::new(t_valid())).unwrap();
    let r = verify(&again);
    assert_eq!(r.verdict, Verdict::Invalid);
    assert!(
        r.signatures[0].reasons.iter().any(|m| m.contains("P=1")),
        "{:?}",
        r.signatures[0].reasons
    );
    // P=2 allows a further signature.
    let opts = SignOptions::new(t_valid()).certify(CertificationLevel::FormFilling);
    let certified = sign_pdf(&classic_pdf(1), &signer("p256"), &opts).unwrap();
    let again = sign_pdf(&certified, &signer("ed25519"), &SignOptions::new(t_valid())).unwrap();
    assert_eq!(verify(&again).verdict, Verdict::Valid);
}

#[test]
fn png_image_with_alpha_is_accepted() {
    // A 2x2 RGBA PNG written with the png crate.
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, 2, 2);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[
            255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 255, 255, 255, 255,
        ])
        .unwrap();
    }
    let s = stamp("Budi").image(&png_bytes).unwrap();
    let opts = SignOptions::new(t_valid()).stamp(
        s,
        Placement::Rect {
            page: 0,
            rect: [50.0, 50.0, 300.0, 110.0],
        },
    );
    let pdf = sign_pdf(&classic_pdf(1), &signer("ed25519"), &opts).unwrap();
    assert_eq!(verify(&pdf).verdict, Verdict::Valid);
    assert!(String::from_utf8_lossy(&pdf).contains("/SMask"));
}
