//! Path validation over arbitrary DER certificates. The input is split into
//! certificates at each `0xff 0xfe 0xfd` marker (signer first); the test root
//! is the only anchor. A path is accepted only if it ends at that root.
#![no_main]
use chrono::TimeZone;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let trust =
        surat::cert::TrustStore::from_pem(include_bytes!("../../tests/fixtures/pki/root.pem"))
            .expect("test root");
    let at = chrono::Utc.with_ymd_and_hms(2027, 6, 1, 8, 0, 0).unwrap();
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(3).position(|w| w == [0xff, 0xfe, 0xfd]) {
        parts.push(&rest[..i]);
        rest = &rest[i + 3..];
    }
    parts.push(rest);
    let _ = surat::fuzzing::cert_path(&parts, &trust, at);
});
