//! One test per disposition rule, legal and illegal.

mod disposition_common;

use chrono::{FixedOffset, TimeZone};
use disposition_common::*;
use surat::disposition::{
    DispositionError, Event, Forward, Instruction, Journal, JournalError, RecipientId,
    RecipientStatus, Report, Role, Sha256Hash, Urgency,
};

const ROOT: RecipientId = RecipientId::ROOT;
const K1: RecipientId = RecipientId::new(1);
const K2: RecipientId = RecipientId::new(2);
const SEK: RecipientId = RecipientId::new(3);

struct Book {
    fx: Fixture,
    j: Journal,
    clock: i64,
}

impl Book {
    fn new() -> Self {
        Self::with(|r| r)
    }

    fn with(
        f: impl FnOnce(surat::disposition::Registration) -> surat::disposition::Registration,
    ) -> Self {
        let fx = Fixture::new();
        let mut b = Self {
            j: Journal::new(),
            fx,
            clock: 0,
        };
        let reg = f(b.fx.registration());
        b.ok("tu-1", Event::Register(reg));
        b
    }

    fn try_(&mut self, actor: &str, event: Event) -> Result<(), JournalError> {
        self.clock += 1;
        let key = self.fx.key(actor).clone();
        self.j
            .record(&self.fx.org, &key, &a(actor), t(self.clock), event)
            .map(|_| ())
    }

    fn ok(&mut self, actor: &str, event: Event) {
        self.try_(actor, event).unwrap();
    }

    fn rule(&mut self, actor: &str, event: Event) -> DispositionError {
        let before = self.j.tree().clone();
        let n = self.j.entries().len();
        match self.try_(actor, event) {
            Err(JournalError::Rule { index, source }) => {
                assert_eq!(index, n);
                assert_eq!(self.j.tree(), &before, "a rejected action changes nothing");
                assert_eq!(self.j.entries().len(), n);
                source
            }
            other => panic!("expected a rule violation, got {other:?}"),
        }
    }

    fn status(&self, r: RecipientId) -> RecipientStatus {
        self.j.tree().recipient(r).unwrap().status()
    }

    /// Registered, read by kadis, forwarded to kabid1 (leading), kabid2
    /// (supporting) and sekretaris (copy), deadline 2025-01-10.
    fn forwarded() -> Self {
        let mut b = Self::new();
        b.ok("kadis-def", read(ROOT));
        b.ok("kadis-def", Event::Forward(kadis_forward()));
        b
    }
}

fn read(r: RecipientId) -> Event {
    Event::Read { recipient: r }
}

fn kadis_forward() -> Forward {
    Forward::new(ROOT)
        .to(p("kabid1"), Role::Leading)
        .to(p("kabid2"), Role::Supporting)
        .to(p("sekretaris"), Role::Copy)
        .instruction(Instruction::FollowUp)
        .instruction(Instruction::Coordinate)
        .note("Mohon hadir dan laporkan hasilnya")
        .deadline(day(10))
        .urgency(Urgency::Urgent)
}

#[test]
fn legal_flow_builds_the_tree() {
    let mut b = Book::forwarded();
    let tree = b.j.tree();
    assert_eq!(tree.recipients().len(), 4);
    assert_eq!(tree.dispositions().len(), 1);
    assert_eq!(b.status(ROOT), RecipientStatus::InProgress);
    assert_eq!(b.status(K1), RecipientStatus::Sent);
    let d = &tree.dispositions()[0];
    assert_eq!(d.by().as_str(), "kadis-def");
    assert!(d.instructions().contains(&Instruction::FollowUp));
    assert_eq!(tree.recipient(K1).unwrap().role(), Role::Leading);
    b.ok("kabid1", read(K1));
    b.ok("kabid1", Event::Start { recipient: K1 });
    b.ok(
        "kabid1",
        Event::Report(
            Report::new(K1, "Rapat sudah dihadiri")
                .attachment(Sha256Hash::digest(b"notulen"))
                .reply_letter("800/12/Diskominfo/2025"),
        ),
    );
    b.ok(
        "kabid1",
        Event::Complete {
            recipient: K1,
            note: None,
        },
    );
    assert_eq!(b.status(K1), RecipientStatus::Done);
    let r = b.j.tree().recipient(K1).unwrap();
    assert_eq!(r.reports().len(), 1);
    assert!(r.read_at().is_some() && r.started_at().is_some() && r.completed_at().is_some());
    b.ok(
        "kadis-def",
        Event::Close {
            note: Some("Selesai".into()),
        },
    );
    assert!(b.j.tree().closure().is_some());
    assert_eq!(b.status(ROOT), RecipientStatus::Done);
}

