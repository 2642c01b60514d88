//! Hostile input: one case per attack of `SECURITY-RULES.md`, built at test
//! time from our own signed files (`common/attacks.rs`), each asserting the
//! verdict AND the reason the report gives. The manifest of these cases is
//! `tests/fixtures/attacks/MANIFEST.md`.

mod common;
#[path = "common/attacks.rs"]
mod forge;

use chrono::{DateTime, Utc};
use common::*;
use forge::*;
use surat::cert::Certificate;
use surat::sign::{KeySigner, sign_pdf};
use surat::verify::{Check, Report, Verdict, Verifier};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// `Verdict::Invalid`.
    Invalid,
    /// `Verdict::Indeterminate` (nothing proven wrong, but not trusted).
    Indeterminate,
    /// `verify` returns `Err`: the input cannot be read at all.
    Unreadable,
}

struct Case {
    name: &'static str,
    class: &'static str,
    bytes: Vec<u8>,
    expect: Expect,
    /// A substring of the report's reasons, notes, problems or failed checks
    /// (or of the error), case-insensitive.
    reason: &'static str,
    at: DateTime<Utc>,
}

fn case(
    name: &'static str,
    class: &'static str,
    bytes: Vec<u8>,
    expect: Expect,
    reason: &'static str,
) -> Case {
    Case {
        name,
        class,
        bytes,
        expect,
        reason,
        at: t_valid(),
    }
}

/// Everything the report says, in one text.
fn report_text(r: &Report) -> String {
    let mut t = r.problems.join("\n");
    for s in &r.signatures {
        t.push('\n');
        t.push_str(&s.reasons.join("\n"));
        t.push('\n');
        t.push_str(&s.change_notes.join("\n"));
        t.push('\n');
        t.push_str(&s.warnings.join("\n"));
        for c in [&s.integrity, &s.signature, &s.signer_binding, &s.trust] {
            if let Check::Failed(m) | Check::NotChecked(m) = c {
                t.push('\n');
                t.push_str(m);
            }
        }
    }
    t
}

fn verify_at(bytes: &[u8], at: DateTime<Utc>) -> Result<Report, surat::verify::VerifyError> {
    Verifier::new(trust()).at(at).verify(bytes)
}

fn check(c: &Case) -> Result<(), String> {
    let got = verify_at(&c.bytes, c.at);
    let (verdict, text) = match &got {
        Ok(r) => (Some(r.verdict), report_text(r)),
        Err(e) => (None, format!("{e}")),
    };
    if std::env::var_os("SURAT_ATTACK_DUMP").is_some() {
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        println!(
            "ATTACK|{}|{}|{:?}|{:?}|{}",
            c.class, c.name, verdict, c.reason, first
        );
    }
    let ok_verdict = match c.expect {
        Expect::Invalid => verdict == Some(Verdict::Invalid),
        Expect::Indeterminate => verdict == Some(Verdict::Indeterminate),
        Expect::Unreadable => verdict.is_none(),
    };
    if verdict == Some(Verdict::Valid) {
        return Err(format!(
            "{} ({}): VALID — the verifier was fooled",
            c.name, c.class
        ));
    }
    if !ok_verdict {
        return Err(format!(
            "{} ({}): expected {:?}, got {:?}: {text}",
            c.name, c.class, c.expect, verdict
        ));
    }
    if !text.to_lowercase().contains(&c.reason.to_lowercase()) {
        return Err(format!(
            "{} ({}): reason {:?} not in report:\n{text}",
            c.name, c.class, c.reason
        ));
    }
    Ok(())
}

fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in &cases {
        if let Err(e) = check(c) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} attacks not handled:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n---\n")
    );
}

