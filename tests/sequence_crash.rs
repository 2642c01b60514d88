//! A process that reserves a number and is killed before committing must not
//! cause that number to be handed out again.
//!
//! The test binary re-invokes itself: with `SURAT_SEQ_CHILD` set, the
//! `child_reserves_then_hangs` test reserves one number, prints it, and waits
//! forever; the parent kills it and reopens the journal.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use surat::letter::number::{FileSequence, ReservationState, Sequence, SequenceKey};

const CHILD_ENV: &str = "SURAT_SEQ_CHILD";

fn key() -> SequenceKey {
    SequenceKey::new("surat-dinas", "diskominfo", 2025).unwrap()
}

#[test]
fn child_reserves_then_hangs() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return; // only does something when spawned by the parent test
    };
    let mut seq = FileSequence::open(&path).unwrap();
    let r = seq.reserve(&key()).unwrap();
    println!("RESERVED {}", r.value());
    // Wait to be killed; give up after a while so a broken parent cannot
    // leave this process behind forever.
    std::thread::sleep(Duration::from_secs(120));
    std::process::exit(3);
}

#[test]
fn reservation_survives_a_killed_process() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sequence.jsonl");
    {
        let mut seq = FileSequence::open(&path).unwrap();
        let a = seq.reserve(&key()).unwrap();
        seq.commit(&a).unwrap();
    }

    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "child_reserves_then_hangs",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reserved = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        // libtest may print "test name ... " on the same line first.
        if let Some(pos) = line.find("RESERVED ") {
            reserved = Some(line[pos + 9..].trim().parse::<u32>().unwrap());
            break;
        }
    }
    // Killed between reserve and commit.
    child.kill().unwrap();
    child.wait().unwrap();
    let reserved = reserved.expect("child did not report a reservation");
    assert_eq!(reserved, 2);

    let mut seq = FileSequence::open(&path).unwrap();
    assert_eq!(
        seq.state(&key(), reserved),
        Some(ReservationState::Reserved)
    );
    let outstanding = seq.outstanding();
    assert_eq!(outstanding.len(), 1);
    assert_eq!(outstanding[0].value(), reserved);
    let next = seq.reserve(&key()).unwrap();
    assert!(
        next.value() > reserved,
        "number {reserved} handed out twice"
    );
    // The application voids the orphan; it is never handed out again.
    seq.void(&outstanding[0], "process died before signing")
        .unwrap();
    drop(seq);
    let mut seq = FileSequence::open(&path).unwrap();
    let again = seq.reserve(&key()).unwrap();
    assert!(again.value() > next.value());
    assert!(matches!(
        seq.state(&key(), reserved),
        Some(ReservationState::Voided { .. })
    ));
}