#[test]
fn forward_only_downward() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    // A sibling is not below.
    let e = b.rule(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("kabid2"), Role::Leading)),
    );
    assert!(matches!(e, DispositionError::NotBelow { .. }), "{e:?}");
    // Someone else's subordinate is not below either.
    let e = b.rule(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("staf2"), Role::Leading)),
    );
    assert!(matches!(e, DispositionError::NotBelow { .. }), "{e:?}");
    // Own subordinate is.
    b.ok(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("staf1"), Role::Leading)),
    );
}

#[test]
fn no_cycles() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    let e = b.rule(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("kadis"), Role::Leading)),
    );
    assert!(matches!(e, DispositionError::Cycle { .. }), "{e:?}");
    let e = b.rule(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("kabid1"), Role::Leading)),
    );
    assert!(matches!(e, DispositionError::Cycle { .. }), "{e:?}");
}

#[test]
fn only_a_reader_may_forward() {
    let mut b = Book::forwarded();
    let e = b.rule(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("staf1"), Role::Leading)),
    );
    assert_eq!(e, DispositionError::NotRead { recipient: K1 });
    let e = b.rule(
        "kabid1",
        Event::Complete {
            recipient: K1,
            note: None,
        },
    );
    assert_eq!(e, DispositionError::NotRead { recipient: K1 });
    b.ok("kabid1", read(K1));
    b.ok(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("staf1"), Role::Leading)),
    );
    assert_eq!(b.status(K1), RecipientStatus::InProgress);
}

#[test]
fn child_deadline_not_after_parent() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    let e = b.rule(
        "kabid1",
        Event::Forward(
            Forward::new(K1)
                .to(p("staf1"), Role::Leading)
                .deadline(day(11)),
        ),
    );
    assert_eq!(
        e,
        DispositionError::DeadlineAfterParent {
            deadline: day(11),
            parent: day(10)
        }
    );
    b.ok(
        "kabid1",
        Event::Forward(
            Forward::new(K1)
                .to(p("staf1"), Role::Leading)
                .deadline(day(10)),
        ),
    );
    // No deadline given: the parent's is inherited.
    b.ok(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("staf1"), Role::Supporting)),
    );
    let last = RecipientId::new(5);
    assert_eq!(b.j.tree().effective_deadline(last), Some(day(10)));
}

#[test]
fn at_most_one_leading() {
    let mut b = Book::new();
    b.ok("kadis-def", read(ROOT));
    let e = b.rule(
        "kadis-def",
        Event::Forward(
            Forward::new(ROOT)
                .to(p("kabid1"), Role::Leading)
                .to(p("kabid2"), Role::Leading),
        ),
    );
    assert_eq!(e, DispositionError::MultipleLeading { count: 2 });
    // None leading is fine.
    b.ok(
        "kadis-def",
        Event::Forward(Forward::new(ROOT).to(p("kabid1"), Role::Supporting)),
    );
}

#[test]
fn copies_are_read_only() {
    let mut b = Book::forwarded();
    b.ok("sekretaris", read(SEK));
    for ev in [
        Event::Start { recipient: SEK },
        Event::Forward(Forward::new(SEK).to(p("tu"), Role::Leading)),
        Event::Report(Report::new(SEK, "laporan")),
        Event::Complete {
            recipient: SEK,
            note: None,
        },
    ] {
        let e = b.rule("sekretaris", ev);
        assert_eq!(e, DispositionError::CopyIsReadOnly { recipient: SEK });
    }
    assert!(!b.j.tree().is_overdue(SEK, wib(20)));
}

#[test]
fn closed_branch_cannot_be_forwarded() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    b.ok(
        "kabid1",
        Event::Complete {
            recipient: K1,
            note: None,
        },
    );
    let e = b.rule(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("staf1"), Role::Leading)),
    );
    assert_eq!(
        e,
        DispositionError::BranchClosed {
            recipient: K1,
            status: RecipientStatus::Done
        }
    );
    b.ok("kabid2", read(K2));
    b.ok(
        "kadis-def",
        Event::Withdraw {
            recipient: K2,
            reason: None,
        },
    );
    let e = b.rule(
        "kabid2",
        Event::Forward(Forward::new(K2).to(p("staf2"), Role::Leading)),
    );
    assert!(matches!(
        e,
        DispositionError::BranchClosed {
            status: RecipientStatus::Withdrawn,
            ..
        }
    ));
    let e = b.rule("kabid2", Event::Report(Report::new(K2, "x")));
    assert!(matches!(e, DispositionError::BranchClosed { .. }));
}

