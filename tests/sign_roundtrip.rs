//! Sign → verify → tamper → detected, for every algorithm and producer style.

mod common;

use common::*;
use surat::sign::{PreparedSignature, SignError, SignOptions, Signer, SubFilter, sign_pdf};
use surat::verify::{Check, Coverage, LaterChanges, Verdict, Verifier};

fn opts() -> SignOptions {
    SignOptions::new(t_valid())
        .reason("Disetujui")
        .location("Kudus")
}

fn verify(pdf: &[u8]) -> surat::verify::Report {
    Verifier::new(trust()).at(t_valid()).verify(pdf).unwrap()
}

fn producers() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("classic", classic_pdf(2)),
        ("xref-stream", xref_stream_pdf(2)),
    ]
}

#[test]
fn every_algorithm_and_producer_round_trips() {
    for (producer, pdf) in producers() {
        for alg in ALGORITHMS {
            let signed = sign_pdf(&pdf, &signer(alg), &opts()).unwrap();
            assert_eq!(
                &signed[..pdf.len()],
                &pdf[..],
                "{producer}/{alg}: original bytes changed"
            );
            let r = verify(&signed);
            assert_eq!(r.verdict, Verdict::Valid, "{producer}/{alg}: {r:#?}");
            let s = &r.signatures[0];
            assert_eq!(s.coverage, Coverage::WholeFile);
            assert_eq!(s.later_changes, LaterChanges::None);
            assert!(s.signer.as_ref().unwrap().subject.contains("Diskominfo"));
        }
    }
}

#[test]
fn update_keeps_the_xref_form_of_the_input() {
    let signed = sign_pdf(&xref_stream_pdf(1), &signer("ed25519"), &opts()).unwrap();
    let tail = String::from_utf8_lossy(&signed[signed.len() - 400..]).into_owned();
    assert!(tail.contains("/Type /XRef"), "{tail}");
    let signed = sign_pdf(&classic_pdf(1), &signer("ed25519"), &opts()).unwrap();
    let tail = String::from_utf8_lossy(&signed[signed.len() - 400..]).into_owned();
    assert!(tail.contains("\ntrailer\n"), "{tail}");
    // /ID keeps its first element.
    assert!(tail.contains("<00112233445566778899AABBCCDDEEFF>"));
}

#[test]
fn pkcs7_subfilter_and_pss_verify() {
    let pdf = classic_pdf(1);
    let s = signer("rsa").with_rsa_pss();
    let signed = sign_pdf(&pdf, &s, &opts().sub_filter(SubFilter::Pkcs7)).unwrap();
    let r = verify(&signed);
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(
        r.signatures[0].sub_filter.as_deref(),
        Some("adbe.pkcs7.detached")
    );
    assert!(
        r.signatures[0]
            .algorithm
            .as_deref()
            .unwrap()
            .contains("PSS")
    );
}

#[test]
fn pkcs12_signers_load_and_sign() {
    for file in ["pki/rsa.p12", "pki/rsa-legacy.p12"] {
        let s = surat::sign::KeySigner::from_pkcs12(&read_fixture(file), "rahasia").unwrap();
        assert_eq!(
            s.certificate_chain().len(),
            2,
            "{file}: chain from the file"
        );
        let signed = sign_pdf(&classic_pdf(1), &s, &opts()).unwrap();
        assert_eq!(verify(&signed).verdict, Verdict::Valid);
        assert!(surat::sign::KeySigner::from_pkcs12(&read_fixture(file), "salah").is_err());
    }
}

#[test]
fn several_signatures_stay_valid() {
    let mut pdf = xref_stream_pdf(1);
    for alg in ALGORITHMS {
        pdf = sign_pdf(&pdf, &signer(alg), &opts()).unwrap();
    }
    let r = verify(&pdf);
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures.len(), 3);
    assert_eq!(r.signatures[0].later_changes, LaterChanges::SignaturesOnly);
    assert_eq!(r.signatures[0].coverage, Coverage::WholeRevision);
    assert_eq!(r.signatures[2].coverage, Coverage::WholeFile);
    let names: Vec<_> = r.signatures.iter().map(|s| s.field.as_str()).collect();
    assert_eq!(names, ["Signature1", "Signature2", "Signature3"]);
}

#[test]
fn flipped_byte_in_signed_range_is_detected() {
    let signed = sign_pdf(&classic_pdf(1), &signer("ed25519"), &opts()).unwrap();
    let [_, b, c, _] = last_byte_range(&signed);
    // One byte in each signed range: inside page text and inside the update.
    for pos in [
        signed.iter().position(|&x| x == b'S').unwrap(),
        c + 5,
        b - 3,
    ] {
        let mut t = signed.clone();
        t[pos] ^= 0x01;
        // Structurally unreadable (an Err) is also not valid.
        if let Ok(r) = Verifier::new(trust()).at(t_valid()).verify(&t) {
            assert_ne!(r.verdict, Verdict::Valid, "flip at {pos} not detected");
        }
    }
}

