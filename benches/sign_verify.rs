//! Sign and verify cost per algorithm and file size, beside the hash of the
//! same bytes so the ratio can be read directly.
//!
//! Run: `cargo bench --bench sign_verify` (add `-- 100MB` for one group).

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sha2::{Digest, Sha256, Sha512};
use surat::sign::{SignOptions, sign_pdf};
use surat::verify::{Verdict, Verifier};

fn group(c: &mut Criterion, name: &str, pdf: &[u8], algs: &[&str], samples: usize) {
    let mut g = c.benchmark_group(name);
    g.sample_size(samples);
    g.throughput(Throughput::Bytes(pdf.len() as u64));
    g.bench_function("sha256", |b| b.iter(|| Sha256::digest(black_box(pdf))));
    g.bench_function("sha512", |b| b.iter(|| Sha512::digest(black_box(pdf))));
    let opts = SignOptions::new(common::t_valid()).reason("bench");
    let verifier = Verifier::new(common::trust()).at(common::t_valid());
    for alg in algs {
        let signer = common::signer(alg);
        // The signed file is dropped outside the timing: freeing it is the
        // caller's (for 100 MB it costs a fifth of the hash here, and the
        // hash it is compared with returns 32 bytes).
        g.bench_function(format!("sign/{alg}"), |b| {
            b.iter_batched(
                || (),
                |()| sign_pdf(black_box(pdf), &signer, &opts).unwrap(),
                BatchSize::PerIteration,
            )
        });
        // The update alone: what `sign_file`/`sign_into` add to writing the input.
        g.bench_function(format!("sign-update/{alg}"), |b| {
            b.iter(|| surat::sign::sign_update(black_box(pdf), &signer, &opts).unwrap())
        });
        let signed = sign_pdf(pdf, &signer, &opts).unwrap();
        assert_eq!(verifier.verify(&signed).unwrap().verdict, Verdict::Valid);
        g.bench_function(format!("verify/{alg}"), |b| {
            b.iter(|| verifier.verify(black_box(&signed)).unwrap())
        });
    }
    g.finish();
}

fn one_page(c: &mut Criterion) {
    group(
        c,
        "one-page",
        &common::classic_pdf(1),
        &common::ALGORITHMS,
        50,
    );
}

fn ten_mb(c: &mut Criterion) {
    group(
        c,
        "10MB",
        &common::big_pdf(10 << 20),
        &common::ALGORITHMS,
        20,
    );
}

fn hundred_mb(c: &mut Criterion) {
    group(
        c,
        "100MB",
        &common::big_pdf(100 << 20),
        &["ed25519", "p256"],
        10,
    );
}

fn many_pages(c: &mut Criterion) {
    let pdf = common::classic_pdf(20_000);
    group(c, "20000-pages", &pdf, &["ed25519", "p256"], 10);
    // Modification analysis: verify the first of two signatures.
    let opts = SignOptions::new(common::t_valid());
    let once = sign_pdf(&pdf, &common::signer("ed25519"), &opts).unwrap();
    let twice = sign_pdf(&once, &common::signer("p256"), &opts).unwrap();
    let verifier = Verifier::new(common::trust()).at(common::t_valid());
    assert_eq!(verifier.verify(&twice).unwrap().verdict, Verdict::Valid);
    let mut g = c.benchmark_group("20000-pages");
    g.sample_size(10);
    g.bench_function("verify-two-signatures", |b| {
        b.iter(|| verifier.verify(black_box(&twice)).unwrap())
    });
    g.finish();
}

/// The same 20,000 pages as a modern producer writes them: dictionaries in
/// compressed object streams of 100 (as qpdf writes them), a
/// cross-reference stream. The audit must
/// inflate what the hash reads compressed, so here the ratio to the hash is
/// well above the classic file's.
fn many_pages_object_streams(c: &mut Criterion) {
    group(
        c,
        "20000-pages-objstm",
        &common::object_streams_pdf(20_000, 100),
        &["p256"],
        10,
    );
}

fn batch(c: &mut Criterion) {
    let pdf = common::classic_pdf(1);
    let docs: Vec<&[u8]> = (0..1000).map(|_| pdf.as_slice()).collect();
    let signer = common::signer("ed25519");
    let opts = SignOptions::new(common::t_valid());
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.throughput(Throughput::Elements(docs.len() as u64));
    g.bench_function("sign-1000-letters/ed25519", |b| {
        b.iter(|| surat::sign::sign_batch(black_box(&docs), &signer, &opts, &|_, _| {}))
    });
    g.finish();
}

criterion_group!(
    benches,
    one_page,
    ten_mb,
    hundred_mb,
    many_pages,
    many_pages_object_streams,
    batch
);
criterion_main!(benches);
