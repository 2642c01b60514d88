//! Invariants under arbitrary input (proptest): tampering is always
//! detected, signing round-trips for arbitrary texts, and no byte range
//! other than "the whole file minus the /Contents token" is accepted.

mod common;

use std::sync::OnceLock;

use common::*;
use proptest::prelude::*;
use surat::sign::{SignOptions, sign_pdf};
use surat::verify::{Coverage, Verdict, Verifier};

fn signed() -> &'static [u8] {
    static S: OnceLock<Vec<u8>> = OnceLock::new();
    S.get_or_init(|| {
        sign_pdf(
            &classic_pdf(1),
            &signer("ed25519"),
            &SignOptions::new(t_valid()).reason("Disetujui"),
        )
        .unwrap()
    })
}

fn not_valid(pdf: &[u8]) -> bool {
    match Verifier::new(trust()).at(t_valid()).verify(pdf) {
        Ok(r) => r.verdict != Verdict::Valid,
        Err(_) => true,
    }
}

/// Offset of the `/ByteRange` array's first number.
fn byte_range_at(pdf: &[u8]) -> usize {
    pdf.windows(12).rposition(|w| w == b"/ByteRange [").unwrap() + 12
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Any single-byte change inside a signed range is detected.
    #[test]
    fn any_byte_change_in_signed_ranges_is_detected(pos in any::<prop::sample::Index>(), xor in 1u8..=255) {
        let s = signed();
        let [_, b, c, d] = last_byte_range(s);
        // Signed positions: [0, b) and [c, c + d).
        let n = b + d;
        let i = pos.index(n);
        let at = if i < b { i } else { c + (i - b) };
        let mut t = s.to_vec();
        t[at] ^= xor;
        prop_assert!(not_valid(&t), "change at {at} (xor {xor:#x}) not detected");
    }

    /// Bytes appended after signing are detected (unless they are white
    /// space, which cannot change what a reader sees).
    #[test]
    fn appended_bytes_are_detected(tail in prop::collection::vec(any::<u8>(), 1..64)) {
        prop_assume!(tail.iter().any(|&c| !matches!(c, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')));
        let mut t = signed().to_vec();
        t.extend_from_slice(&tail);
        prop_assert!(not_valid(&t));
    }

    /// Any byte range other than the true one is refused: the four numbers
    /// are rewritten in place (same width), so only the range changes.
    #[test]
    fn only_the_exact_byte_range_is_accepted(
        which in 0usize..4,
        delta in prop_oneof![-2000i64..-1, 1i64..2000],
    ) {
        let s = signed();
        let br = last_byte_range(s);
        let mut v = br.map(|x| x as i64);
        v[which] += delta;
        prop_assume!(v.iter().all(|&x| x >= 0));
        let text = format!("{} {} {} {}]", v[0], v[1], v[2], v[3]);
        let at = byte_range_at(s);
        let old_end = at + s[at..].iter().position(|&c| c == b']').unwrap() + 1;
        prop_assume!(text.len() <= old_end - at);
        let mut t = s.to_vec();
        let mut padded = text.into_bytes();
        // Pad before the `]` so the array stays well-formed.
        let close = padded.pop().unwrap();
        while padded.len() < old_end - at - 1 {
            padded.push(b' ');
        }
        padded.push(close);
        t[at..old_end].copy_from_slice(&padded);
        prop_assert!(not_valid(&t), "byte range {v:?} accepted (true one {br:?})");
    }

    /// Sign → verify round-trips for arbitrary reasons, locations, signer
    /// names and field names, non-ASCII included.
    #[test]
    fn sign_verify_round_trips_for_arbitrary_texts(
        reason in "\\PC{0,40}",
        location in "\\PC{0,40}",
        name in "\\PC{0,40}",
        field in prop_oneof![
            Just("Tanda Tangan Kepala Dinas – Ibu Siti".to_string()),
            "[^.]{1,30}",
        ],
    ) {
        let opts = SignOptions::new(t_valid())
            .reason(reason)
            .location(location)
            .signer_name(name)
            .field_name(field.clone());
        let pdf = sign_pdf(&classic_pdf(1), &signer("ed25519"), &opts).unwrap();
        let r = Verifier::new(trust()).at(t_valid()).verify(&pdf).unwrap();
        prop_assert_eq!(r.verdict, Verdict::Valid, "{:#?}", r);
        prop_assert_eq!(&r.signatures[0].field, &field);
        prop_assert_eq!(r.signatures[0].coverage, Coverage::WholeFile);
        // Identity comes from the certificate, never from /Name.
        prop_assert_eq!(
            r.signatures[0].signer.as_ref().unwrap().common_name.as_deref(),
            Some("Budi Santoso")
        );
    }
}

#[test]
fn the_named_field_round_trips() {
    let field = "Tanda Tangan Kepala Dinas – Ibu Siti";
    let opts = SignOptions::new(t_valid())
        .reason("Mengetahui – Kepala Dinas")
        .location("Kota Surabaya, Jawa Timur")
        .signer_name("Ibu Siti Rahayu, S.Kom., M.T.")
        .field_name(field);
    let pdf = sign_pdf(&xref_stream_pdf(1), &signer("p256"), &opts).unwrap();
    let r = Verifier::new(trust()).at(t_valid()).verify(&pdf).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures[0].field, field);
}