/// The untouched files the attacks start from are valid: otherwise every
/// "not valid" below proves nothing.
#[test]
fn baselines_are_valid() {
    for (name, pdf) in [
        ("ed25519", signed("ed25519")),
        ("p256", signed("p256")),
        ("rsa", signed("rsa")),
        ("certified P=1", certified(1)),
        ("certified P=2", certified(2)),
        (
            "custom resigned",
            edit_attrs(&signed("ed25519"), |_, _, _| {}),
        ),
        ("roomy", roomy()),
    ] {
        let r = verify_at(&pdf, t_valid()).unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{name}: {r:#?}");
    }
    let r = verify_at(&certified(1), t_valid()).unwrap();
    assert_eq!(r.signatures[0].certification, Some(1));
    let r = verify_at(&certified(2), t_valid()).unwrap();
    assert_eq!(r.signatures[0].certification, Some(2));
}

const USF: &str = "universal signature forgery";

#[test]
fn universal_signature_forgery() {
    let s = signed("ed25519");
    let l = layout(&s);
    let [_, b, c, d] = l.br;
    let br = |t: &str| set_byte_range_text(&s, &format!("/ByteRange {t}"));
    let ct = |t: &str| set_contents_text(&s, t);
    let bad_br = "/ByteRange is missing or not four non-negative integers";
    let bad_range = "is not a valid range over this file";
    let no_contents = "/Contents is missing or not a string";
    let cases = vec![
        // /Contents
        case(
            "contents-missing",
            USF,
            ct(""),
            Expect::Invalid,
            no_contents,
        ),
        case(
            "contents-null",
            USF,
            ct("/Contents null"),
            Expect::Invalid,
            no_contents,
        ),
        case(
            "contents-integer",
            USF,
            ct("/Contents 0"),
            Expect::Invalid,
            no_contents,
        ),
        case(
            "contents-array",
            USF,
            ct("/Contents []"),
            Expect::Invalid,
            no_contents,
        ),
        case(
            "contents-empty-hex",
            USF,
            ct("/Contents <>"),
            Expect::Invalid,
            "not exactly the hexadecimal /Contents",
        ),
        case(
            "contents-empty-literal",
            USF,
            ct("/Contents ()"),
            Expect::Invalid,
            "not exactly the hexadecimal /Contents",
        ),
        case(
            "contents-renamed-key",
            USF,
            replace_padded(&s, l.contents_key, l.contents_key + 9, b"/Contentz"),
            Expect::Invalid,
            no_contents,
        ),
        // /ByteRange
        case(
            "byterange-missing",
            USF,
            set_byte_range_text(&s, ""),
            Expect::Invalid,
            bad_br,
        ),
        case("byterange-null", USF, br("null"), Expect::Invalid, bad_br),
        case("byterange-empty", USF, br("[]"), Expect::Invalid, bad_br),
        case(
            "byterange-zero",
            USF,
            br("[0 0 0 0]"),
            Expect::Invalid,
            bad_range,
        ),
        case(
            "byterange-three",
            USF,
            br(&format!("[0 {b} {c}]")),
            Expect::Invalid,
            bad_br,
        ),
        case(
            "byterange-five",
            USF,
            br(&format!("[0 {b} {c} {d} 0]")),
            Expect::Invalid,
            bad_br,
        ),
        case(
            "byterange-negative",
            USF,
            br(&format!("[0 {b} {c} -{d}]")),
            Expect::Invalid,
            bad_br,
        ),
        case(
            "byterange-reals",
            USF,
            br(&format!("[0 {b}.0 {c}.0 {d}]")),
            Expect::Invalid,
            bad_br,
        ),
        case(
            "byterange-past-eof",
            USF,
            br(&format!("[0 {b} {c} {}]", d + 1000)),
            Expect::Invalid,
            bad_range,
        ),
        case(
            "byterange-huge",
            USF,
            br(&format!("[0 {b} {c} 18446744073709551615]")),
            Expect::Invalid,
            "integer out of range",
        ),
        case(
            "byterange-overlapping",
            USF,
            br(&format!("[0 {} {c} {d}]", c + 10)),
            Expect::Invalid,
            bad_range,
        ),
        case(
            "byterange-first-not-zero",
            USF,
            br(&format!("[1 {b} {c} {d}]")),
            Expect::Invalid,
            bad_range,
        ),
        case(
            "byterange-no-gap",
            USF,
            br(&format!("[0 {b} {b} {}]", d + (c - b))),
            Expect::Invalid,
            bad_range,
        ),
        case(
            "byterange-short-end",
            USF,
            br(&format!("[0 {b} {c} {}]", d - 10)),
            Expect::Invalid,
            "do not end at a revision boundary",
        ),
        case(
            "byterange-indirect",
            USF,
            br("5 0 R"),
            Expect::Invalid,
            bad_br,
        ),
    ];
    // Never show signer data from such a field.
    for c in &cases {
        if let Ok(r) = verify_at(&c.bytes, c.at) {
            assert!(
                r.signatures.iter().all(|s| s.signer.is_none()),
                "{}: signer shown for a forged field",
                c.name
            );
        }
    }
    run(cases);
}

const PARTIAL: &str = "partial checks";

#[test]
fn partial_checks() {
    let s = signed("ed25519");
    // messageDigest of other bytes, signature over the attributes correct.
    let wrong_md = edit_attrs(&s, |attrs, _, _| {
        for a in attrs.iter_mut() {
            if a.oid == id_message_digest() {
                *a = attr(id_message_digest(), vec![octets(&[0x42; 64])]);
            }
        }
    });
    // CMS of another document (same signer, same layout size) moved here.
    let other = sign_pdf(&classic_pdf(2), &signer("ed25519"), &opts()).unwrap();
    let transplanted = with_cms(&s, &cms_of(&other));
    // The CMS of this document moved into another document.
    let other_with_ours = with_cms(&other, &cms_of(&s));
    let digest = "digest of the signed byte ranges differs";
    run(vec![
        case(
            "messagedigest-mismatch",
            PARTIAL,
            wrong_md,
            Expect::Invalid,
            digest,
        ),
        case(
            "cms-transplanted-in",
            PARTIAL,
            transplanted,
            Expect::Invalid,
            digest,
        ),
        case(
            "cms-transplanted-out",
            PARTIAL,
            other_with_ours,
            Expect::Invalid,
            digest,
        ),
    ]);
}

const INCR: &str = "incremental saving";

#[test]
fn incremental_saving() {
    let s = signed("p256");
    let changed = append_update(&s, 5, &text("Surat Palsu"));
    let new_page_object = append_objects(
        &s,
        &[(2, b"<</Type /Pages /Kids [4 0 R 4 0 R] /Count 2>>".to_vec())],
        &[],
    );
    let catalog_swapped = {
        let mut t = append_objects(&s, &[(90, catalog(""))], &[]);
        t = replace_all(
            &t,
            b"/Size 200 /Root 1 0 R /Prev",
            b"/Size 200 /Root 90 0 R /Prev",
        );
        t
    };
    let mut trailing = s.clone();
    trailing
        .extend_from_slice(b"5 0 obj\n<</Length 11>>\nstream\nSurat Palsu\nendstream\nendobj\n");
    let mut trailing_eof = s.clone();
    trailing_eof.extend_from_slice(b"\n% comment\n");
    // An update whose xref points one byte past the object header.
    let broken_xref = {
        let t = append_update(&s, 5, &text("Surat Palsu"));
        let at = rfind(&t, b"xref\n5 1\n").unwrap() + 9;
        let off: usize = std::str::from_utf8(&t[at..at + 10])
            .unwrap()
            .parse()
            .unwrap();
        let mut t = t.clone();
        t[at..at + 10].copy_from_slice(format!("{:010}", off + 1).as_bytes());
        t
    };
    // An update whose /Prev points to the middle of the signed revision.
    let broken_prev = {
        let t = append_update(&s, 5, &text("Surat Palsu"));
        let prev = last_startxref(&s);
        replace_all(
            &t,
            format!("/Prev {prev}>>").as_bytes(),
            format!("/Prev {}>>", prev - 7).as_bytes(),
        )
    };
    // An update with a final startxref that points nowhere.
    let broken_startxref = {
        let t = append_update(&s, 5, &text("Surat Palsu"));
        let x = last_startxref(&t);
        replace_all(
            &t,
            format!("startxref\n{x}\n%%EOF\n").as_bytes(),
            format!("startxref\n{}\n%%EOF\n", x + 3).as_bytes(),
        )
    };
    run(vec![
        case(
            "update-changes-content",
            INCR,
            changed,
            Expect::Invalid,
            "stream data of object 5",
        ),
        case(
            "update-changes-page-tree",
            INCR,
            new_page_object,
            Expect::Invalid,
            "object 2 (/Pages) changed after signing",
        ),
        case(
            "update-replaces-catalog",
            INCR,
            catalog_swapped,
            Expect::Invalid,
            "catalog was replaced",
        ),
        case(
            "objects-after-eof",
            INCR,
            trailing,
            Expect::Invalid,
            "follow the final %%EOF",
        ),
        case(
            "comment-after-eof",
            INCR,
            trailing_eof,
            Expect::Invalid,
            "follow the final %%EOF",
        ),
        case(
            "update-broken-xref-offset",
            INCR,
            broken_xref,
            Expect::Invalid,
            "expected object header",
        ),
        case(
            "update-broken-prev",
            INCR,
            broken_prev,
            Expect::Unreadable,
            "expected object header",
        ),
        case(
            "update-broken-startxref",
            INCR,
            broken_startxref,
            Expect::Unreadable,
            "expected object header",
        ),
    ]);
}

const OVERRIDE: &str = "signature dictionary override";

#[test]
fn signature_dictionary_override() {
    let s = signed("ed25519");
    let l = layout(&s);
    let sig = object_with(&s, b"/ByteRange [");
    let body = body_of(&s, sig);
    // Same /Contents and /ByteRange, new /Name and /M.
    let renamed = replace_all(&body, b"(Budi Santoso)", b"(Direktur Utama)");
    let renamed = replace_all(&renamed, b"/M (D:2027", b"/M (D:2026");
    let same_range = append_objects(&s, &[(sig, renamed.clone())], &[]);
    // Same /Contents, with a new /ByteRange naming the new token and
    // covering the new file.
    let moved = {
        let t = append_objects(&s, &[(sig, renamed)], &[]);
        let br_key = rfind(&t, b"/ByteRange [").unwrap();
        let ck = rfind(&t, b"/Contents <").unwrap();
        let b = ck + 10;
        let c = b + (l.c - l.b);
        let d = t.len() - c;
        let br_end = br_key + find(&t[br_key..], b"]").unwrap() + 1;
        replace_padded(
            &t,
            br_key,
            br_end,
            format!("/ByteRange [0 {b} {c} {d}]").as_bytes(),
        )
    };
    // The override put in an object stream by a cross-reference stream is
    // not needed: the classic update already shows the rule.
    // An xref-only update pointing the signature object at another copy
    // with a different /Reason written in the unsigned gap is impossible
    // (the gap is the hex token); point it at the widget instead.
    let widget = object_with(&s, b"/Subtype /Widget");
    let widget_at = rfind(&s, format!("\n{widget} 0 obj").as_bytes()).unwrap() + 1;
    let remapped = append_objects(&s, &[], &[(sig, X::At(widget_at))]);
    run(vec![
        case(
            "override-same-byterange",
            OVERRIDE,
            same_range,
            Expect::Invalid,
            "not exactly the hexadecimal /Contents",
        ),
        case(
            "override-new-byterange",
            OVERRIDE,
            moved,
            Expect::Invalid,
            "digest of the signed byte ranges differs",
        ),
        case(
            "override-xref-remap",
            OVERRIDE,
            remapped,
            Expect::Invalid,
            "signature dictionary unreadable",
        ),
    ]);
}

const WRAP: &str = "signature wrapping";

#[test]
fn signature_wrapping() {
    let s = signed("ed25519");
    let l = layout(&s);
    let der = cms_of(&s);
    let gap = l.c - l.b;
    // pyHanko variant: /Contents as a literal string of the DER bytes,
    // padded with zeros so that the gap keeps its length. Integrity holds.
    let literal = {
        let mut lit = b"(".to_vec();
        for &x in &der {
            match x {
                b'(' | b')' | b'\\' => lit.extend_from_slice(&[b'\\', x]),
                b'\r' => lit.extend_from_slice(b"\\r"),
                b'\n' => lit.extend_from_slice(b"\\n"),
                _ => lit.push(x),
            }
        }
        while lit.len() < gap - 1 {
            lit.push(0);
        }
        lit.push(b')');
        assert_eq!(lit.len(), gap);
        let mut t = s.clone();
        t[l.b..l.c].copy_from_slice(&lit);
        t
    };
    // Padding cut from the hex token; forged text placed in the rest of the
    // gap as another key of the dictionary. Integrity holds.
    let forged_in_gap = {
        let mut tok = format!("<{}>", hex(&der)).into_bytes();
        tok.extend_from_slice(
            b" /Forged (5 0 obj <</Length 11>> stream Surat Palsu endstream endobj)",
        );
        while tok.len() < gap {
            tok.push(b' ');
        }
        let mut t = s.clone();
        t[l.b..l.c].copy_from_slice(&tok);
        t
    };
    // Classic SWA: the second signed block moved to the end, forged objects
    // and xref put in the freed space, /ByteRange rewritten (same width).
    let moved_block = {
        let second = s[l.c..].to_vec();
        let mut t = s[..l.c].to_vec();
        // Cut the padding: the token ends earlier; forged data follows.
        let short = format!("<{}>", hex(&der));
        t.truncate(l.b);
        t.extend_from_slice(short.as_bytes());
        t.extend_from_slice(b"\nendobj\n");
        let evil_at = t.len();
        t.extend_from_slice(b"5 0 obj\n");
        t.extend_from_slice(&text("Surat Palsu"));
        t.extend_from_slice(b"\nendobj\n");
        t.extend_from_slice(format!("xref\n5 1\n{evil_at:010} 00000 n\r\n").as_bytes());
        // keep the gap the same length as before is not needed: ByteRange changes.
        let c_new = t.len() + 16;
        while t.len() < c_new {
            t.push(b' ');
        }
        t.extend_from_slice(&second);
        let new = format!("/ByteRange [0 {} {} {}]", l.b, c_new, second.len());
        replace_padded(&t, l.br_key, l.br_end, new.as_bytes())
    };
    let gap_rule = "not exactly the hexadecimal /Contents";
    run(vec![
        case(
            "wrap-literal-contents",
            WRAP,
            literal,
            Expect::Invalid,
            gap_rule,
        ),
        case(
            "wrap-forged-data-in-gap",
            WRAP,
            forged_in_gap,
            Expect::Invalid,
            gap_rule,
        ),
        case(
            "wrap-moved-second-block",
            WRAP,
            moved_block,
            Expect::Unreadable,
            "expected object header",
        ),
    ]);
}

const SHADOW: &str = "shadow attack";

/// A document prepared for a shadow attack, signed with ed25519: page 4
/// shows contents `contents`; objects 5–9 as given.
fn shadow_doc(
    contents: &str,
    live: Vec<(u32, Vec<u8>)>,
    dead: Vec<(u32, Vec<u8>)>,
    catalog_extra: &str,
    page_extra: &str,
) -> (Vec<u8>, Vec<usize>) {
    let mut objs = vec![
        (1, catalog(catalog_extra)),
        (2, pages()),
        (3, FONT.to_vec()),
        (4, page(contents, page_extra)),
    ];
    objs.extend(live);
    let (pdf, dead_at) = build_pdf(&objs, &dead, 12);
    (
        sign_pdf(&pdf, &signer("ed25519"), &opts()).unwrap(),
        dead_at,
    )
}

#[test]
fn shadow_attacks() {
    // Hide: the signed page shows an overlay (6) over the real text (5).
    let (hide, dead_at) = shadow_doc(
        "[5 0 R 6 0 R]",
        vec![
            (5, text("Bayar Rp 900.000.000")),
            (6, overlay("Bayar Rp 100.000")),
        ],
        // A dead, empty duplicate of 6 in the signed bytes.
        vec![(6, stream_body(b""))],
        "",
        "",
    );
    assert_eq!(verify_at(&hide, t_valid()).unwrap().verdict, Verdict::Valid);
    let hide_free = append_objects(&hide, &[], &[(6, X::Free)]);
    let hide_remap = append_objects(&hide, &[], &[(6, X::At(dead_at[0]))]);
    let hide_new_body = append_objects(&hide, &[(6, stream_body(b""))], &[]);
    let hide_contents_array = append_objects(&hide, &[(4, page("[5 0 R]", ""))], &[]);
    let hide_generation = {
        // Object 6 at generation 1 (same body) makes `6 0 R` dangle.
        let at = find(&hide, b"\n6 0 obj\n<</Length").map(|i| i + 1);
        let live_at = at.filter(|&a| a != dead_at[0]).unwrap_or(dead_at[0]);
        append_objects(&hide, &[], &[(6, X::AtGen(live_at, 1))])
    };

    // Free made live: the page refers to 9, free when signed (null, so not
    // shown); a dead body of 9 sits in the signed bytes.
    let (free_doc, dead9) = shadow_doc(
        "[5 0 R 9 0 R]",
        vec![(5, text("Bayar Rp 100.000"))],
        vec![(9, overlay("Bayar Rp 900.000.000"))],
        "",
        "",
    );
    assert_eq!(
        verify_at(&free_doc, t_valid()).unwrap().verdict,
        Verdict::Valid,
        "references to free objects are tolerated when nothing changes"
    );
    let free_live_signed_bytes = append_objects(&free_doc, &[], &[(9, X::At(dead9[0]))]);
    let free_live_new_body =
        append_objects(&free_doc, &[(9, overlay("Bayar Rp 900.000.000"))], &[]);

    // Replace: a text field with a value; the value and then the font
    // replaced after signing.
    let field = b"<</FT /Tx /T (Jumlah) /V (Rp 100.000) /DA (/F1 12 Tf 0 g) /Type /Annot /Subtype /Widget /Rect [72 600 300 620] /P 4 0 R>>".to_vec();
    let (form_doc, _) = shadow_doc(
        "5 0 R",
        vec![(5, text("Surat Tagihan")), (7, field.clone())],
        vec![],
        " /AcroForm <</Fields [7 0 R]>>",
        " /Annots [7 0 R]",
    );
    assert_eq!(
        verify_at(&form_doc, t_valid()).unwrap().verdict,
        Verdict::Valid
    );
    let replaced_value = append_objects(
        &form_doc,
        &[(7, replace_all(&field, b"(Rp 100.000)", b"(Rp 900.000.000)"))],
        &[],
    );
    let replaced_font = append_objects(
        &form_doc,
        &[(
            3,
            b"<</Type /Font /Subtype /Type1 /BaseFont /Symbol>>".to_vec(),
        )],
        &[],
    );
    let replaced_da = append_objects(
        &form_doc,
        &[(7, replace_all(&field, b"/F1 12 Tf 0 g", b"/F1 12 Tf 1 g"))],
        &[],
    );
    run(vec![
        case(
            "hide-overlay-freed",
            SHADOW,
            hide_free,
            Expect::Invalid,
            "object 6 was freed after signing",
        ),
        case(
            "hide-overlay-remapped-to-dead-duplicate",
            SHADOW,
            hide_remap,
            Expect::Invalid,
            "inside the signed revision",
        ),
        case(
            "hide-overlay-new-body",
            SHADOW,
            hide_new_body,
            Expect::Invalid,
            "stream data of object 6",
        ),
        case(
            "hide-overlay-page-contents",
            SHADOW,
            hide_contents_array,
            Expect::Invalid,
            "entry /Contents changed",
        ),
        case(
            "hide-overlay-generation",
            SHADOW,
            hide_generation,
            Expect::Invalid,
            "inside the signed revision",
        ),
        case(
            "free-object-made-live-in-signed-bytes",
            SHADOW,
            free_live_signed_bytes,
            Expect::Invalid,
            "inside the signed revision",
        ),
        case(
            "free-object-made-live-new-body",
            SHADOW,
            free_live_new_body,
            Expect::Invalid,
            "was free in the signed revision and is live now",
        ),
        case(
            "replace-font",
            SHADOW,
            replaced_font,
            Expect::Invalid,
            "object 3 (/Font) changed",
        ),
        case(
            "replace-field-appearance-string",
            SHADOW,
            replaced_da,
            Expect::Invalid,
            "entry /DA changed",
        ),
        case(
            "replace-form-value",
            SHADOW,
            replaced_value,
            Expect::Invalid,
            "FormFilling",
        ),
    ]);
}

const CERT: &str = "certification attack";

/// An annotation added to page 4 of a certified document.
fn add_annotation(pdf: &[u8]) -> Vec<u8> {
    let page4 = body_of(pdf, 4);
    let page4 = replace_all(&page4, b"/Annots [7 0 R]", b"/Annots [7 0 R 20 0 R]");
    append_objects(
        pdf,
        &[
            (4, page4),
            (
                20,
                b"<</Type /Annot /Subtype /FreeText /Rect [0 600 595 842] /Contents (LUNAS) /DA (/Helv 48 Tf 1 0 0 rg)>>".to_vec(),
            ),
        ],
        &[],
    )
}

/// A new signature field whose visible widget covers the page.
fn add_covering_signature_widget(pdf: &[u8]) -> Vec<u8> {
    let page4 = body_of(pdf, 4);
    let page4 = replace_all(&page4, b"/Annots [7 0 R]", b"/Annots [7 0 R 21 0 R]");
    let cat = body_of(pdf, 1);
    let cat = replace_all(&cat, b"/Fields [7 0 R]", b"/Fields [7 0 R 21 0 R]");
    let ap = "1 1 1 rg 0 0 595 842 re f BT 0 0 0 rg /F1 24 Tf 72 720 Td (Surat Palsu) Tj ET";
    append_objects(
        pdf,
        &[
            (1, cat),
            (4, page4),
            (
                21,
                b"<</Type /Annot /Subtype /Widget /FT /Sig /T (Tampilan) /F 4 /P 4 0 R /Rect [0 0 595 842] /AP <</N 22 0 R>>>>".to_vec(),
            ),
            (
                22,
                format!(
                    "<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Length {}>>\nstream\n{ap}\nendstream",
                    ap.len()
                )
                .into_bytes(),
            ),
        ],
        &[],
    )
}

#[test]
fn certification_attacks() {
    let p1 = certified(1);
    let p2 = certified(2);
    let p1_signed_again = sign_pdf(&p1, &signer("p256"), &opts()).unwrap();
    // Positive control: P=2 permits a further (invisible) signature.
    let r = verify_at(&sign_pdf(&p2, &signer("p256"), &opts()).unwrap(), t_valid()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    run(vec![
        case(
            "p1-annotation",
            CERT,
            add_annotation(&p1),
            Expect::Invalid,
            "certification level P=1",
        ),
        case(
            "p2-annotation",
            CERT,
            add_annotation(&p2),
            Expect::Invalid,
            "certification level P=2",
        ),
        case(
            "p1-new-signature",
            CERT,
            p1_signed_again,
            Expect::Invalid,
            "certification level P=1",
        ),
        case(
            "p1-covering-signature-widget",
            CERT,
            add_covering_signature_widget(&p1),
            Expect::Invalid,
            "certification level P=1",
        ),
        case(
            "p2-covering-signature-widget",
            CERT,
            add_covering_signature_widget(&p2),
            Expect::Invalid,
            "certification level P=2",
        ),
    ]);
}

#[test]
fn certification_must_come_first() {
    // An approval signature, then a "certification" that claims the whole
    // document (DocMDP added to the catalog after the first signature).
    let approved = signed("ed25519");
    let sig = object_with(&approved, b"/ByteRange [");
    let cat = body_of(&approved, 1);
    let cat = replace_all(
        &cat,
        b">>",
        format!(" /Perms <</DocMDP {sig} 0 R>>>>").as_bytes(),
    );
    let t = append_objects(&approved, &[(1, cat)], &[]);
    let r = verify_at(&t, t_valid()).unwrap();
    assert_ne!(r.verdict, Verdict::Valid);
    assert!(
        report_text(&r).contains("catalog entry /Perms changed"),
        "{}",
        report_text(&r)
    );
}

const STRIP: &str = "signature stripping";

#[test]
fn signature_stripping() {
    let s = signed("ed25519");
    let widget = object_with(&s, b"/Subtype /Widget");
    let w = body_of(&s, widget);
    let sig = object_with(&s, b"/ByteRange [");
    let no_v = replace_all(&w, format!("/V {sig} 0 R").as_bytes(), b"");
    let detached = append_objects(&s, &[(widget, no_v)], &[]);
    let acro = object_with(&s, b"/SigFlags 3");
    let a = body_of(&s, acro);
    let no_field = replace_all(&a, format!("{widget} 0 R").as_bytes(), b"");
    let removed_field = append_objects(&s, &[(acro, no_field)], &[]);
    let v_null = replace_all(&w, format!("/V {sig} 0 R").as_bytes(), b"/V null");
    let nulled = append_objects(&s, &[(widget, v_null)], &[]);
    let strip = "detached from its field in a later revision";
    run(vec![
        case("strip-v", STRIP, detached, Expect::Invalid, strip),
        case(
            "strip-field-from-acroform",
            STRIP,
            removed_field,
            Expect::Invalid,
            strip,
        ),
        case("strip-v-null", STRIP, nulled, Expect::Invalid, strip),
    ]);
}

const SAME_REVISION: &str = "several signatures over one revision";

/// A later revision with `copies` new signature fields, each with a copy
/// of the signature dictionary whose /ByteRange is made to fit its own
/// /Contents and the end of that revision, as a forger would have to.
fn signatures_sharing_a_revision(s: &[u8], copies: u32) -> Vec<u8> {
    let sig = object_with(s, b"/ByteRange [");
    let widget = object_with(s, b"/Subtype /Widget");
    let acro = object_with(s, b"/SigFlags 3");
    let sig_body = body_of(s, sig);
    let at = find(&sig_body, b"/ByteRange [").unwrap();
    let close = at + find(&sig_body[at..], b"]").unwrap();
    let placeholder = b"/ByteRange [0 0000000000 0000000000 0000000000";
    let mut copy = sig_body[..at].to_vec();
    copy.extend_from_slice(placeholder);
    copy.extend_from_slice(&sig_body[close..]);
    let mut objects = Vec::new();
    let mut fields = String::new();
    for k in 0..copies {
        let (w, v) = (150 + 2 * k, 151 + 2 * k);
        let body = replace_all(
            &body_of(s, widget),
            format!("/V {sig} 0 R").as_bytes(),
            format!("/V {v} 0 R").as_bytes(),
        );
        let body = replace_all(&body, b"/T (", format!("/T (copy{k}.").as_bytes());
        objects.push((w, body));
        objects.push((v, copy.clone()));
        fields.push_str(&format!(" {w} 0 R"));
    }
    let a = body_of(s, acro);
    let a = replace_all(
        &a,
        format!("{widget} 0 R").as_bytes(),
        format!("{widget} 0 R{fields}").as_bytes(),
    );
    objects.push((acro, a));
    let mut out = append_objects(s, &objects, &[]);
    // Fit each copy's /ByteRange, in place (same widths), to its own
    // /Contents and the end of the file.
    let len = out.len();
    let mut from = s.len();
    while let Some(i) = find(&out[from..], placeholder) {
        let br = from + i;
        let b = br + find(&out[br..], b"/Contents <").unwrap() + b"/Contents ".len();
        let c = b + find(&out[b..], b">").unwrap() + 1;
        let fitted = format!("/ByteRange [0 {b:010} {c:010} {:010}", len - c);
        out[br..br + placeholder.len()].copy_from_slice(fitted.as_bytes());
        from = br + placeholder.len();
    }
    out
}

/// Two signatures cannot both be valid over one revision (each covers the
/// other's /Contents): the second is refused before its digest, so that a
/// file with thousands of such dictionaries costs one hash per revision,
/// not one per dictionary.
#[test]
fn several_signatures_over_one_revision() {
    let s = signed("ed25519");
    let two = signatures_sharing_a_revision(&s, 2);
    let many = signatures_sharing_a_revision(&s, 200);
    let why = "another signature already covers exactly this revision";
    run(vec![
        case(
            "two-signatures-one-revision",
            SAME_REVISION,
            two.clone(),
            Expect::Invalid,
            why,
        ),
        case(
            "200-signatures-one-revision",
            SAME_REVISION,
            many.clone(),
            Expect::Invalid,
            why,
        ),
    ]);
    // The first of the copies is checked in full (and fails on its digest),
    // every later one is refused, and the original signature still holds.
    for (pdf, copies) in [(two, 2), (many, 200)] {
        let r = verify_at(&pdf, t_valid()).unwrap();
        assert_eq!(r.signatures.len(), 1 + copies);
        let refused = r
            .signatures
            .iter()
            .filter(|s| s.reasons.iter().any(|m| m.contains(why)))
            .count();
        assert_eq!(refused, copies - 1);
        let original = r.signatures.iter().find(|s| s.revision == Some(2)).unwrap();
        assert_eq!(original.integrity, Check::Passed);
        let first_copy = r
            .signatures
            .iter()
            .filter(|s| s.revision == Some(3))
            .find(|s| !s.reasons.iter().any(|m| m.contains(why)))
            .unwrap();
        assert!(
            matches!(first_copy.integrity, Check::Failed(_)),
            "{:?}",
            first_copy.integrity
        );
    }
}

const AMBIGUITY: &str = "parser ambiguity";

#[test]
fn parser_ambiguity() {
    let s = signed("ed25519");
    let l = layout(&s);
    // Duplicate key inside the signature dictionary (same length edit).
    let filter_at = rfind(&s[..l.br_key], b"/Filter /Adobe.PPKLite").unwrap();
    let dup_sig_key = replace_padded(&s, filter_at, filter_at + 7, b"/Type");
    // Duplicate key in an update's object, and in an update's trailer.
    let dup_obj = append_update(&s, 5, b"<</Length 0 /Length 0>>\nstream\n\nendstream");
    let dup_trailer = replace_all(
        &append_update(&s, 5, &text("x")),
        b"/Root 1 0 R /Prev",
        b"/Root 1 0 R /Root 1 0 R /Prev",
    );
    // Hybrid-reference update: the table says one thing about object 5, the
    // /XRefStm stream another.
    let hybrid = {
        let mut t = s.clone();
        let prev = last_startxref(&s);
        let a = t.len();
        t.extend_from_slice(b"5 0 obj\n");
        t.extend_from_slice(&text("Surat Asli"));
        t.extend_from_slice(b"\nendobj\n");
        let b5 = t.len();
        t.extend_from_slice(b"5 0 obj\n");
        t.extend_from_slice(&text("Surat Palsu"));
        t.extend_from_slice(b"\nendobj\n");
        let stm_at = t.len();
        let mut rows = vec![1u8];
        rows.extend_from_slice(&(b5 as u32).to_be_bytes());
        rows.extend_from_slice(&[0, 0]);
        t.extend_from_slice(
            format!(
                "30 0 obj\n<</Type /XRef /Size 200 /W [1 4 2] /Index [5 1] /Length {}>>\nstream\n",
                rows.len()
            )
            .as_bytes(),
        );
        t.extend_from_slice(&rows);
        t.extend_from_slice(b"\nendstream\nendobj\n");
        let x = t.len();
        t.extend_from_slice(
            format!("xref\n5 1\n{a:010} 00000 n\r\ntrailer\n<</Size 200 /Root 1 0 R /Prev {prev} /XRefStm {stm_at}>>\nstartxref\n{x}\n%%EOF\n").as_bytes(),
        );
        t
    };
    // A fake `startxref … %%EOF` inside a stream at the end of the file.
    let eof_in_stream = {
        let mut t = s.clone();
        let x = last_startxref(&s);
        let fake = format!("startxref\n{x}\n%%EOF\n");
        t.extend_from_slice(
            format!(
                "5 0 obj\n<</Length {}>>\nstream\n{fake}\nendstream\nendobj\n",
                fake.len()
            )
            .as_bytes(),
        );
        t.extend_from_slice(format!("%{fake}").as_bytes());
        t
    };
    run(vec![
        case(
            "duplicate-key-in-signature-dictionary",
            AMBIGUITY,
            dup_sig_key,
            Expect::Invalid,
            "duplicate key /Type",
        ),
        case(
            "duplicate-key-in-update-object",
            AMBIGUITY,
            dup_obj,
            Expect::Invalid,
            "duplicate key /Length",
        ),
        case(
            "duplicate-key-in-trailer",
            AMBIGUITY,
            dup_trailer,
            Expect::Unreadable,
            "duplicate key /Root",
        ),
        case(
            "hybrid-xref-redefines-object",
            AMBIGUITY,
            hybrid,
            Expect::Unreadable,
            "hybrid /XRefStm redefines",
        ),
        case(
            "eof-inside-stream-at-end",
            AMBIGUITY,
            eof_in_stream,
            Expect::Unreadable,
            "does not close a cross-reference section",
        ),
    ]);
}

/// `%%EOF` and `startxref` inside strings and streams of the signed
/// document do not create revisions: the file stays valid, with one revision
/// per real cross-reference section.
#[test]
fn eof_markers_inside_strings_and_streams_are_not_revisions() {
    let (pdf, _) = build_pdf(
        &[
            (1, catalog(" /Note (%%EOF startxref 0 %%EOF)")),
            (2, pages()),
            (3, FONT.to_vec()),
            (4, page("5 0 R", "")),
            (
                5,
                stream_body(b"BT /F1 9 Tf 72 720 Td (x) Tj ET\n%%EOF\nstartxref\n0\n%%EOF\n"),
            ),
        ],
        &[],
        6,
    );
    let signed = sign_pdf(&pdf, &signer("ed25519"), &opts()).unwrap();
    let r = verify_at(&signed, t_valid()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.revisions, 2);
}

const CMSG: &str = "CMS games";

#[test]
fn cms_games() {
    let s = roomy();
    let md = id_message_digest();
    let real_md = message_digest(&signer_info(&decode_sd(&cms_of(&s))));
    let without_md = edit_attrs(&s, |attrs, _, _| attrs.retain(|a| a.oid != md));
    let repeated_md = edit_attrs(&s, |attrs, _, _| {
        attrs.push(attr(md, vec![octets(&[0u8; 64])]));
    });
    let multi_md = edit_attrs(&s, |attrs, _, _| {
        for a in attrs.iter_mut() {
            if a.oid == md {
                *a = attr(md, vec![octets(&real_md), octets(&[0u8; 64])]);
            }
        }
    });
    let ct_attr = edit_attrs(&s, |attrs, _, _| {
        for a in attrs.iter_mut() {
            if a.oid == id_content_type() {
                *a = attr(id_content_type(), vec![oid_value(not_id_data())]);
            }
        }
    });
    let no_ct = edit_attrs(&s, |attrs, _, _| {
        attrs.retain(|a| a.oid != id_content_type())
    });
    let econtent_type = edit_sd(&s, |sd| sd.encap_content_info.econtent_type = not_id_data());
    let econtent = edit_sd(&s, |sd| {
        sd.encap_content_info.econtent = Some(octets(b"Surat Palsu"));
    });
    let two_signers = edit_sd(&s, |sd| {
        let a = signer_info(sd);
        let mut b = a.clone();
        resign(&mut b, attrs_of(&a), &signer("ed25519"));
        // Ed25519 is deterministic: vary the second one.
        let mut attrs = attrs_of(&a);
        attrs.push(attr(
            const_oid::db::rfc5911::ID_SIGNING_TIME,
            vec![
                der::Any::encode_from(
                    &x509_cert::time::Time::try_from(
                        std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000),
                    )
                    .unwrap(),
                )
                .unwrap(),
            ],
        ));
        resign(&mut b, attrs, &signer("ed25519"));
        set_signer_infos(sd, vec![a, b]);
    });
    let zero_signers = edit_sd(&s, |sd| set_signer_infos(sd, vec![]));
    let no_attrs = edit_sd(&s, |sd| {
        let mut si = signer_info(sd);
        si.signed_attrs = None;
        set_signer_infos(sd, vec![si]);
    });
    let non_der = non_der_attributes(&s);
    let trailing = {
        let mut der = cms_of(&s);
        der.extend_from_slice(b"\x01junk");
        with_cms(&s, &der)
    };
    let trailing_element = {
        let mut der = cms_of(&s);
        der.extend_from_slice(&[0x04, 0x02, 0xab, 0xcd]);
        with_cms(&s, &der)
    };
    let not_signed_data = {
        let der = cms_of(&s);
        // The ContentInfo's contentType: id-signedData → id-data (same length).
        let sd_oid = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
        ];
        let at = find(&der, &sd_oid).unwrap();
        let mut d = der.clone();
        d[at + 10] = 0x01;
        with_cms(&s, &d)
    };
    let wrong_signature = edit_sd(&s, |sd| {
        let mut si = signer_info(sd);
        let mut sig = si.signature.as_bytes().to_vec();
        sig[10] ^= 1;
        si.signature = der::asn1::OctetString::new(sig).unwrap();
        set_signer_infos(sd, vec![si]);
    });
    let garbage = with_cms(&s, b"\x30\x03\x02\x01\x01");
    let md_wrong_type = edit_attrs(&s, |attrs, _, _| {
        for a in attrs.iter_mut() {
            if a.oid == md {
                *a = attr(md, vec![oid_value(id_data())]);
            }
        }
    });
    let refused = "CMS refused";
    run(vec![
        case(
            "messagedigest-missing",
            CMSG,
            without_md,
            Expect::Invalid,
            "signed attribute messageDigest is missing",
        ),
        case(
            "messagedigest-repeated",
            CMSG,
            repeated_md,
            Expect::Invalid,
            "is repeated or multi-valued",
        ),
        case(
            "messagedigest-multi-valued",
            CMSG,
            multi_md,
            Expect::Invalid,
            "is repeated or multi-valued",
        ),
        case(
            "messagedigest-not-octets",
            CMSG,
            md_wrong_type,
            Expect::Invalid,
            "malformed CMS: messageDigest",
        ),
        case(
            "contenttype-attribute-not-data",
            CMSG,
            ct_attr,
            Expect::Invalid,
            "content type is not id-data",
        ),
        case(
            "contenttype-attribute-missing",
            CMSG,
            no_ct,
            Expect::Invalid,
            "contentType is missing",
        ),
        case(
            "econtenttype-not-data",
            CMSG,
            econtent_type,
            Expect::Invalid,
            "content type is not id-data",
        ),
        case(
            "econtent-present",
            CMSG,
            econtent,
            Expect::Invalid,
            "eContent present",
        ),
        case(
            "two-signerinfos",
            CMSG,
            two_signers,
            Expect::Invalid,
            "exactly one SignerInfo, found 2",
        ),
        case(
            "zero-signerinfos",
            CMSG,
            zero_signers,
            Expect::Invalid,
            "exactly one SignerInfo, found 0",
        ),
        case(
            "no-signed-attributes",
            CMSG,
            no_attrs,
            Expect::Invalid,
            "no signed attributes",
        ),
        case(
            "non-der-signed-attributes",
            CMSG,
            non_der,
            Expect::Invalid,
            "not DER-encoded",
        ),
        case(
            "trailing-bytes",
            CMSG,
            trailing,
            Expect::Invalid,
            "non-zero bytes after the CMS",
        ),
        case(
            "trailing-der-element",
            CMSG,
            trailing_element,
            Expect::Invalid,
            "non-zero bytes after the CMS",
        ),
        case(
            "not-signed-data",
            CMSG,
            not_signed_data,
            Expect::Invalid,
            "not SignedData",
        ),
        case(
            "signature-value-flipped",
            CMSG,
            wrong_signature,
            Expect::Invalid,
            "signature does not verify",
        ),
        case("not-a-cms", CMSG, garbage, Expect::Invalid, refused),
    ]);
}