#[test]
fn withdrawal_only_by_the_giver_and_cascades() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    b.ok(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("staf1"), Role::Leading)),
    );
    let staf = RecipientId::new(4);
    let e = b.rule(
        "kabid2",
        Event::Withdraw {
            recipient: K1,
            reason: None,
        },
    );
    assert!(matches!(e, DispositionError::NotGiver { .. }), "{e:?}");
    let e = b.rule(
        "staf1",
        Event::Withdraw {
            recipient: staf,
            reason: None,
        },
    );
    assert!(matches!(e, DispositionError::NotGiver { .. }), "{e:?}");
    let e = b.rule(
        "kadis-def",
        Event::Withdraw {
            recipient: ROOT,
            reason: None,
        },
    );
    assert!(matches!(e, DispositionError::NotGiver { .. }), "{e:?}");
    b.ok(
        "kadis-def",
        Event::Withdraw {
            recipient: K1,
            reason: Some("salah alamat".into()),
        },
    );
    assert_eq!(b.status(K1), RecipientStatus::Withdrawn);
    assert_eq!(b.status(staf), RecipientStatus::Withdrawn);
    let e = b.rule(
        "kadis-def",
        Event::Withdraw {
            recipient: K1,
            reason: None,
        },
    );
    assert!(matches!(e, DispositionError::InvalidTransition { .. }));
}

#[test]
fn reopen_only_by_the_giver_and_only_when_done() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    let e = b.rule(
        "kadis-def",
        Event::Reopen {
            recipient: K1,
            reason: None,
        },
    );
    assert!(matches!(
        e,
        DispositionError::InvalidTransition {
            action: "reopen",
            ..
        }
    ));
    b.ok(
        "kabid1",
        Event::Complete {
            recipient: K1,
            note: Some("beres".into()),
        },
    );
    let e = b.rule(
        "kabid1",
        Event::Reopen {
            recipient: K1,
            reason: None,
        },
    );
    assert!(matches!(e, DispositionError::NotGiver { .. }));
    b.ok(
        "kadis-def",
        Event::Reopen {
            recipient: K1,
            reason: Some("kurang lengkap".into()),
        },
    );
    assert_eq!(b.status(K1), RecipientStatus::InProgress);
    assert!(b.j.tree().recipient(K1).unwrap().reopened_at().is_some());
    b.ok(
        "kabid1",
        Event::Complete {
            recipient: K1,
            note: None,
        },
    );
}

#[test]
fn auto_close_is_a_policy() {
    for on in [false, true] {
        let mut b = Book::with(|r| r.auto_close(on));
        b.ok("kadis-def", read(ROOT));
        b.ok("kadis-def", Event::Forward(kadis_forward()));
        b.ok("kabid1", read(K1));
        b.ok(
            "kabid1",
            Event::Forward(Forward::new(K1).to(p("staf1"), Role::Leading)),
        );
        let staf = RecipientId::new(4);
        b.ok("staf1", read(staf));
        b.ok(
            "staf1",
            Event::Complete {
                recipient: staf,
                note: None,
            },
        );
        let want = if on {
            RecipientStatus::Done
        } else {
            RecipientStatus::InProgress
        };
        assert_eq!(b.status(K1), want);
        assert_eq!(b.status(ROOT), want, "cascades to the root");
        // Supporting recipients do not hold the parent open.
        assert_eq!(b.status(K2), RecipientStatus::Sent);
    }
}

#[test]
fn actor_must_hold_the_position_through_an_active_assignment() {
    let mut b = Book::forwarded();
    let e = b.rule("kabid2", read(K1));
    assert!(matches!(e, DispositionError::NotHolder { .. }));
    let e = b.rule("kadis-plh", Event::Close { note: None });
    assert!(
        matches!(e, DispositionError::AssignmentNotActive { .. }),
        "{e:?}"
    );
    let fx = Fixture::new();
    let mut j = Journal::new();
    let r = j.record(
        &fx.org,
        fx.key("tu-1"),
        &a("nobody"),
        t(0),
        Event::Register(fx.registration()),
    );
    assert!(matches!(
        r,
        Err(JournalError::Rule {
            source: DispositionError::UnknownAssignment { .. },
            ..
        })
    ));
    // The Plh acts for the Kepala Dinas on the day of the assignment.
    let key = b.fx.key("kadis-plh").clone();
    b.j.record(
        &b.fx.org,
        &key,
        &a("kadis-plh"),
        t(24 * 60),
        Event::Withdraw {
            recipient: K2,
            reason: None,
        },
    )
    .unwrap();
}

#[test]
fn time_is_ordered_and_whole_seconds() {
    let mut b = Book::new();
    let key = b.fx.key("kadis-def").clone();
    let r =
        b.j.record(&b.fx.org, &key, &a("kadis-def"), t(-5), read(ROOT));
    assert!(matches!(
        r,
        Err(JournalError::Rule {
            source: DispositionError::OutOfOrder { .. },
            ..
        })
    ));
    let r = b.j.record(
        &b.fx.org,
        &key,
        &a("kadis-def"),
        t(5) + chrono::Duration::milliseconds(1),
        read(ROOT),
    );
    assert!(matches!(
        r,
        Err(JournalError::Rule {
            source: DispositionError::SubsecondTime { .. },
            ..
        })
    ));
}

