//! Journal: export, import, verification, tampering, limits.

mod disposition_common;

use disposition_common::*;
use ed25519_dalek::SigningKey;
use surat::disposition::{
    DispositionError, Event, Forward, Instruction, Journal, JournalError, KeyRing, Limits, Org,
    RecipientId, Report, Role, Sha256Hash, parse_json_lines, verify,
};

const ROOT: RecipientId = RecipientId::ROOT;
const K1: RecipientId = RecipientId::new(1);

fn sample(fx: &Fixture) -> Journal {
    let mut j = Journal::new();
    let mut step = 0;
    let mut rec = |j: &mut Journal, actor: &str, ev: Event| {
        step += 1;
        j.record(&fx.org, fx.key(actor), &a(actor), t(step), ev)
            .unwrap();
    };
    rec(&mut j, "tu-1", Event::Register(fx.registration()));
    rec(&mut j, "kadis-def", Event::Read { recipient: ROOT });
    rec(
        &mut j,
        "kadis-def",
        Event::Forward(
            Forward::new(ROOT)
                .to(p("kabid1"), Role::Leading)
                .to(p("kabid2"), Role::Supporting)
                .instruction(Instruction::FollowUp)
                .instruction(Instruction::Custom("Rapatkan \"segera\"\n".into()))
                .deadline(day(10)),
        ),
    );
    rec(&mut j, "kabid1", Event::Read { recipient: K1 });
    rec(
        &mut j,
        "kabid1",
        Event::Report(Report::new(K1, "Sudah — dikerjakan ✓").attachment(Sha256Hash::digest(b"x"))),
    );
    rec(
        &mut j,
        "kabid1",
        Event::Complete {
            recipient: K1,
            note: None,
        },
    );
    j
}

fn import(bytes: &[u8], fx: &Fixture) -> Result<Journal, JournalError> {
    let raw = parse_json_lines(bytes, Limits::default())?;
    verify(&raw, &fx.org, &fx.keys)
}

#[test]
fn export_import_verify_round_trip() {
    let fx = Fixture::new();
    let j = sample(&fx);
    let bytes = j.to_json_lines();
    assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 6);
    let v = import(&bytes, &fx).unwrap();
    assert_eq!(v.tree(), j.tree());
    assert_eq!(v.head(), j.head());
    assert_eq!(v.to_json_lines(), bytes);
    let mut written = Vec::new();
    j.write_json_lines(&mut written).unwrap();
    assert_eq!(written, bytes);
    // Each entry links to the hash of the previous line.
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    assert_eq!(j.entries()[1].prev(), Sha256Hash::digest(lines[0]));
    assert_eq!(j.entries()[0].prev(), Sha256Hash::ZERO);
}

#[test]
fn empty_journal_is_valid_and_empty() {
    let fx = Fixture::new();
    let v = import(b"", &fx).unwrap();
    assert!(v.entries().is_empty());
    assert!(v.tree().letter().is_none());
}

fn lines(j: &Journal) -> Vec<String> {
    j.to_json_lines()
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| String::from_utf8(l.to_vec()).unwrap())
        .collect()
}

fn join(lines: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l.as_bytes());
        out.push(b'\n');
    }
    out
}

#[test]
fn removed_or_reordered_entries_are_named() {
    let fx = Fixture::new();
    let mut ls = lines(&sample(&fx));
    let mut removed = ls.clone();
    removed.remove(2);
    assert!(matches!(
        import(&join(&removed), &fx),
        Err(JournalError::SequenceMismatch { index: 2, found: 3 })
    ));
    ls.swap(3, 4);
    assert!(matches!(
        import(&join(&ls), &fx),
        Err(JournalError::SequenceMismatch { index: 3, .. })
    ));
}

#[test]
fn unknown_key_and_bad_signature() {
    let fx = Fixture::new();
    let j = sample(&fx);
    // A key ring without kabid1's key.
    let mut keys = KeyRing::new();
    for (id, sk) in &fx.signing {
        if id.as_str() != "kabid1" {
            keys.add(id.clone(), sk.verifying_key());
        }
    }
    let raw = parse_json_lines(&j.to_json_lines(), Limits::default()).unwrap();
    match verify(&raw, &fx.org, &keys) {
        Err(JournalError::UnknownKey { index: 3, actor }) => assert_eq!(actor.as_str(), "kabid1"),
        other => panic!("{other:?}"),
    }
    // kabid2's key registered for kabid2 only: signing as kabid1 is unknown.
    let mut forged = Journal::new();
    forged
        .record(
            &fx.org,
            fx.key("kabid2"),
            &a("tu-1"),
            t(0),
            Event::Register(fx.registration()),
        )
        .unwrap();
    assert!(matches!(
        import(&forged.to_json_lines(), &fx),
        Err(JournalError::UnknownKey { index: 0, .. })
    ));
    // Change a signature digit: still canonical, but the signature fails.
    let mut ls = lines(&j);
    let pos = ls[4].find("\"sig\":\"").unwrap() + 7;
    let c = if &ls[4][pos..=pos] == "0" { "1" } else { "0" };
    ls[4].replace_range(pos..=pos, c);
    assert!(matches!(
        import(&join(&ls), &fx),
        Err(JournalError::BadSignature { index: 4 })
    ));
}

