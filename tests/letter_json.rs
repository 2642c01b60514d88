//! `examples/letter.json` is the documented JSON form of a full letter; it must
//! load, keep its content, survive a round trip, and render.

use surat::letter::{Addressee, Delegation, Letter, LetterKind, Security, Urgency};
use surat::render::{Letterhead, RenderOptions, letter_pdf};

const JSON: &str = include_str!("../examples/letter.json");

#[test]
fn example_letter_loads() {
    let letter: Letter = serde_json::from_str(JSON).unwrap();
    assert_eq!(letter.kind(), &LetterKind::OfficialLetter);
    assert_eq!(letter.security(), Security::Ordinary);
    assert_eq!(letter.urgency(), Urgency::Urgent);
    assert_eq!(letter.number(), Some("000.8.3.3/15/Diskominfo"));
    assert_eq!(letter.attachment().unwrap().to_string(), "1 (satu) berkas");
    assert!(matches!(letter.addressees(), [Addressee::Internal { .. }]));
    assert_eq!(letter.copies()[1].place(), Some("Kudus"));
    assert!(matches!(
        letter.signature().delegation(),
        Delegation::OnBehalfOf { .. }
    ));
    assert_eq!(
        letter.signature().capacity_lines(),
        [
            "a.n. BUPATI KUDUS",
            "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA,"
        ]
    );
    assert_eq!(
        letter.signature().signer().unwrap().nip().unwrap().as_str(),
        "197905122005011003"
    );

    let again: Letter = serde_json::from_str(&serde_json::to_string(&letter).unwrap()).unwrap();
    assert_eq!(again, letter);
    assert_eq!(again.content_hash(), letter.content_hash());

    let r = letter_pdf(
        &letter,
        &RenderOptions::new(Letterhead::new(["DISKOMINFO"])),
    )
    .unwrap();
    assert!(r.pdf().starts_with(b"%PDF-1.7"));
}

#[test]
fn invariants_are_rechecked_when_loading() {
    for (from, to) in [
        ("197905122005011003", "197913122005011003"), // NIP: month 13
        ("\"000.8.3.3\"", "\"000..8\""),              // classification code
        ("\"count\": 1", "\"count\": 0"),             // attachment count
        ("\"place\": \"Kudus\",", "\"place\": \" \","), // blank place
        ("\"date\": \"2025-03-11\",", ""),            // number without date
        ("\"name\": \"Budi Santoso\"", "\"name\": \"\""), // blank signer name
    ] {
        let bad = JSON.replacen(from, to, 1);
        assert_ne!(bad, JSON, "pattern {from:?} not found");
        assert!(
            serde_json::from_str::<Letter>(&bad).is_err(),
            "accepted a letter with {from:?} -> {to:?}"
        );
    }
}
