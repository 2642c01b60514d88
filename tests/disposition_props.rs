//! Properties: legal action sequences always verify and fold to the same
//! tree; any single-byte change to an exported journal is detected at or
//! before the changed entry.

mod disposition_common;

use std::collections::BTreeSet;

use chrono::Duration;
use disposition_common::*;
use proptest::prelude::*;
use surat::disposition::{
    DispositionTree, Event, Forward, Instruction, Journal, Limits, Org, PositionId, Recipient,
    RecipientStatus, Report, Role, Sha256Hash, parse_json_lines, verify,
};

fn holder(position: &PositionId) -> String {
    match position.as_str() {
        "kadis" => "kadis-def".to_owned(),
        "tu" => "tu-1".to_owned(),
        other => other.to_owned(),
    }
}

/// Positions strictly below `r` and not on its branch.
fn below(org: &Org, tree: &DispositionTree, r: &Recipient) -> Vec<PositionId> {
    let mut branch = BTreeSet::new();
    let mut walk = Some(r);
    while let Some(x) = walk {
        branch.insert(x.position().clone());
        walk = x.parent().and_then(|p| tree.recipient(p));
    }
    org.positions()
        .map(|p| p.id().clone())
        .filter(|p| org.is_below(p, r.position()) && !branch.contains(p))
        .collect()
}

fn forward_for(org: &Org, tree: &DispositionTree, r: &Recipient, seed: u32) -> Option<Forward> {
    let options = below(org, tree, r);
    if options.is_empty() {
        return None;
    }
    let mut f = Forward::new(r.id());
    let mut leading_used = false;
    let mut any = false;
    for (k, pos) in options.iter().enumerate() {
        let bits = seed.rotate_right(u32::try_from(k * 3).unwrap());
        let last_chance = k + 1 == options.len() && !any;
        if bits & 1 == 0 && !last_chance {
            continue;
        }
        any = true;
        let role = match (bits >> 1) & 3 {
            0 | 1 if !leading_used => {
                leading_used = true;
                Role::Leading
            }
            2 => Role::Copy,
            _ => Role::Supporting,
        };
        f = f.to(pos.clone(), role);
    }
    f = f.instruction(Instruction::STANDARD[(seed as usize >> 8) % 18].clone());
    if seed & (1 << 12) != 0 {
        f = f.instruction(Instruction::Custom(format!("Tugas {}", seed % 97)));
    }
    match (tree.effective_deadline(r.id()), (seed >> 13) % 3) {
        (Some(d), 0) => f = f.deadline(d),
        (Some(d), 1) => f = f.deadline(d - Duration::days(1)),
        (None, 0) => f = f.deadline(day(10 + (seed >> 16) % 10)),
        _ => {}
    }
    if seed & (1 << 20) != 0 {
        f = f.note("Segera laksanakan\tdan \"laporkan\"");
    }
    Some(f)
}

/// Every legal next action in the tree, with its actor.
fn legal_actions(fx: &Fixture, tree: &DispositionTree, seed: u32) -> Vec<(String, Event)> {
    if tree.letter().is_none() {
        return vec![(
            "tu-1".into(),
            Event::Register(fx.registration().auto_close(seed.is_multiple_of(2))),
        )];
    }
    if tree.closure().is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in tree.recipients() {
        let me = holder(r.position());
        let id = r.id();
        let duty = r.role() != Role::Copy;
        match r.status() {
            RecipientStatus::Sent => out.push((me.clone(), Event::Read { recipient: id })),
            RecipientStatus::Read | RecipientStatus::InProgress if duty => {
                if r.status() == RecipientStatus::Read {
                    out.push((me.clone(), Event::Start { recipient: id }));
                }
                out.push((
                    me.clone(),
                    Event::Report(
                        Report::new(id, format!("Laporan {seed}"))
                            .attachment(Sha256Hash::digest(&seed.to_be_bytes())),
                    ),
                ));
                out.push((
                    me.clone(),
                    Event::Complete {
                        recipient: id,
                        note: None,
                    },
                ));
                if let Some(f) = forward_for(&fx.org, tree, r, seed) {
                    out.push((me.clone(), Event::Forward(f)));
                    // Weight forwarding so trees grow.
                    if let Some(f) = forward_for(&fx.org, tree, r, seed.rotate_left(7)) {
                        out.push((me.clone(), Event::Forward(f)));
                    }
                }
            }
            _ => {}
        }
        if let Some(parent) = r.parent().and_then(|p| tree.recipient(p)) {
            let giver = holder(parent.position());
            if !r.status().is_final() && seed.is_multiple_of(5) {
                out.push((
                    giver.clone(),
                    Event::Withdraw {
                        recipient: id,
                        reason: None,
                    },
                ));
            }
            if r.status() == RecipientStatus::Done && !parent.status().is_final() {
                out.push((
                    giver,
                    Event::Reopen {
                        recipient: id,
                        reason: Some("ulang".into()),
                    },
                ));
            }
        }
    }
    if let Some(root) = tree.recipients().first()
        && root.status() != RecipientStatus::Sent
        && seed.is_multiple_of(16)
    {
        out.push(("kadis-def".into(), Event::Close { note: None }));
    }
    out
}

