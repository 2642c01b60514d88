//! Writes the benchmark's generated inputs to files, for measuring the CLI
//! (peak memory with `/usr/bin/time -v`), e.g.:
//!
//! ```sh
//! cargo test --release --test bench_inputs -- --ignored
//! /usr/bin/time -v target/release/surat sign target/bench-inputs/100MB.pdf -o /tmp/s.pdf \
//!     --key tests/fixtures/pki/p256.key --cert tests/fixtures/pki/p256.pem \
//!     --chain tests/fixtures/pki/inter.pem
//! ```

mod common;

#[test]
#[ignore = "writes large files; run by hand before measuring the CLI"]
fn write_bench_inputs() {
    let dir = std::env::var_os("SURAT_BENCH_DIR").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-inputs"),
        std::path::PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    for (name, pdf) in [
        ("one-page.pdf", common::classic_pdf(1)),
        ("100MB.pdf", common::big_pdf(100 << 20)),
        ("20000-pages.pdf", common::classic_pdf(20_000)),
        (
            "20000-pages-objstm.pdf",
            common::object_streams_pdf(20_000, 100),
        ),
        (
            "20000-pages-47MB.pdf",
            common::classic_pdf_sized(20_000, 2_500),
        ),
        (
            "20000-pages-47MB-objstm.pdf",
            common::object_streams_pdf_sized(20_000, 100, 2_500),
        ),
    ] {
        std::fs::write(dir.join(name), &pdf).unwrap();
        println!("{} ({} bytes)", dir.join(name).display(), pdf.len());
    }
}
