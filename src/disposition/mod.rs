//! Disposisi: disposition chains for incoming letters, with a verifiable,
//! tamper-evident journal.
//!
//! An incoming letter (*surat masuk*) is registered with its agenda number
//! and the SHA-256 of the received file; it is addressed to a position, the
//! root of a [`DispositionTree`]. The holder of a position forwards it
//! downward (*mendisposisikan*) with [`Instruction`]s, a note, a deadline
//! and an urgency; recipients read, work, forward further, report back
//! (*laporan tindak lanjut*) and finish; the giver may withdraw or reopen;
//! the addressee closes the letter.
//!
//! Every action is an [`Event`] recorded in a [`Journal`]: signed by the
//! actor's Ed25519 key, chained by SHA-256, exportable as JSON lines. The
//! tree is the fold of the journal, and [`verify`] replays an imported
//! journal and names the first entry that breaks a link, a signature or a
//! rule. The encoding is specified in the [`journal`] module docs.
//!
//! Rules (each a [`DispositionError`] variant):
//!
//! - forward only downward in the [`Org`] hierarchy ([`DispositionError::NotBelow`]),
//!   never to a position already on the branch ([`DispositionError::Cycle`]);
//! - only a recipient who has read it may forward, report or finish
//!   ([`DispositionError::NotRead`]); never from a done or withdrawn branch
//!   ([`DispositionError::BranchClosed`]);
//! - a child's deadline is not after the deadline it inherits
//!   ([`DispositionError::DeadlineAfterParent`]);
//! - at most one leading (*utama*) recipient per disposition
//!   ([`DispositionError::MultipleLeading`]);
//! - copy (*tembusan*) recipients may only read ([`DispositionError::CopyIsReadOnly`]);
//! - withdrawal and reopening only by a holder of the giving position
//!   ([`DispositionError::NotGiver`]); withdrawal takes the open branch
//!   below with it, reopening goes top-down (the giver's branch must be open);
//! - every actor acts through an assignment active at the time, holding the
//!   position the action belongs to.
//!
//! ```
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use ed25519_dalek::SigningKey;
//! use surat::disposition::*;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let kadis = PositionId::new("kadis")?;
//! let kabid = PositionId::new("kabid")?;
//! let mut org = Org::new();
//! org.add_position(kadis.clone(), "Kepala Dinas", None)?;
//! org.add_position(kabid.clone(), "Kepala Bidang", Some(&kadis))?;
//! let since = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
//! let budi = AssignmentId::new("asg-budi")?;
//! let agus = AssignmentId::new("asg-agus")?;
//! org.add_assignment(Assignment::new(budi.clone(), kadis.clone(), AssignmentKind::Definitive, "Budi", since))?;
//! org.add_assignment(Assignment::new(agus.clone(), kabid.clone(), AssignmentKind::Acting, "Agus", since))?;
//! let (kb, ka) = (SigningKey::from_bytes(&[1; 32]), SigningKey::from_bytes(&[2; 32]));
//! let mut keys = KeyRing::new();
//! keys.add(budi.clone(), kb.verifying_key());
//! keys.add(agus.clone(), ka.verifying_key());
//!
//! let at = |m| Utc.with_ymd_and_hms(2025, 1, 6, 8, m, 0).unwrap();
//! let mut journal = Journal::new();
//! let letter = Registration::new("SM/0001/2025", Sha256Hash::digest(b"%PDF-..."), kadis.clone());
//! journal.record(&org, &kb, &budi, at(0), Event::Register(letter))?;
//! journal.record(&org, &kb, &budi, at(1), Event::Read { recipient: RecipientId::ROOT })?;
//! let forward = Forward::new(RecipientId::ROOT)
//!     .to(kabid.clone(), Role::Leading)
//!     .instruction(Instruction::FollowUp)
//!     .deadline(NaiveDate::from_ymd_opt(2025, 1, 10).unwrap());
//! journal.record(&org, &kb, &budi, at(2), Event::Forward(forward))?;
//!
//! // The Plt. Kepala Bidang reads it; sending it back up is refused and
//! // leaves no trace in the journal.
//! journal.record(&org, &ka, &agus, at(3), Event::Read { recipient: RecipientId::new(1) })?;
//! let up = Forward::new(RecipientId::new(1)).to(kadis, Role::Leading);
//! let refused = journal.record(&org, &ka, &agus, at(4), Event::Forward(up));
//! assert!(matches!(
//!     refused,
//!     Err(JournalError::Rule { index: 4, source: DispositionError::Cycle { .. } })
//! ));
//! assert_eq!(journal.entries().len(), 4);
//!
//! let lines = journal.to_json_lines();
//! let verified = verify(&parse_json_lines(&lines, Limits::default())?, &org, &keys)?;
//! assert_eq!(verified.tree(), journal.tree());
//! # Ok(()) }
//! ```
//!
//! Optionally ([`Registration::auto_close`]) a recipient is marked done when
//! all its leading children are done. Overdue (*terlambat*) is derived, never
//! stored: [`DispositionTree::is_overdue`].

mod canonical;
mod digest;
mod error;
mod instruction;
pub mod journal;
mod model;
mod org;

pub use canonical::{CanonicalError, MAX_SAFE_INTEGER, to_canonical};
pub use digest::{HexError, Sha256Hash};
pub use error::{DispositionError, JournalError};
pub use instruction::{Instruction, Security, Urgency};
pub use journal::{
    Entry, Journal, KeyRing, Limits, UnverifiedJournal, parse_json_lines, read_json_lines, verify,
};
pub use model::{
    Closure, Disposition, DispositionId, DispositionTree, Event, Forward, IncomingLetter,
    MAX_ATTACHMENTS, MAX_INSTRUCTIONS, MAX_SHORT_CHARS, MAX_TARGETS, MAX_TEXT_CHARS, Recipient,
    RecipientId, RecipientStatus, Registration, Report, ReportRecord, Role, Target,
};
pub use org::{Assignment, AssignmentId, AssignmentKind, MAX_ID_BYTES, Org, Position, PositionId};