#[test]
fn appended_content_change_is_invalid() {
    let signed = sign_pdf(&classic_pdf(1), &signer("p256"), &opts()).unwrap();
    let evil = b"BT /F1 24 Tf 72 720 Td (Surat Palsu) Tj ET";
    let body = format!(
        "<</Length {}>>\nstream\n{}\nendstream",
        evil.len(),
        String::from_utf8_lossy(evil)
    );
    let tampered = append_update(&signed, 5, body.as_bytes());
    let r = verify(&tampered);
    assert_eq!(r.verdict, Verdict::Invalid);
    let s = &r.signatures[0];
    assert_eq!(s.later_changes, LaterChanges::Other);
    assert_eq!(
        s.integrity,
        Check::Passed,
        "the signed revision itself is intact"
    );
    assert!(
        s.reasons.iter().any(|x| x.contains("later revisions")),
        "{:?}",
        s.reasons
    );
}

#[test]
fn edited_byte_range_is_invalid() {
    let signed = sign_pdf(&classic_pdf(1), &signer("ed25519"), &opts()).unwrap();
    let [_, b, c, d] = last_byte_range(&signed);
    let at = signed
        .windows(12)
        .rposition(|w| w == b"/ByteRange [")
        .unwrap();
    let old = format!("{b}");
    let new = format!("{}", b - 1);
    let mut t = signed.clone();
    let pos = at + 12 + 2; // after "0 "
    assert_eq!(&t[pos..pos + old.len()], old.as_bytes());
    t[pos..pos + new.len()].copy_from_slice(new.as_bytes());
    for i in new.len()..old.len() {
        t[pos + i] = b' ';
    }
    let r = verify(&t);
    assert_eq!(r.verdict, Verdict::Invalid, "{c} {d}");
}

#[test]
fn trailing_data_after_eof_is_invalid() {
    let mut signed = sign_pdf(&classic_pdf(1), &signer("ed25519"), &opts()).unwrap();
    signed.extend_from_slice(b"5 0 obj\n<</Length 3>>\nstream\nabc\nendstream\nendobj\n");
    assert_eq!(verify(&signed).verdict, Verdict::Invalid);
}

#[test]
fn trust_failures_are_not_valid() {
    let pdf = classic_pdf(1);
    // Look-alike root with the same name.
    let r = verify(&sign_pdf(&pdf, &signer("evil"), &opts()).unwrap());
    assert_eq!(r.verdict, Verdict::Indeterminate);
    assert!(matches!(r.signatures[0].trust, Check::Failed(_)));
    assert_eq!(r.signatures[0].integrity, Check::Passed);
    // Certificate not allowed to sign documents.
    let r = verify(&sign_pdf(&pdf, &signer("nosign"), &opts()).unwrap());
    assert_ne!(r.verdict, Verdict::Valid);
    // Expired at validation time.
    let signed = sign_pdf(&pdf, &signer("ed25519"), &opts()).unwrap();
    let r = Verifier::new(trust())
        .at(t_expired())
        .verify(&signed)
        .unwrap();
    assert_ne!(r.verdict, Verdict::Valid);
    assert!(matches!(&r.signatures[0].trust, Check::Failed(m) if m.contains("not valid at")));
    // No trust anchors at all.
    let r = Verifier::new(surat::cert::TrustStore::new())
        .at(t_valid())
        .verify(&signed)
        .unwrap();
    assert_ne!(r.verdict, Verdict::Valid);
}

#[test]
fn two_phase_signing_matches_one_shot() {
    let pdf = classic_pdf(1);
    let s = signer("p256");
    let prepared =
        PreparedSignature::prepare(&pdf, s.certificate_chain(), s.algorithm(), &opts()).unwrap();
    // The remote side signs the message.
    let sig = s.sign(prepared.message()).unwrap();
    let update = prepared.finish(&sig).unwrap();
    let mut out = pdf.clone();
    out.extend_from_slice(&update);
    assert_eq!(verify(&out).verdict, Verdict::Valid);
    // A wrong signature value is caught by the verifier, not hidden.
    let prepared =
        PreparedSignature::prepare(&pdf, s.certificate_chain(), s.algorithm(), &opts()).unwrap();
    let other = s.sign(b"something else").unwrap();
    let mut bad = pdf.clone();
    bad.extend_from_slice(&prepared.finish(&other).unwrap());
    let r = verify(&bad);
    assert_eq!(r.verdict, Verdict::Invalid);
    assert!(matches!(r.signatures[0].signature, Check::Failed(_)));
}

