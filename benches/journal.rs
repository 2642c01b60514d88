//! Verifying a 10,000-event disposition journal: import (parse + canonical
//! check) and replay (links, Ed25519 signatures, rules).

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ed25519_dalek::SigningKey;
use surat::disposition::{
    Assignment, AssignmentId, AssignmentKind, Event, Forward, Instruction, Journal, KeyRing,
    Limits, Org, PositionId, RecipientId, Registration, Report, Role, Sha256Hash, parse_json_lines,
    verify,
};

const EVENTS: usize = 10_000;

struct Office {
    org: Org,
    keys: KeyRing,
    signing: Vec<SigningKey>,
}

fn id(s: &str) -> PositionId {
    PositionId::new(s).expect("valid id")
}

fn office() -> Office {
    let mut org = Org::new();
    let tree = [
        ("kadis", None),
        ("kabid1", Some("kadis")),
        ("kabid2", Some("kadis")),
        ("staf1", Some("kabid1")),
    ];
    let since = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let mut keys = KeyRing::new();
    let mut signing = Vec::new();
    for (i, (pos, sup)) in tree.into_iter().enumerate() {
        org.add_position(id(pos), pos, sup.map(id).as_ref())
            .unwrap();
        let asg = AssignmentId::new(pos).unwrap();
        org.add_assignment(Assignment::new(
            asg.clone(),
            id(pos),
            AssignmentKind::Definitive,
            pos,
            since,
        ))
        .unwrap();
        let sk = SigningKey::from_bytes(&[u8::try_from(i + 1).unwrap(); 32]);
        keys.add(asg, sk.verifying_key());
        signing.push(sk);
    }
    Office { org, keys, signing }
}

fn journal(o: &Office) -> Journal {
    let mut j = Journal::new();
    let start: DateTime<Utc> = Utc.with_ymd_and_hms(2025, 1, 6, 8, 0, 0).unwrap();
    let mut n = 0i64;
    let mut rec = |j: &mut Journal, who: usize, ev: Event| {
        let actor = AssignmentId::new(["kadis", "kabid1", "kabid2", "staf1"][who]).unwrap();
        j.record(
            &o.org,
            &o.signing[who],
            &actor,
            start + Duration::minutes(n),
            ev,
        )
        .unwrap();
        n += 1;
    };
    rec(
        &mut j,
        0,
        Event::Register(Registration::new(
            "SM/0001/2025",
            Sha256Hash::digest(b"pdf"),
            id("kadis"),
        )),
    );
    rec(
        &mut j,
        0,
        Event::Read {
            recipient: RecipientId::ROOT,
        },
    );
    while j.entries().len() + 10 <= EVENTS {
        let base = u32::try_from(j.tree().recipients().len()).unwrap();
        let (k1, k2, s1) = (
            RecipientId::new(base),
            RecipientId::new(base + 1),
            RecipientId::new(base + 2),
        );
        rec(
            &mut j,
            0,
            Event::Forward(
                Forward::new(RecipientId::ROOT)
                    .to(id("kabid1"), Role::Leading)
                    .to(id("kabid2"), Role::Supporting)
                    .instruction(Instruction::FollowUp)
                    .note("Untuk ditindaklanjuti sesuai ketentuan"),
            ),
        );
        rec(&mut j, 1, Event::Read { recipient: k1 });
        rec(
            &mut j,
            1,
            Event::Forward(Forward::new(k1).to(id("staf1"), Role::Leading)),
        );
        rec(&mut j, 3, Event::Read { recipient: s1 });
        rec(
            &mut j,
            3,
            Event::Report(
                Report::new(s1, "Sudah dilaksanakan").attachment(Sha256Hash::digest(b"x")),
            ),
        );
        rec(
            &mut j,
            3,
            Event::Complete {
                recipient: s1,
                note: None,
            },
        );
        rec(&mut j, 1, Event::Report(Report::new(k1, "Selesai")));
        rec(
            &mut j,
            1,
            Event::Complete {
                recipient: k1,
                note: None,
            },
        );
        rec(&mut j, 2, Event::Read { recipient: k2 });
        rec(
            &mut j,
            2,
            Event::Complete {
                recipient: k2,
                note: None,
            },
        );
    }
    while j.entries().len() < EVENTS {
        rec(
            &mut j,
            0,
            Event::Report(Report::new(RecipientId::ROOT, "Catatan")),
        );
    }
    j
}

fn bench(c: &mut Criterion) {
    let o = office();
    let j = journal(&o);
    assert_eq!(j.entries().len(), EVENTS);
    let bytes = j.to_json_lines();
    let mut g = c.benchmark_group("journal");
    g.throughput(Throughput::Elements(EVENTS as u64));
    g.sample_size(10);
    g.bench_function("import_and_verify_10k", |b| {
        b.iter(|| {
            let raw = parse_json_lines(&bytes, Limits::default()).unwrap();
            verify(&raw, &o.org, &o.keys).unwrap()
        })
    });
    let raw = parse_json_lines(&bytes, Limits::default()).unwrap();
    g.bench_function("verify_parsed_10k", |b| {
        b.iter(|| verify(&raw, &o.org, &o.keys).unwrap())
    });
    g.bench_function("import_only_10k", |b| {
        b.iter(|| parse_json_lines(&bytes, Limits::default()).unwrap())
    });
    // Baseline: the Ed25519 strict verifications alone.
    let inputs: Vec<_> = raw
        .entries()
        .iter()
        .map(|e| {
            (
                ed25519_dalek::VerifyingKey::from_bytes(e.public_key()).unwrap(),
                e.signing_input().unwrap(),
                ed25519_dalek::Signature::from_bytes(e.signature()),
            )
        })
        .collect();
    g.bench_function("ed25519_verify_strict_only_10k", |b| {
        b.iter(|| {
            for (k, m, s) in &inputs {
                k.verify_strict(m, s).unwrap();
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
