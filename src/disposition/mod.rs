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