#[test]
fn unsigned_documents_and_garbage() {
    let r = verify(&classic_pdf(1));
    assert_ne!(r.verdict, Verdict::Valid);
    assert!(r.signatures.is_empty());
    assert!(Verifier::new(trust()).verify(b"hello").is_err());
    assert!(matches!(
        sign_pdf(b"%PDF-1.7\nnot really", &signer("ed25519"), &opts()),
        Err(SignError::Pdf(_))
    ));
}

#[test]
fn duplicate_field_name_is_refused() {
    let signed = sign_pdf(
        &classic_pdf(1),
        &signer("ed25519"),
        &opts().field_name("TTE"),
    )
    .unwrap();
    let again = sign_pdf(&signed, &signer("p256"), &opts().field_name("TTE"));
    assert!(matches!(again, Err(SignError::Field(_))));
}

#[test]
fn batch_signing_reports_each_document() {
    let good = classic_pdf(1);
    let docs: Vec<&[u8]> = vec![&good, b"not a pdf", &good];
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let results = surat::sign::sign_batch(&docs, &signer("ed25519"), &opts(), &|_, total| {
        assert_eq!(total, 3);
        seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(seen.into_inner(), 3);
    assert_eq!(results.len(), 3);
    assert!(results[1].result.is_err());
    for i in [0, 2] {
        let signed = results[i].result.as_ref().unwrap();
        assert_eq!(verify(signed).verdict, Verdict::Valid);
    }
}

#[test]
fn sign_dir_writes_only_complete_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let output = dir.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.pdf"), classic_pdf(1)).unwrap();
    std::fs::write(input.join("b.pdf"), b"%PDF-1.7 broken").unwrap();
    let results =
        surat::sign::sign_dir(&input, &output, &signer("p256"), &opts(), &|_, _| {}).unwrap();
    assert_eq!(results.len(), 2);
    assert!(results[0].1.is_ok() && results[1].1.is_err());
    let names: Vec<_> = std::fs::read_dir(&output)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        ["a.pdf"],
        "no partial or temporary file for the failed one"
    );
    assert_eq!(
        verify(&std::fs::read(output.join("a.pdf")).unwrap()).verdict,
        Verdict::Valid
    );
    // Same directory in and out is refused.
    assert!(surat::sign::sign_dir(&input, &input, &signer("p256"), &opts(), &|_, _| {}).is_err());
}

#[test]
fn dangling_reference_made_live_after_signing_is_invalid() {
    // The signed page refers to annotation 50, which does not exist yet.
    let page = b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources <</Font <</F1 3 0 R>>>> /Annots [50 0 R]>>";
    let base = append_update(&classic_pdf(1), 4, page);
    let signed = sign_pdf(&base, &signer("ed25519"), &opts()).unwrap();
    assert_eq!(verify(&signed).verdict, Verdict::Valid);
    let overlay = b"<</Type /Annot /Subtype /FreeText /Rect [0 0 595 842] /Contents (DIBATALKAN) /DA (/Helv 48 Tf 1 0 0 rg)>>";
    let tampered = append_update(&signed, 50, overlay);
    let r = verify(&tampered);
    assert_eq!(r.verdict, Verdict::Invalid);
    assert!(
        r.signatures[0]
            .change_notes
            .iter()
            .any(|n| n.contains("undefined in the signed revision")),
        "{:?}",
        r.signatures[0].change_notes
    );
}

/// Files of 1 MiB and more are hashed (and, in `sign_pdf`, copied) on a
/// second thread beside the parsing: the result must be byte for byte what
/// the one-thread path gives, and tampering anywhere must still show.
#[test]
fn large_files_sign_and_verify_as_small_ones() {
    let pdf = big_pdf(3 << 20);
    assert!(pdf.len() > 3_000_000);
    for alg in ["ed25519", "p256"] {
        let s = signer(alg);
        let signed = sign_pdf(&pdf, &s, &opts()).unwrap();
        // Ed25519 and RFC 6979 ECDSA are deterministic, so the threaded
        // sign_pdf equals the input followed by the update alone.
        let update = surat::sign::sign_update(&pdf, &s, &opts()).unwrap();
        assert_eq!(signed.len(), pdf.len() + update.len(), "{alg}");
        assert!(
            signed[..pdf.len()] == pdf[..],
            "{alg}: original bytes changed"
        );
        assert!(signed[pdf.len()..] == update[..], "{alg}: update differs");
        let r = verify(&signed);
        assert_eq!(r.verdict, Verdict::Valid, "{alg}: {r:#?}");
        // A byte deep inside the part the background thread hashes.
        let mut bad = signed.clone();
        bad[2 << 20] ^= 0x01;
        let r = verify(&bad);
        assert_eq!(r.verdict, Verdict::Invalid, "{alg}");
        assert!(
            matches!(r.signatures[0].integrity, Check::Failed(_)),
            "{alg}"
        );
        // A second signature: the first one's modification analysis runs
        // beside its hash.
        let twice = sign_pdf(&signed, &signer("rsa"), &opts()).unwrap();
        let r = verify(&twice);
        assert_eq!(r.verdict, Verdict::Valid, "{alg}: {r:#?}");
        assert_eq!(r.signatures[0].later_changes, LaterChanges::SignaturesOnly);
    }
}