#[test]
fn registration_and_closing() {
    let fx = Fixture::new();
    let mut j = Journal::new();
    let r = j.record(
        &fx.org,
        fx.key("kadis-def"),
        &a("kadis-def"),
        t(0),
        read(ROOT),
    );
    assert!(matches!(
        r,
        Err(JournalError::Rule {
            source: DispositionError::NotRegistered,
            ..
        })
    ));
    let mut b = Book::new();
    let e = b.rule("tu-1", Event::Register(b.fx.registration()));
    assert_eq!(e, DispositionError::AlreadyRegistered);
    let e = b.rule("kadis-def", Event::Close { note: None });
    assert_eq!(e, DispositionError::NotRead { recipient: ROOT });
    b.ok("kadis-def", read(ROOT));
    b.ok("kadis-def", Event::Close { note: None });
    let e = b.rule("kadis-def", Event::Start { recipient: ROOT });
    assert_eq!(e, DispositionError::LetterClosed);
}

#[test]
fn malformed_requests() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    let e = b.rule("kabid1", Event::Forward(Forward::new(K1)));
    assert_eq!(e, DispositionError::NoRecipients);
    let e = b.rule(
        "kabid1",
        Event::Forward(
            Forward::new(K1)
                .to(p("staf1"), Role::Leading)
                .to(p("staf1"), Role::Copy),
        ),
    );
    assert!(matches!(e, DispositionError::DuplicateRecipient { .. }));
    let e = b.rule(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("nope"), Role::Leading)),
    );
    assert!(matches!(e, DispositionError::UnknownPosition { .. }));
    let e = b.rule("kabid1", read(RecipientId::new(99)));
    assert!(matches!(e, DispositionError::UnknownRecipient { .. }));
    let e = b.rule("kabid1", Event::Report(Report::new(K1, "")));
    assert!(matches!(
        e,
        DispositionError::InvalidText { field: "text", .. }
    ));
    let e = b.rule(
        "kabid1",
        Event::Forward(
            Forward::new(K1)
                .to(p("staf1"), Role::Leading)
                .instruction(Instruction::Custom(String::new())),
        ),
    );
    assert!(matches!(
        e,
        DispositionError::InvalidText {
            field: "custom",
            ..
        }
    ));
    let e = b.rule("kabid1", read(K1));
    assert!(matches!(
        e,
        DispositionError::InvalidTransition { action: "read", .. }
    ));
}

fn wib(day_of_month: u32) -> chrono::DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(2025, 1, day_of_month, 9, 0, 0)
        .unwrap()
}

#[test]
fn overdue_is_derived_at_a_given_time() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    b.ok("kabid2", read(K2));
    b.ok(
        "kabid2",
        Event::Complete {
            recipient: K2,
            note: None,
        },
    );
    let tree = b.j.tree();
    assert!(!tree.is_overdue(K1, wib(10)), "due on the day itself");
    assert!(tree.is_overdue(K1, wib(11)));
    assert!(!tree.is_overdue(K2, wib(11)), "done is never overdue");
    assert!(!tree.is_overdue(SEK, wib(11)), "copies owe nothing");
    assert!(!tree.is_overdue(ROOT, wib(11)), "the root has no deadline");
    assert_eq!(tree.overdue(wib(11)), vec![K1]);
}

#[test]
fn reopen_goes_top_down() {
    let mut b = Book::forwarded();
    b.ok("kabid1", read(K1));
    b.ok(
        "kabid1",
        Event::Forward(Forward::new(K1).to(p("staf1"), Role::Leading)),
    );
    let staf = RecipientId::new(4);
    b.ok("staf1", read(staf));
    b.ok(
        "staf1",
        Event::Complete {
            recipient: staf,
            note: None,
        },
    );
    b.ok(
        "kabid1",
        Event::Complete {
            recipient: K1,
            note: None,
        },
    );
    let e = b.rule(
        "kabid1",
        Event::Reopen {
            recipient: staf,
            reason: None,
        },
    );
    assert_eq!(
        e,
        DispositionError::BranchClosed {
            recipient: K1,
            status: RecipientStatus::Done
        }
    );
    b.ok(
        "kadis-def",
        Event::Reopen {
            recipient: K1,
            reason: None,
        },
    );
    b.ok(
        "kabid1",
        Event::Reopen {
            recipient: staf,
            reason: None,
        },
    );
    assert_eq!(b.status(staf), RecipientStatus::InProgress);
}