#[test]
fn a_journal_breaking_a_rule_is_rejected_at_that_entry() {
    // Recorded against a laxer organisation where staf2 sits under kabid1.
    let fx = Fixture::new();
    let mut lax = Org::new();
    let order = [
        "kadis",
        "sekretaris",
        "tu",
        "kabid1",
        "kabid2",
        "staf1",
        "staf2",
    ];
    for id in order {
        let pos = fx.org.position(&p(id)).unwrap();
        let sup = if id == "staf2" {
            Some(p("kabid1"))
        } else {
            pos.superior().cloned()
        };
        lax.add_position(p(id), pos.title(), sup.as_ref()).unwrap();
    }
    for asg in fx.org.assignments() {
        lax.add_assignment(asg.clone()).unwrap();
    }
    let mut j = Journal::new();
    j.record(
        &lax,
        fx.key("tu-1"),
        &a("tu-1"),
        t(0),
        Event::Register(fx.registration()),
    )
    .unwrap();
    j.record(
        &lax,
        fx.key("kadis-def"),
        &a("kadis-def"),
        t(1),
        Event::Read { recipient: ROOT },
    )
    .unwrap();
    j.record(
        &lax,
        fx.key("kadis-def"),
        &a("kadis-def"),
        t(2),
        Event::Forward(Forward::new(ROOT).to(p("kabid1"), Role::Leading)),
    )
    .unwrap();
    j.record(
        &lax,
        fx.key("kabid1"),
        &a("kabid1"),
        t(3),
        Event::Read { recipient: K1 },
    )
    .unwrap();
    j.record(
        &lax,
        fx.key("kabid1"),
        &a("kabid1"),
        t(4),
        Event::Forward(Forward::new(K1).to(p("staf2"), Role::Leading)),
    )
    .unwrap();
    match import(&j.to_json_lines(), &fx) {
        Err(JournalError::Rule {
            index: 4,
            source: DispositionError::NotBelow { .. },
        }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_lines_are_named_never_panic() {
    let fx = Fixture::new();
    let ls = lines(&sample(&fx));
    let cases: Vec<(Vec<u8>, usize)> = vec![
        (b"{not json}\n".to_vec(), 1),
        ([ls[0].as_bytes(), b"\n", b"\xff\xfe\n"].concat(), 2),
        ([ls[0].as_bytes(), b"\n\n"].concat(), 2),
        ([ls[0].as_bytes(), b"\n", ls[1].as_bytes()].concat(), 2),
        ([ls[0].replacen("{", "{ ", 1).as_bytes(), b"\n"].concat(), 1),
        (
            [ls[0].replacen("\"v\":1", "\"v\":2", 1).as_bytes(), b"\n"].concat(),
            1,
        ),
        (
            [
                ls[0].replacen("\"v\":1", "\"v\":1,\"x\":1", 1).as_bytes(),
                b"\n",
            ]
            .concat(),
            1,
        ),
        (
            [
                ls[1].replacen("\"seq\":1", "\"seq\":1.0", 1).as_bytes(),
                b"\n",
            ]
            .concat(),
            1,
        ),
        (
            [
                ls[0]
                    .replacen("\"seq\":0", "\"seq\":9007199254740993", 1)
                    .as_bytes(),
                b"\n",
            ]
            .concat(),
            1,
        ),
        (b"[]\n".to_vec(), 1),
        (b"null\n".to_vec(), 1),
    ];
    for (bytes, line) in cases {
        let err = parse_json_lines(&bytes, Limits::default()).unwrap_err();
        assert_eq!(err.entry_index(), Some(line - 1), "{err:?}");
    }
    // Uppercase hex and a missing signature.
    let upper = ls[0].replacen("\"prev\":\"0000", "\"prev\":\"000A", 1);
    assert!(matches!(
        parse_json_lines(format!("{upper}\n").as_bytes(), Limits::default()),
        Err(JournalError::Malformed { line: 1, .. })
    ));
    let sig_at = ls[0].find(",\"sig\":").unwrap();
    let unsigned = format!("{}{}", &ls[0][..sig_at], &ls[0][sig_at + 7 + 130..]);
    assert!(matches!(
        parse_json_lines(format!("{unsigned}\n").as_bytes(), Limits::default()),
        Err(JournalError::MissingSignature { line: 1 })
    ));
}

#[test]
fn limits_are_explicit() {
    let fx = Fixture::new();
    let bytes = sample(&fx).to_json_lines();
    let longest = bytes.split(|b| *b == b'\n').map(<[u8]>::len).max().unwrap();
    assert!(matches!(
        parse_json_lines(&bytes, Limits::default().max_line_bytes(longest - 1)),
        Err(JournalError::LineTooLong { .. })
    ));
    assert!(parse_json_lines(&bytes, Limits::default().max_line_bytes(longest)).is_ok());
    assert!(matches!(
        parse_json_lines(&bytes, Limits::default().max_entries(5)),
        Err(JournalError::TooManyEntries { max: 5 })
    ));
    // A huge line without a newline is refused after reading the limit only.
    let huge = vec![b'x'; 10 * 1024 * 1024];
    assert!(matches!(
        parse_json_lines(&huge, Limits::default()),
        Err(JournalError::LineTooLong { line: 1, .. })
    ));
    // Recording honours the limits too.
    let mut j = Journal::with_limits(Limits::default().max_entries(1));
    j.record(
        &fx.org,
        fx.key("tu-1"),
        &a("tu-1"),
        t(0),
        Event::Register(fx.registration()),
    )
    .unwrap();
    assert!(matches!(
        j.record(
            &fx.org,
            fx.key("kadis-def"),
            &a("kadis-def"),
            t(1),
            Event::Read { recipient: ROOT }
        ),
        Err(JournalError::TooManyEntries { max: 1 })
    ));
}

#[test]
fn signing_key_is_not_needed_to_verify() {
    let fx = Fixture::new();
    let j = sample(&fx);
    let other = SigningKey::from_bytes(&[99; 32]);
    let mut keys = fx.keys.clone();
    keys.add(a("kabid1"), other.verifying_key());
    assert!(
        verify(
            &parse_json_lines(&j.to_json_lines(), Limits::default()).unwrap(),
            &fx.org,
            &keys
        )
        .is_ok()
    );
}

#[test]
fn every_single_byte_change_is_detected_exhaustively() {
    let fx = Fixture::new();
    let j = sample(&fx);
    let bytes = j.to_json_lines();
    for at in 0..bytes.len() {
        let entry = bytes[..at].iter().filter(|b| **b == b'\n').count();
        for xor in [0x01u8, 0x20, 0x80] {
            let mut changed = bytes.clone();
            changed[at] ^= xor;
            let err = match parse_json_lines(&changed, Limits::default()) {
                Err(e) => e,
                Ok(raw) => match verify(&raw, &fx.org, &fx.keys) {
                    Err(e) => e,
                    Ok(_) => panic!("byte {at} ^ {xor:#x} not detected"),
                },
            };
            let index = err.entry_index();
            assert!(
                index.is_some_and(|i| i <= entry),
                "byte {at} ^ {xor:#x} in entry {entry}: {err:?}"
            );
        }
    }
}

#[test]
fn long_journals_report_the_first_bad_signature() {
    // Long enough for signatures to be checked on several threads.
    let fx = Fixture::new();
    let mut j = Journal::new();
    j.record(
        &fx.org,
        fx.key("tu-1"),
        &a("tu-1"),
        t(0),
        Event::Register(fx.registration()),
    )
    .unwrap();
    j.record(
        &fx.org,
        fx.key("kadis-def"),
        &a("kadis-def"),
        t(1),
        Event::Read { recipient: ROOT },
    )
    .unwrap();
    for k in 2..600 {
        j.record(
            &fx.org,
            fx.key("kadis-def"),
            &a("kadis-def"),
            t(k),
            Event::Report(Report::new(ROOT, format!("catatan {k}"))),
        )
        .unwrap();
    }
    assert!(import(&j.to_json_lines(), &fx).is_ok());
    let mut ls = lines(&j);
    for i in [480, 150, 420] {
        let pos = ls[i].find("\"sig\":\"").unwrap() + 7;
        let c = if &ls[i][pos..=pos] == "0" { "1" } else { "0" };
        ls[i].replace_range(pos..=pos, c);
    }
    assert!(matches!(
        import(&join(&ls), &fx),
        Err(JournalError::BadSignature { index: 150 })
    ));
}
