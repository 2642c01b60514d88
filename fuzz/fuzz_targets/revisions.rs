//! The revision index over arbitrary bytes: every listed object loaded and
//! skimmed as the audit does, every revision scanned.
//! `surat::fuzzing::revisions` panics on a broken invariant: skim and full
//! parse of an object disagree, or revision ends are not strictly
//! increasing, not inside the input, or not right after a `%%EOF` marker.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut limits = surat::Limits::default();
    limits.max_decompressed_total = 16 << 20;
    limits.max_decompressed_stream = 8 << 20;
    let _ = surat::fuzzing::revisions(data, limits);
});