const SUBST: &str = "certificate substitution";

/// Streaming CMS writers (BouncyCastle, and the signing services built on
/// it, such as the Czech PostSignum one whose signature is in pdf.js's test
/// file issue16553.pdf) write the SignedData envelope in BER with
/// indefinite lengths. That envelope is read; what is signed stays strict:
/// BER signed attributes, an indefinite primitive or trailing data after a
/// BER envelope are refused.
#[test]
fn ber_envelope_is_read_and_signed_parts_stay_der() {
    for alg in ["ed25519", "p256", "rsa"] {
        let s = signed(alg);
        let ber = ber_envelope(&cms_of(&s), false);
        assert_eq!(ber[1], 0x80, "the envelope is indefinite-length");
        let r = verify_at(&with_cms(&s, &ber), t_valid()).unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{alg}: {r:#?}");
        assert!(
            r.signatures[0].warnings.iter().any(|w| w.contains("BER")),
            "the tolerated quirk is reported: {r:#?}"
        );
    }
    let plain = verify_at(&signed("p256"), t_valid()).unwrap();
    assert!(plain.signatures[0].warnings.is_empty(), "{plain:#?}");
    let s = signed("p256");
    let ber_attrs = with_cms(&s, &ber_envelope(&cms_of(&s), true));
    let ber_trailing = {
        let mut ber = ber_envelope(&cms_of(&s), false);
        ber.extend_from_slice(b"\x01junk");
        with_cms(&s, &ber)
    };
    let unterminated = {
        let mut ber = ber_envelope(&cms_of(&s), false);
        // Drop the final end-of-contents octets, and the padding after it
        // cannot stand in for them: it is zeros only as far as it goes.
        ber.truncate(ber.len() - 2);
        ber.push(0x01);
        with_cms(&s, &ber)
    };
    run(vec![
        case(
            "ber-signed-attributes",
            CMSG,
            ber_attrs,
            Expect::Invalid,
            "signed attributes are not DER",
        ),
        case(
            "ber-envelope-trailing-data",
            CMSG,
            ber_trailing,
            Expect::Invalid,
            "CMS refused",
        ),
        case(
            "ber-envelope-unterminated",
            CMSG,
            unterminated,
            Expect::Invalid,
            "CMS refused",
        ),
    ]);
}

#[test]
fn certificate_substitution() {
    let s = roomy();
    let inter = cert_der("pki/inter.pem");
    let samekey = cert_der("attacks/samekey.pem");
    let sameserial = cert_der("attacks/sameserial.pem");
    let ours = cert_der("pki/ed25519.pem");
    // Sanity: the substitutes really share the key (and the serial).
    let c1 = Certificate::from_der(&samekey).unwrap();
    let c2 = Certificate::from_der(&sameserial).unwrap();
    let c0 = Certificate::from_der(&ours).unwrap();
    assert_eq!(c2.serial_hex(), c0.serial_hex());
    assert_ne!(c2.issuer(), c0.issuer());
    assert_ne!(c1.subject(), c0.subject());
    let same_key = substitute_certificate(&s, &[samekey.clone(), inter.clone()]);
    let same_serial = substitute_certificate(&s, &[sameserial.clone(), inter.clone()]);
    // Both certificates present, signer identifier pointing at the substitute.
    let both = substitute_certificate(&s, &[samekey, ours, inter]);
    let binding = "signingCertificateV2 names a different certificate";
    run(vec![
        case(
            "same-key-other-certificate",
            SUBST,
            same_key,
            Expect::Invalid,
            binding,
        ),
        case(
            "same-serial-other-issuer",
            SUBST,
            same_serial,
            Expect::Invalid,
            binding,
        ),
        case(
            "substitute-beside-original",
            SUBST,
            both,
            Expect::Invalid,
            binding,
        ),
    ]);
    // The substitute's identity is never reported as a valid signer.
}

const ALG: &str = "algorithm games";

#[test]
fn algorithm_games() {
    use const_oid::db::rfc5912;
    use der::Encode;
    use spki::AlgorithmIdentifierOwned;
    let s = signed("rsa");
    let set_algs = |pdf: &[u8], digest: AlgorithmIdentifierOwned, sig: AlgorithmIdentifierOwned| {
        edit_sd(pdf, |sd| {
            let mut si = signer_info(sd);
            si.digest_alg = digest;
            si.signature_algorithm = sig;
            set_signer_infos(sd, vec![si]);
        })
    };
    let null = || Some(der::Any::encode_from(&der::asn1::Null).unwrap());
    let alg = |oid, parameters| AlgorithmIdentifierOwned { oid, parameters };
    let sha1 = set_algs(
        &s,
        alg(rfc5912::ID_SHA_1, None),
        alg(rfc5912::SHA_1_WITH_RSA_ENCRYPTION, null()),
    );
    let md5 = set_algs(
        &s,
        alg(rfc5912::ID_MD_5, None),
        alg(rfc5912::MD_5_WITH_RSA_ENCRYPTION, null()),
    );
    let sha1_rsa_enc = set_algs(
        &s,
        alg(rfc5912::ID_SHA_1, None),
        alg(rfc5912::RSA_ENCRYPTION, null()),
    );
    let mismatch = set_algs(
        &s,
        alg(rfc5912::ID_SHA_512, None),
        alg(rfc5912::SHA_256_WITH_RSA_ENCRYPTION, null()),
    );
    let digest_params = set_algs(
        &s,
        alg(
            rfc5912::ID_SHA_256,
            Some(der::Any::encode_from(&5u8).unwrap()),
        ),
        alg(rfc5912::SHA_256_WITH_RSA_ENCRYPTION, null()),
    );
    let ed = signed("ed25519");
    let ed_sha256 = edit_sd(&ed, |sd| {
        let mut si = signer_info(sd);
        si.digest_alg = alg(rfc5912::ID_SHA_256, None);
        set_signer_infos(sd, vec![si]);
    });
    let ec_as_rsa = set_algs(
        &signed("p256"),
        alg(rfc5912::ID_SHA_256, None),
        alg(rfc5912::SHA_256_WITH_RSA_ENCRYPTION, null()),
    );
    // RSA-1024 signer: certificate issued by the trusted intermediate, the
    // attributes signed with the 1024-bit key (our signer refuses such keys,
    // so the rsa crate signs directly).
    let rsa1024 = {
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::signature::{SignatureEncoding, Signer as _};
        let pem = String::from_utf8(read_fixture("attacks/rsa1024.key")).unwrap();
        let key = rsa::PrivateKey::from_pkcs8_pem(&pem).unwrap();
        let t = substitute_certificate(
            &s,
            &[cert_der("attacks/rsa1024.pem"), cert_der("pki/inter.pem")],
        );
        edit_sd(&t, |sd| {
            let mut si = signer_info(sd);
            let msg = si.signed_attrs.as_ref().unwrap().to_der().unwrap();
            let k = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
            let sig = k.sign(&msg).to_vec();
            si.signature = der::asn1::OctetString::new(sig).unwrap();
            set_signer_infos(sd, vec![si]);
        })
    };
    let not_allowed = "is not allowed";
    run(vec![
        case("sha1-digest", ALG, sha1, Expect::Invalid, not_allowed),
        case("md5-digest", ALG, md5, Expect::Invalid, not_allowed),
        case(
            "sha1-with-rsaencryption",
            ALG,
            sha1_rsa_enc,
            Expect::Invalid,
            not_allowed,
        ),
        case(
            "digest-signature-mismatch",
            ALG,
            mismatch,
            Expect::Invalid,
            "digestAlgorithm does not match",
        ),
        case(
            "digest-parameters",
            ALG,
            digest_params,
            Expect::Invalid,
            "digest algorithm parameters",
        ),
        case(
            "ed25519-with-sha256",
            ALG,
            ed_sha256,
            Expect::Invalid,
            "digestAlgorithm does not match",
        ),
        case(
            "ecdsa-key-rsa-algorithm",
            ALG,
            ec_as_rsa,
            Expect::Invalid,
            "not an RSA key",
        ),
        case(
            "rsa-1024-signer",
            ALG,
            rsa1024,
            Expect::Invalid,
            "RSA key shorter than 2048 bits",
        ),
    ]);
}

const PKI: &str = "PKI";

fn signer_from(key: &str, certs: &[&str]) -> KeySigner {
    let mut pem = Vec::new();
    for c in certs {
        pem.extend_from_slice(&read_fixture(c));
    }
    KeySigner::from_pem(&read_fixture(key), &pem).unwrap()
}

#[test]
fn pki_attacks() {
    let pdf = classic_pdf(1);
    let sign = |s: &KeySigner| sign_pdf(&pdf, s, &opts()).unwrap();
    let selfsigned = sign(&signer_from("pki/ed25519.key", &["attacks/selfsigned.pem"]));
    let lookalike_root = sign(&signer("evil"));
    let under_nosign = sign(&signer_from(
        "attacks/undernosign.key",
        &["attacks/undernosign.pem", "pki/nosign.pem", "pki/inter.pem"],
    ));
    let nosign = sign(&signer("nosign"));
    let missing_inter = sign(&signer_from("pki/ed25519.key", &["pki/ed25519.pem"]));
    let under_subca = sign(&signer_from(
        "attacks/undersubca.key",
        &[
            "attacks/undersubca.pem",
            "attacks/subca.pem",
            "pki/inter.pem",
        ],
    ));
    let eku_server = sign(&signer_from(
        "attacks/ekuserver.key",
        &["attacks/ekuserver.pem", "pki/inter.pem"],
    ));
    let crit = sign(&signer_from(
        "attacks/critext.key",
        &["attacks/critext.pem", "pki/inter.pem"],
    ));
    let mut expired = case(
        "expired-at-validation-time",
        PKI,
        signed("ed25519"),
        Expect::Indeterminate,
        "not valid at",
    );
    expired.at = t_expired();
    let mut not_yet = case(
        "not-yet-valid-at-validation-time",
        PKI,
        signed("ed25519"),
        Expect::Indeterminate,
        "not valid at",
    );
    not_yet.at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2020, 1, 1, 0, 0, 0).unwrap();
    run(vec![
        case(
            "look-alike-self-signed",
            PKI,
            selfsigned,
            Expect::Indeterminate,
            "no path to a trusted root",
        ),
        case(
            "look-alike-root",
            PKI,
            lookalike_root,
            Expect::Indeterminate,
            "no path to a trusted root",
        ),
        case(
            "chain-through-non-ca",
            PKI,
            under_nosign,
            Expect::Indeterminate,
            "not a CA",
        ),
        case(
            "signer-without-signing-usage",
            PKI,
            nosign,
            Expect::Indeterminate,
            "not allowed for document signing",
        ),
        case(
            "intermediate-missing",
            PKI,
            missing_inter,
            Expect::Indeterminate,
            "no path to a trusted root",
        ),
        case(
            "path-length-exceeded",
            PKI,
            under_subca,
            Expect::Indeterminate,
            "path length constraint of CN=Surat Test Intermediate CA",
        ),
        case(
            "signer-eku-server-auth-only",
            PKI,
            eku_server,
            Expect::Indeterminate,
            "extendedKeyUsage does not allow document signing",
        ),
        case(
            "unknown-critical-extension",
            PKI,
            crit,
            Expect::Indeterminate,
            "unsupported critical extension 1.3.6.1.4.1.99999.1",
        ),
        expired,
        not_yet,
    ]);
}