/// Records a journal driven by `seeds`, taking only legal actions.
fn build(fx: &Fixture, seeds: &[u32]) -> (Journal, Vec<(String, Event)>) {
    let mut j = Journal::new();
    let mut done = Vec::new();
    for (step, seed) in seeds.iter().enumerate() {
        let options = legal_actions(fx, j.tree(), *seed);
        if options.is_empty() {
            break;
        }
        let (actor, event) = options[*seed as usize % options.len()].clone();
        let at = t(i64::try_from(step).unwrap());
        j.record(&fx.org, fx.key(&actor), &a(&actor), at, event.clone())
            .unwrap_or_else(|e| panic!("legal action {event:?} by {actor} refused: {e}"));
        done.push((actor, event));
    }
    (j, done)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn legal_sequences_verify_and_fold(seeds in prop::collection::vec(any::<u32>(), 1..80)) {
        let fx = Fixture::new();
        let (j, events) = build(&fx, &seeds);
        // Fold the plain events.
        let mut folded = DispositionTree::new();
        for (step, (actor, ev)) in events.iter().enumerate() {
            folded.apply(&fx.org, &a(actor), t(i64::try_from(step).unwrap()), ev).unwrap();
        }
        prop_assert_eq!(&folded, j.tree());
        // Export, import, verify.
        let bytes = j.to_json_lines();
        let raw = parse_json_lines(&bytes, Limits::default()).unwrap();
        let v = verify(&raw, &fx.org, &fx.keys).unwrap();
        prop_assert_eq!(v.tree(), j.tree());
        prop_assert_eq!(v.head(), j.head());
        prop_assert_eq!(v.to_json_lines(), bytes);
    }

    #[test]
    fn any_single_byte_change_is_detected(
        seeds in prop::collection::vec(any::<u32>(), 1..25),
        offset in any::<usize>(),
        xor in 1u8..=255,
    ) {
        let fx = Fixture::new();
        let (j, _) = build(&fx, &seeds);
        let mut bytes = j.to_json_lines();
        let at = offset % bytes.len();
        bytes[at] ^= xor;
        // The entry holding the changed byte (its terminating newline included).
        let changed = bytes[..at].iter().filter(|b| **b == b'\n').count();
        let err = match parse_json_lines(&bytes, Limits::default()) {
            Err(e) => e,
            Ok(raw) => match verify(&raw, &fx.org, &fx.keys) {
                Err(e) => e,
                Ok(_) => return Err(TestCaseError::fail(format!("change at byte {at} not detected"))),
            },
        };
        let index = err.entry_index();
        prop_assert!(index.is_some_and(|i| i <= changed), "{err:?} names {index:?}, change in entry {changed}");
    }
}

#[test]
fn generator_reaches_every_kind_of_action() {
    let fx = Fixture::new();
    let mut kinds = BTreeSet::new();
    for s in 0..200u32 {
        let seeds: Vec<u32> = (0..60)
            .map(|k| s.wrapping_mul(2_654_435_761).wrapping_add(k * 40_503))
            .collect();
        let (_, events) = build(&fx, &seeds);
        kinds.extend(events.iter().map(|(_, e)| e.name()));
    }
    assert_eq!(kinds.len(), 9, "{kinds:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Arbitrary bytes, and valid journals with bytes inserted or removed,
    /// are refused (or accepted) without panicking.
    #[test]
    fn hostile_input_never_panics(
        noise in prop::collection::vec(any::<u8>(), 0..2048),
        seeds in prop::collection::vec(any::<u32>(), 1..12),
        at in any::<usize>(),
        insert in any::<Option<u8>>(),
    ) {
        let fx = Fixture::new();
        if let Ok(raw) = parse_json_lines(&noise, Limits::default()) {
            let _ = verify(&raw, &fx.org, &fx.keys);
        }
        let (j, _) = build(&fx, &seeds);
        let mut bytes = j.to_json_lines();
        let at = at % bytes.len();
        match insert {
            Some(b) => bytes.insert(at, b),
            None => {
                bytes.remove(at);
            }
        }
        let entry = bytes[..at].iter().filter(|b| **b == b'\n').count();
        let result = parse_json_lines(&bytes, Limits::default())
            .and_then(|raw| verify(&raw, &fx.org, &fx.keys));
        if let Err(e) = result {
            // An inserted or removed byte is reported at or before its entry.
            prop_assert!(e.entry_index().is_some_and(|i| i <= entry), "{e:?}");
        } else {
            // Only a whitespace-free no-op could pass, and there is none.
            return Err(TestCaseError::fail("insert/remove not detected"));
        }
    }
}
