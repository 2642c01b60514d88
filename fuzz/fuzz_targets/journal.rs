//! The disposition journal: JSON-lines parsing, verification against a
//! fixed organisation, and a replay of the parsed events under valid
//! signatures through the disposition rules. `surat::fuzzing::journal`
//! panics on a broken invariant (an accepted journal that does not write
//! back to its input, or a recorded journal that does not verify).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(run) = surat::fuzzing::journal(data) {
        assert!(run.replayed <= run.entries);
    }
});
