//! One PDF object from arbitrary bytes: never panics, nesting is bounded.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = surat::fuzzing::parse_object(data);
});