/// SECURITY-RULES (shadow attacks): "also flag references to free or missing
/// objects and duplicate object bodies in the signed revision". A document
/// prepared for a shadow attack is signed; nothing has been changed yet, but
/// the preparation is visible and should be reported.
#[test]
fn shadow_preparation_is_flagged() {
    let (dup, _) = shadow_doc(
        "[5 0 R 6 0 R]",
        vec![
            (5, text("Bayar Rp 900.000.000")),
            (6, overlay("Bayar Rp 100.000")),
        ],
        vec![(6, stream_body(b""))],
        "",
        "",
    );
    let r = verify_at(&dup, t_valid()).unwrap();
    assert!(report_text(&r).contains("duplicate"), "{}", report_text(&r));
    let (free, _) = shadow_doc(
        "[5 0 R 9 0 R]",
        vec![(5, text("Bayar Rp 100.000"))],
        vec![(9, overlay("Bayar Rp 900.000.000"))],
        "",
        "",
    );
    let r = verify_at(&free, t_valid()).unwrap();
    assert!(report_text(&r).contains("free"), "{}", report_text(&r));
}

/// The "sneaky signature" on an approval-only document: a later revision adds
/// an unsigned signature field whose visible appearance covers the page.
/// The allow-list admits "further signatures that add a field and change
/// nothing else"; an unsigned widget that only paints over the page is not a
/// signature.
#[test]
fn approval_covering_unsigned_widget() {
    run(vec![case(
        "approval-covering-unsigned-widget",
        CERT,
        add_covering_signature_widget(&roomy()),
        Expect::Invalid,
        "an unsigned, visible signature widget was added after signing",
    )]);
    // Positive control: an invisible empty signature field for a later
    // signer stays allowed.
    let t = roomy();
    let cat = replace_all(
        &body_of(&t, 1),
        b"/Fields [7 0 R]",
        b"/Fields [7 0 R 21 0 R]",
    );
    let page4 = replace_all(
        &body_of(&t, 4),
        b"/Annots [7 0 R]",
        b"/Annots [7 0 R 21 0 R]",
    );
    let t = append_objects(
        &t,
        &[
            (1, cat),
            (4, page4),
            (
                21,
                b"<</Type /Annot /Subtype /Widget /FT /Sig /T (Berikutnya) /F 4 /P 4 0 R /Rect [0 0 0 0]>>".to_vec(),
            ),
        ],
        &[],
    );
    let r = verify_at(&t, t_valid()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{}", report_text(&r));
}

/// SECURITY-RULES, certification attacks: on a P=3 certified document an
/// annotation whose appearance covers the certified content is invalid. The
/// verifier allows every annotation at P=3 (ISO 32000 permits annotations
/// there) and cannot tell whether one covers content.
#[test]
fn p3_covering_annotation() {
    let p3 = certified(3);
    assert_eq!(verify_at(&p3, t_valid()).unwrap().verdict, Verdict::Valid);
    run(vec![case(
        "p3-covering-annotation",
        CERT,
        add_annotation(&p3),
        Expect::Invalid,
        "certification level P=3",
    )]);
}

/// An object stream of the signed revision redefined by a later update: the
/// objects compressed in it keep their signed cross-reference entries, so
/// the update lists only the stream, yet a viewer reads them from the new
/// stream (here page 2 now shows page 1's content).
fn redefine_object_stream(signed: &[u8], stream: u32, replace: (&str, &str)) -> Vec<u8> {
    use std::io::Read;
    let head = format!("\n{stream} 0 obj\n");
    let at = find(signed, head.as_bytes()).unwrap() + head.len();
    let data_at = at + find(&signed[at..], b"stream\n").unwrap() + 7;
    let end = data_at + find(&signed[data_at..], b"\nendstream").unwrap();
    let mut plain = Vec::new();
    flate2::read::ZlibDecoder::new(&signed[data_at..end])
        .read_to_end(&mut plain)
        .unwrap();
    let dict_at = find(&signed[at..], b"/First ").unwrap() + at + 7;
    let first: usize = String::from_utf8_lossy(&signed[dict_at..dict_at + 8])
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let header = String::from_utf8_lossy(&plain[..first]).into_owned();
    let nums: Vec<usize> = header
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let mut bodies = Vec::new();
    for (k, pair) in nums.chunks(2).enumerate() {
        let from = first + pair[1];
        let to = nums.get(2 * k + 3).map_or(plain.len(), |o| first + o);
        let text = String::from_utf8_lossy(&plain[from..to]).into_owned();
        bodies.push((pair[0], text.replace(replace.0, replace.1)));
    }
    let mut new_header = String::new();
    let mut new_body = String::new();
    for (num, text) in &bodies {
        new_header.push_str(&format!("{num} {} ", new_body.len()));
        new_body.push_str(text);
    }
    let stm = format!("{new_header}{new_body}");
    let body = format!(
        "<</Type /ObjStm /N {} /First {} /Length {}>>\nstream\n{stm}\nendstream",
        bodies.len(),
        new_header.len(),
        stm.len()
    );
    append_update(signed, stream, body.as_bytes())
}

#[test]
fn object_stream_redefined_after_signing() {
    // xref_stream_pdf(2): objects 1-4 and 6 in object stream 8.
    let signed = sign_pdf(&xref_stream_pdf(2), &signer("ed25519"), &opts()).unwrap();
    assert_eq!(
        verify_at(&signed, t_valid()).unwrap().verdict,
        Verdict::Valid
    );
    // Also the same objects written again: a signed object stream is not
    // rewritten by any allowed change (new objects go in new streams).
    run(vec![
        case(
            "object-stream-redefined",
            SHADOW,
            redefine_object_stream(&signed, 8, ("/Contents 7 0 R", "/Contents 5 0 R")),
            Expect::Invalid,
            "stream data of object 8 (/ObjStm) changed after signing",
        ),
        case(
            "object-stream-rewritten-unchanged",
            SHADOW,
            redefine_object_stream(&signed, 8, ("", "")),
            Expect::Invalid,
            "stream data of object 8 (/ObjStm) changed after signing",
        ),
    ]);
}

/// A signed one-page document (page 4, text 5) whose signed revision has
/// `objects` (numbers 6-11) and the given catalog and page entries.
fn doc_with(
    objects: Vec<(u32, Vec<u8>)>,
    contents: &str,
    catalog_extra: &str,
    page_extra: &str,
) -> Vec<u8> {
    let mut objs = vec![
        (1, catalog(catalog_extra)),
        (2, pages()),
        (3, FONT.to_vec()),
        (4, page(contents, page_extra)),
        (5, text("Bayar Rp 100.000")),
    ];
    objs.extend(objects);
    let (pdf, _) = build_pdf(&objs, &[], 12);
    let signed = sign_pdf(&pdf, &signer("ed25519"), &opts()).unwrap();
    let r = verify_at(&signed, t_valid()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    signed
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// PAdES-LTA writers extend an indirect `/DSS` in place on every round (new
/// certificates, responses and VRI entries), and a later writer may add an
/// extension to an indirect `/Extensions`: validation data, which leaves an
/// earlier approval signature valid. The same rewrite is a change of content
/// when the signed revision also shows the rewritten object elsewhere: a
/// "certificate array" that is the page's content array, reached directly
/// or through a VRI entry that is the page itself, or an array that another
/// catalog entry uses. (Our signer writes a fresh trailer, so a signed
/// revision whose trailer names such an object is not built here.)
#[test]
fn validation_data_rewritten_in_place() {
    use surat::verify::LaterChanges;
    let dss = || {
        vec![
            (7, b("<</Certs 8 0 R /VRI 9 0 R>>")),
            (8, b("[10 0 R]")),
            (9, b("<<>>")),
            (10, stream_body(b"certificate 1")),
        ]
    };
    // The next round: objects 7, 8 and 9 rewritten, 100-103 new.
    let next_round = |pdf: &[u8]| {
        append_objects(
            pdf,
            &[
                (7, b("<</Certs 8 0 R /OCSPs 101 0 R /VRI 9 0 R>>")),
                (8, b("[10 0 R 100 0 R]")),
                (9, b("<</0123456789ABCDEF 102 0 R>>")),
                (100, stream_body(b"certificate 2")),
                (101, b("[103 0 R]")),
                (102, b("<</Cert [100 0 R] /OCSP 101 0 R>>")),
                (103, stream_body(b"OCSP response")),
            ],
            &[],
        )
    };
    // The first round: the catalog gains /DSS, all of it new objects.
    let plain = doc_with(vec![], "5 0 R", "", "");
    let mut cat = body_of(&plain, 1);
    let close = cat.len() - 2;
    cat.splice(close..close, b" /DSS 100 0 R".iter().copied());
    let first_round = append_objects(
        &plain,
        &[
            (1, cat),
            (100, b("<</Certs [101 0 R] /VRI <<>>>>")),
            (101, stream_body(b"certificate 1")),
        ],
        &[],
    );
    let r = verify_at(&first_round, t_valid()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(
        r.signatures[0].later_changes,
        LaterChanges::ValidationDataOnly
    );
    let lta = next_round(&doc_with(dss(), "5 0 R", " /DSS 7 0 R", ""));
    let r = verify_at(&lta, t_valid()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(
        r.signatures[0].later_changes,
        LaterChanges::ValidationDataOnly
    );
    // A second round rewrites the same objects again.
    let lta2 = append_objects(&lta, &[(8, b("[10 0 R 100 0 R 104 0 R]"))], &[]);
    let lta2 = append_objects(&lta2, &[(104, stream_body(b"certificate 3"))], &[]);
    assert_eq!(verify_at(&lta2, t_valid()).unwrap().verdict, Verdict::Valid);

    let ext = |extra: &str| {
        doc_with(
            vec![(7, b("<</ADBE <</BaseVersion /1.7 /ExtensionLevel 8>>>>"))],
            "5 0 R",
            " /Extensions 7 0 R",
            extra,
        )
    };
    let add_iso = |pdf: &[u8]| {
        append_objects(
            pdf,
            &[(
                7,
                b(
                    "<</ADBE <</BaseVersion /1.7 /ExtensionLevel 8>> /ISO_ [<</BaseVersion /2.0 /ExtensionLevel 32002>>]>>",
                ),
            )],
            &[],
        )
    };
    let r = verify_at(&add_iso(&ext("")), t_valid()).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(
        r.signatures[0].later_changes,
        LaterChanges::ValidationDataOnly
    );

    // The page's content array is also the DSS certificate array; filling
    // it after signing adds an overlay to the page.
    let overlay_into_8 = |pdf: &[u8]| {
        append_objects(
            pdf,
            &[
                (8, b("[5 0 R 100 0 R]")),
                (100, overlay("Bayar Rp 900.000.000")),
            ],
            &[],
        )
    };
    let shared = vec![(7, b("<</Certs 8 0 R>>")), (8, b("[5 0 R]"))];
    let direct = overlay_into_8(&doc_with(shared, "8 0 R", " /DSS 7 0 R", ""));
    // The page itself is a VRI entry, so the array's only referrer is a
    // "validation object", one that the page tree reaches.
    let through_vri = overlay_into_8(&doc_with(
        vec![
            (7, b("<</Certs 8 0 R /VRI <</0123456789ABCDEF 4 0 R>>>>")),
            (8, b("[5 0 R]")),
        ],
        "8 0 R",
        " /DSS 7 0 R",
        "",
    ));
    // The array reached from another catalog entry.
    let from_catalog = append_objects(
        &doc_with(
            vec![(7, b("<</Certs 8 0 R>>")), (8, b("[4 0 R /Fit]"))],
            "5 0 R",
            " /DSS 7 0 R /OpenAction 8 0 R",
            "",
        ),
        &[(8, b("[4 0 R /XYZ 0 0 40]"))],
        &[],
    );
    // An extensions dictionary that the page also uses.
    let ext_shared = add_iso(&ext(" /PieceInfo 7 0 R"));
    // The DSS key of the catalog now names the page's content array, which
    // then changes: it was no validation object when signed.
    let mut with_11 = dss();
    with_11.push((11, b("[5 0 R]")));
    let repointed = append_objects(
        &doc_with(with_11, "11 0 R", " /DSS 7 0 R", ""),
        &[
            (7, b("<</Certs 11 0 R>>")),
            (11, b("[5 0 R 100 0 R]")),
            (100, overlay("Bayar Rp 900.000.000")),
        ],
        &[],
    );
    run(vec![
        case(
            "dss-array-is-page-contents",
            SHADOW,
            direct,
            Expect::Invalid,
            "object 8 (array) changed after signing",
        ),
        case(
            "dss-array-reached-through-page-as-vri",
            SHADOW,
            through_vri,
            Expect::Invalid,
            "object 8 (array) changed after signing",
        ),
        case(
            "dss-array-is-open-action",
            SHADOW,
            from_catalog,
            Expect::Invalid,
            "object 8 (array) changed after signing",
        ),
        case(
            "extensions-used-by-page",
            SHADOW,
            ext_shared,
            Expect::Invalid,
            "object 7 (dictionary) changed after signing",
        ),
        case(
            "dss-repointed-at-page-contents",
            SHADOW,
            repointed,
            Expect::Invalid,
            "object 11 (array) changed after signing",
        ),
    ]);
}
