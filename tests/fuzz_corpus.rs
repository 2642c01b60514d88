//! Replays past fuzz crashes (`tests/fixtures/fuzz-crashes/`) and the fuzz
//! seeds (`fuzz/seeds/<target>/`) through the verifier and the parsers:
//! whatever the bytes, an error or a report, never a panic.
//!
//! `cargo test --test fuzz_corpus -- --ignored write_fuzz_seeds` regenerates
//! the seeds from the test PKI and the test document generators.

mod common;
#[path = "common/attacks.rs"]
mod forge;

use std::path::{Path, PathBuf};

use common::*;
use surat::verify::{Verifier, VerifyOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else if p.extension().is_none_or(|x| x != "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Everything every fuzz target does, on one input.
fn replay(data: &[u8]) {
    let mut opts = VerifyOptions::default();
    opts.limits.max_decompressed_total = 16 << 20;
    opts.limits.max_decompressed_stream = 8 << 20;
    let report = Verifier::new(trust())
        .at(t_valid())
        .options(opts)
        .verify(data);
    if let Ok(r) = report {
        assert!(!r.signatures.is_empty() || !r.is_valid());
    }
    let _ = surat::fuzzing::parse_object(data);
    // Panics (the finding) on a broken revision-index invariant.
    let _ = surat::fuzzing::revisions(data, opts.limits);
    let _ = surat::fuzzing::parse_cms(data);
    // Split as the cert_path target does: at each 0xff 0xfe 0xfd marker.
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(3).position(|w| w == [0xff, 0xfe, 0xfd]) {
        parts.push(&rest[..i]);
        rest = &rest[i + 3..];
    }
    parts.push(rest);
    let _ = surat::fuzzing::cert_path(&parts, &trust(), t_valid());
    let _ = surat::fuzzing::journal(data);
}

#[test]
fn past_crashes_and_seeds_replay_without_panic() {
    let mut files = files_under(&root().join("tests/fixtures/fuzz-crashes"));
    let crashes = files.len();
    files.extend(files_under(&root().join("fuzz/seeds")));
    assert!(files.len() > crashes, "no fuzz seeds found");
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let r = std::panic::catch_unwind(|| replay(&data));
        assert!(r.is_ok(), "panic on {}", f.display());
    }
}

/// The seeds are real inputs: the signed seeds verify as valid, so the
/// fuzzer starts from deep inside the verifier.
#[test]
fn signed_seeds_are_valid() {
    let dir = root().join("fuzz/seeds/verify_pdf");
    let mut n = 0;
    for f in files_under(&dir) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("signed-") {
            let r = Verifier::new(trust())
                .at(t_valid())
                .verify(&std::fs::read(&f).unwrap())
                .unwrap();
            assert!(r.is_valid(), "{name}: {r:#?}");
            n += 1;
        }
    }
    assert!(n >= 2, "signed seeds missing");
}

#[test]
#[ignore = "writes fuzz/seeds; run by hand when the generators change"]
fn write_fuzz_seeds() {
    use surat::sign::sign_pdf;
    let seeds = root().join("fuzz/seeds");
    let put = |target: &str, name: &str, data: &[u8]| {
        let d = seeds.join(target);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), data).unwrap();
    };
    let opts = forge::opts();
    let classic = sign_pdf(&classic_pdf(1), &signer("ed25519"), &opts).unwrap();
    let xstream = sign_pdf(&xref_stream_pdf(1), &signer("p256"), &opts).unwrap();
    let twice = sign_pdf(&classic, &signer("p256"), &opts).unwrap();
    let certified = forge::certified(1);
    for t in ["verify_pdf", "revisions"] {
        put(t, "signed-classic-ed25519.pdf", &classic);
        put(t, "signed-xref-stream-p256.pdf", &xstream);
        put(t, "signed-twice.pdf", &twice);
        put(t, "signed-certified-p1.pdf", &certified);
        put(t, "unsigned-classic.pdf", &classic_pdf(1));
        put(t, "unsigned-xref-stream.pdf", &xref_stream_pdf(2));
    }
    put(
        "verify_pdf",
        "attack-content-changed.pdf",
        &append_update(&classic, 5, &forge::text("Surat Palsu")),
    );
    for (i, o) in [
        &b"<</A [1 2 0 R 3.50 (x\\)y) <41 4>] /B<</C null>> /D -7>>"[..],
        b"[/Name#20x true false null 12 -3 +4 .5 (a(b)c) <00ff>]",
        b"<</Type /Sig /ByteRange [0 10 20 30] /Contents <3082>>>",
        b"(\\101\\n\\r\\t\\b\\f\\(\\)\\\\\r\n)",
    ]
    .iter()
    .enumerate()
    {
        put("parse_object", &format!("object-{i}.txt"), o);
    }
    for (alg, pdf) in [
        ("ed25519", classic.clone()),
        ("p256", xstream.clone()),
        (
            "rsa",
            sign_pdf(&classic_pdf(1), &signer("rsa"), &opts).unwrap(),
        ),
    ] {
        put("parse_cms", &format!("cms-{alg}.der"), &forge::cms_of(&pdf));
    }
    let pdf = sign_pdf(&classic_pdf(1), &signer("p256"), &opts).unwrap();
    put(
        "parse_cms",
        "cms-p256-ber-envelope.ber",
        &forge::ber_envelope(&forge::cms_of(&pdf), false),
    );
    let mut chain = forge::cert_der("pki/ed25519.pem");
    chain.extend_from_slice(&[0xff, 0xfe, 0xfd]);
    chain.extend_from_slice(&forge::cert_der("pki/inter.pem"));
    put("cert_path", "ed25519-inter.bin", &chain);
    let mut chain = forge::cert_der("pki/rsa.pem");
    chain.extend_from_slice(&[0xff, 0xfe, 0xfd]);
    chain.extend_from_slice(&forge::cert_der("pki/inter.pem"));
    put("cert_path", "rsa-inter.bin", &chain);
    put("journal", "sample.jsonl", &surat::fuzzing::journal_sample());
}

/// The journal seed is a real journal: it parses, verifies against the
/// target's fixture and replays every event.
#[test]
fn journal_seed_verifies_and_replays() {
    let sample = surat::fuzzing::journal_sample();
    assert_eq!(sample.iter().filter(|&&b| b == b'\n').count(), 6);
    let run = surat::fuzzing::journal(&sample).unwrap();
    assert!(run.verified, "{run:?}");
    assert_eq!((run.entries, run.replayed), (6, 6));
    // One changed letter inside a signed line: still canonical, so it
    // parses, but it no longer verifies; its events still replay.
    let mut bad = sample.clone();
    let i = bad.iter().position(|&b| b == b'K').unwrap();
    bad[i] = b'L';
    let run = surat::fuzzing::journal(&bad).unwrap();
    assert!(!run.verified, "{run:?}");
    assert_eq!(run.replayed, 6);
}
