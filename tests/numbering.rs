//! The numbering API as an application uses it: formats from patterns,
//! fields built outside the crate, sequences behind the trait.

use surat::letter::Security;
use surat::letter::number::{MemorySequence, NumberFields, NumberFormat, NumberScheme, Sequence};

#[test]
fn kl_number_from_a_pattern_and_a_sequence() {
    let format =
        NumberFormat::from_pattern("{security}-{seq}/{position}/{class}/{month}/{year}").unwrap();
    assert_eq!(format, NumberFormat::kl());
    let scheme = NumberScheme::new("kl", "kominfo", format).unwrap();
    let mut seq = MemorySequence::new();
    let dyn_seq: &mut dyn Sequence = &mut seq;
    let mut numbers = Vec::new();
    for _ in 0..3 {
        let r = dyn_seq.reserve(&scheme.key(2022)).unwrap();
        let fields = NumberFields::new()
            .security(Security::Ordinary)
            .sequence(r.value() + 122)
            .position_code("KOMINFO")
            .classification("HM.01.01")
            .month_year(2, 2022);
        numbers.push(scheme.format().render(&fields).unwrap());
        dyn_seq.commit(&r).unwrap();
    }
    assert_eq!(numbers[0], "B-123/KOMINFO/HM.01.01/02/2022");
    assert_eq!(numbers[2], "B-125/KOMINFO/HM.01.01/02/2022");
    let parsed = NumberFormat::kl().parse(&numbers[1]).unwrap();
    assert_eq!(parsed.sequence, Some(124));
    assert_eq!(parsed.security, Some(Security::Ordinary));
    // patterns survive serde as strings
    let json = serde_json::to_string(&scheme).unwrap();
    assert!(json.contains("{security}-{seq}"));
    let back: NumberScheme = serde_json::from_str(&json).unwrap();
    assert_eq!(back, scheme);
    assert!(serde_json::from_str::<NumberScheme>(&json.replace("{seq}", "{sequ}")).is_err());
}
