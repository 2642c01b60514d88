//! The whole verifier on arbitrary bytes: an error or a report, never a
//! panic; a report with no signature is never valid.
#![no_main]
use chrono::TimeZone;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let trust =
        surat::cert::TrustStore::from_pem(include_bytes!("../../tests/fixtures/pki/root.pem"))
            .expect("test root");
    let at = chrono::Utc.with_ymd_and_hms(2027, 6, 1, 8, 0, 0).unwrap();
    let mut limits = surat::Limits::default();
    limits.max_decompressed_total = 16 << 20;
    limits.max_decompressed_stream = 8 << 20;
    let mut opts = surat::verify::VerifyOptions::default();
    opts.limits = limits;
    let report = surat::verify::Verifier::new(trust)
        .at(at)
        .options(opts)
        .verify(data);
    if let Ok(r) = report {
        assert!(!r.signatures.is_empty() || !r.is_valid());
    }
});
