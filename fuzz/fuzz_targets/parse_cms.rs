//! CMS SignedData parsing and its structural checks on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = surat::fuzzing::parse_cms(data);
});
