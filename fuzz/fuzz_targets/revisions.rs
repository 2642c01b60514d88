//! The revision index over arbitrary bytes, loading every listed object.
//! Revision ends must be strictly increasing and inside the input.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut limits = surat::Limits::default();
    limits.max_decompressed_total = 16 << 20;
    limits.max_decompressed_stream = 8 << 20;
    if let Ok(ends) = surat::fuzzing::revisions(data, limits) {
        for w in ends.windows(2) {
            assert!(w[0] < w[1], "revision ends not increasing: {ends:?}");
        }
        if let Some(&last) = ends.last() {
            assert!(last <= data.len(), "revision end {last} past the input");
        }
    }
});