/// The same with the page dictionaries in object streams, all in one and in
/// streams of 100: a reference to a free object in the last page, which
/// sits in the helper's chunks of compressed objects as often as in the
/// calling thread's (and in a stream that either thread may decode), is
/// flagged, and nothing else is.
#[test]
fn audit_of_compressed_objects_split_between_threads_flags_what_it_finds() {
    for per_stream in [usize::MAX, 100] {
        let pdf = common::object_streams_pdf_edited(10_000, per_stream, |objs| {
            let font = b"/F1 3 0 R";
            let page = objs
                .iter_mut()
                .rev()
                .find(|(dict, _)| dict.windows(font.len()).any(|w| w == font))
                .unwrap();
            let at = page.0.windows(font.len()).position(|w| w == font).unwrap();
            page.0[at..at + font.len()].copy_from_slice(b"/F1 0 0 R");
        });
        for (alg, _, found) in signed_on_the_threaded_path(&pdf) {
            let warnings = found.join("\n");
            assert!(
                warnings.contains("refers to object 0, which is a free object"),
                "{alg}, {per_stream} per stream: {warnings}"
            );
            assert_eq!(found.len(), 1, "{alg}, {per_stream} per stream: {warnings}");
        }
    }
}

/// `pdf` (checked to be large enough for verification to share its audit
/// between two threads, and its revisions checked) signed with Ed25519 and
/// with P-256: each signed file, found valid, with its warnings.
fn signed_on_the_threaded_path(pdf: &[u8]) -> Vec<(&'static str, Vec<u8>, Vec<String>)> {
    assert!(
        pdf.len() > 1 << 20,
        "{} bytes: too small for the threaded path",
        pdf.len()
    );
    surat::fuzzing::revisions(pdf, Default::default()).unwrap();
    ["ed25519", "p256"]
        .into_iter()
        .map(|alg| {
            let signed = sign_pdf(pdf, &signer(alg), &opts()).unwrap();
            let r = verify(&signed);
            assert_eq!(r.verdict, Verdict::Valid, "{alg}: {r:#?}");
            let warnings = r.signatures[0].warnings.clone();
            (alg, signed, warnings)
        })
        .collect()
}

/// A file of many objects, large enough that verification splits the audit
/// of the signed revision between two threads: what one thread's chunks
/// hold (a hidden object body before the cross-reference table, a reference
/// to a free object in a page near the end) is flagged all the same, and
/// the scan taken in chunks in reverse order equals the one-pass scan.
#[test]
fn audit_split_between_threads_flags_what_it_finds() {
    let mut pdf = classic_pdf(6000);
    // A reference to object 0 (free) in the last page's resources, the same
    // length as the font reference it replaces.
    let font = b"/F1 3 0 R";
    let last = pdf.windows(font.len()).rposition(|w| w == font).unwrap();
    pdf[last..last + font.len()].copy_from_slice(b"/F1 0 0 R");
    // An object body no cross-reference entry reaches, before `xref`;
    // `startxref` moves with it.
    let xref = pdf.windows(6).rposition(|w| w == b"\nxref\n").unwrap() + 1;
    let hidden = b"7 0 obj\n<</Hidden true>>\nendobj\n";
    pdf.splice(xref..xref, hidden.iter().copied());
    let sx = pdf.windows(10).rposition(|w| w == b"startxref\n").unwrap() + 10;
    let eol = sx + pdf[sx..].iter().position(|&c| c == b'\n').unwrap();
    let old: usize = std::str::from_utf8(&pdf[sx..eol]).unwrap().parse().unwrap();
    assert_eq!(old, xref);
    pdf.splice(sx..eol, (old + hidden.len()).to_string().into_bytes());
    for (alg, signed, found) in signed_on_the_threaded_path(&pdf) {
        surat::fuzzing::revisions(&signed, Default::default()).unwrap();
        let warnings = found.join("\n");
        assert!(
            warnings.contains("refers to object 0, which is a free object"),
            "{alg}: {warnings}"
        );
        assert!(
            warnings.contains("(a duplicate or hidden object body)"),
            "{alg}: {warnings}"
        );
        assert_eq!(found.len(), 2, "{alg}: {warnings}");
    }
}
