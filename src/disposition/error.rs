//! Errors of the disposition model and of its journal.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{DispositionId, RecipientId, RecipientStatus};
use super::org::{AssignmentId, PositionId};

/// Pelanggaran aturan disposisi: an action or a piece of organisation data
/// that breaks a rule of the disposition model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DispositionError {
    /// An identifier is empty, too long or contains control characters.
    #[error("invalid {kind} identifier: {reason}")]
    InvalidId {
        /// Which kind of identifier ("position", "assignment").
        kind: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A text field is empty where text is required, or longer than allowed.
    #[error("text field {field} has {len} characters, allowed {min}..={max}")]
    InvalidText {
        /// Field name as in the journal encoding.
        field: &'static str,
        /// Its length in characters.
        len: usize,
        /// Minimum length.
        min: usize,
        /// Maximum length.
        max: usize,
    },
    /// A list is longer than allowed.
    #[error("list {field} has {len} items, allowed at most {max}")]
    TooMany {
        /// Field name as in the journal encoding.
        field: &'static str,
        /// Its length.
        len: usize,
        /// Maximum length.
        max: usize,
    },
    /// A position was added twice to the organisation.
    #[error("position {position} is already defined")]
    DuplicatePosition {
        /// The position.
        position: PositionId,
    },
    /// An assignment was added twice to the organisation.
    #[error("assignment {assignment} is already defined")]
    DuplicateAssignment {
        /// The assignment.
        assignment: AssignmentId,
    },
    /// An assignment ends before (or when) it starts.
    #[error("assignment {assignment} ends before it starts")]
    EmptyInterval {
        /// The assignment.
        assignment: AssignmentId,
    },
    /// The position is not part of the organisation.
    #[error("unknown position {position}")]
    UnknownPosition {
        /// The position.
        position: PositionId,
    },
    /// The acting assignment is not part of the organisation.
    #[error("unknown assignment {assignment}")]
    UnknownAssignment {
        /// The assignment.
        assignment: AssignmentId,
    },
    /// The acting assignment is not valid at the time of the action.
    #[error("assignment {assignment} is not active at {at}")]
    AssignmentNotActive {
        /// The assignment.
        assignment: AssignmentId,
        /// Time of the action.
        at: DateTime<Utc>,
    },
    /// The actor does not hold the position the action belongs to.
    #[error("assignment {assignment} does not hold position {position}")]
    NotHolder {
        /// The acting assignment.
        assignment: AssignmentId,
        /// The position the action requires.
        position: PositionId,
    },
    /// Times must be whole seconds (the journal encodes seconds only).
    #[error("time {at} has a fraction of a second")]
    SubsecondTime {
        /// The time.
        at: DateTime<Utc>,
    },
    /// Actions must be recorded in time order.
    #[error("action at {at} is earlier than the previous action at {previous}")]
    OutOfOrder {
        /// Time of this action.
        at: DateTime<Utc>,
        /// Time of the previous action.
        previous: DateTime<Utc>,
    },
    /// The first action must register the letter.
    #[error("the letter is not registered yet")]
    NotRegistered,
    /// The letter is registered only once.
    #[error("the letter is already registered")]
    AlreadyRegistered,
    /// The letter has been closed; no further action is possible.
    #[error("the letter is closed")]
    LetterClosed,
    /// No such recipient in the tree.
    #[error("unknown recipient {recipient}")]
    UnknownRecipient {
        /// The recipient.
        recipient: RecipientId,
    },
    /// No such disposition in the tree.
    #[error("unknown disposition {disposition}")]
    UnknownDisposition {
        /// The disposition.
        disposition: DispositionId,
    },
    /// Dispositions go downward only: the target is not below the giver.
    #[error("position {to} is not below {from}")]
    NotBelow {
        /// The giver's position.
        from: PositionId,
        /// The target position.
        to: PositionId,
    },
    /// Only a recipient who has read the disposition may act on it.
    #[error("recipient {recipient} has not read the disposition")]
    NotRead {
        /// The recipient.
        recipient: RecipientId,
    },
    /// The target already appears on the path from the root to the giver.
    #[error("position {position} already appears on this branch")]
    Cycle {
        /// The position.
        position: PositionId,
    },
    /// A child's deadline is later than the deadline it inherits.
    #[error("deadline {deadline} is after the parent deadline {parent}")]
    DeadlineAfterParent {
        /// The child's deadline.
        deadline: NaiveDate,
        /// The effective deadline of the parent branch.
        parent: NaiveDate,
    },
    /// At most one recipient of a disposition is leading (utama).
    #[error("{count} leading recipients, at most one allowed")]
    MultipleLeading {
        /// How many were marked leading.
        count: usize,
    },
    /// A disposition needs at least one recipient.
    #[error("a disposition needs at least one recipient")]
    NoRecipients,
    /// A position appears twice in one disposition.
    #[error("position {position} appears twice in one disposition")]
    DuplicateRecipient {
        /// The position.
        position: PositionId,
    },
    /// A copy (tembusan) recipient can only read.
    #[error("recipient {recipient} is a copy (tembusan) and may only read")]
    CopyIsReadOnly {
        /// The recipient.
        recipient: RecipientId,
    },
    /// A done or withdrawn branch cannot be forwarded or reported on.
    #[error("recipient {recipient} is {status}, the branch is closed")]
    BranchClosed {
        /// The recipient.
        recipient: RecipientId,
        /// Its status.
        status: RecipientStatus,
    },
    /// Only the giver of a disposition may withdraw or reopen it.
    #[error("assignment {assignment} did not give the disposition to recipient {recipient}")]
    NotGiver {
        /// The acting assignment.
        assignment: AssignmentId,
        /// The recipient.
        recipient: RecipientId,
    },
    /// The action is not allowed in the recipient's current status.
    #[error("cannot {action} recipient {recipient} in status {status}")]
    InvalidTransition {
        /// The recipient.
        recipient: RecipientId,
        /// Its status.
        status: RecipientStatus,
        /// The attempted action, as named in the journal.
        action: &'static str,
    },
}

/// Kesalahan jurnal: a journal cannot be recorded, read or verified.
///
/// Errors about an entry carry its zero-based `index`; errors found while
/// reading JSON lines carry the one-based `line` (entry index + 1).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// The action breaks a disposition rule.
    #[error("entry {index} breaks a disposition rule")]
    Rule {
        /// Index of the entry.
        index: usize,
        /// The rule.
        #[source]
        source: DispositionError,
    },
    /// The entry's `seq` is not its position in the journal.
    #[error("entry {index} has sequence number {found}")]
    SequenceMismatch {
        /// Index of the entry.
        index: usize,
        /// The `seq` it carries.
        found: u64,
    },
    /// The entry's `prev` is not the hash of the previous entry.
    #[error("entry {index} does not link to the previous entry")]
    BrokenLink {
        /// Index of the entry.
        index: usize,
    },
    /// The entry's key is not registered for its actor.
    #[error("entry {index} is signed with a key not registered for {actor}")]
    UnknownKey {
        /// Index of the entry.
        index: usize,
        /// The actor named in the entry.
        actor: AssignmentId,
    },
    /// The signature does not verify.
    #[error("entry {index} has a bad signature")]
    BadSignature {
        /// Index of the entry.
        index: usize,
    },
    /// A line is not valid UTF-8.
    #[error("line {line} is not valid utf-8")]
    NotUtf8 {
        /// One-based line number.
        line: usize,
    },
    /// A line is not a well-formed journal entry.
    #[error("line {line} is not a well-formed journal entry")]
    Malformed {
        /// One-based line number.
        line: usize,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// A line is an entry, but not in its canonical encoding.
    #[error("line {line} is not in canonical form")]
    NonCanonical {
        /// One-based line number.
        line: usize,
    },
    /// A line carries an encoding version this crate does not know.
    #[error("line {line} has unsupported version {version}")]
    UnsupportedVersion {
        /// One-based line number.
        line: usize,
        /// The version.
        version: u64,
    },
    /// A line carries no signature.
    #[error("line {line} has no signature")]
    MissingSignature {
        /// One-based line number.
        line: usize,
    },
    /// An empty line (only the final newline may be followed by nothing).
    #[error("line {line} is empty")]
    EmptyLine {
        /// One-based line number.
        line: usize,
    },
    /// The last line does not end with a newline.
    #[error("line {line} is not terminated by a newline")]
    Unterminated {
        /// One-based line number.
        line: usize,
    },
    /// A line is longer than the limit.
    #[error("line {line} has {len} bytes, limit {max}")]
    LineTooLong {
        /// One-based line number.
        line: usize,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The journal has more entries than the limit.
    #[error("journal has more than {max} entries")]
    TooManyEntries {
        /// The limit.
        max: usize,
    },
    /// Reading the journal failed.
    #[error("i/o error reading the journal")]
    Io {
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// An entry could not be encoded (a value outside the canonical subset).
    #[error("entry cannot be encoded canonically: {reason}")]
    Encoding {
        /// What could not be encoded.
        reason: &'static str,
    },
}

impl JournalError {
    /// The zero-based index of the entry this error is about, if any
    /// (for line errors, the line number minus one).
    pub fn entry_index(&self) -> Option<usize> {
        match self {
            Self::Rule { index, .. }
            | Self::SequenceMismatch { index, .. }
            | Self::BrokenLink { index }
            | Self::UnknownKey { index, .. }
            | Self::BadSignature { index } => Some(*index),
            Self::NotUtf8 { line }
            | Self::Malformed { line, .. }
            | Self::NonCanonical { line }
            | Self::UnsupportedVersion { line, .. }
            | Self::MissingSignature { line }
            | Self::EmptyLine { line }
            | Self::Unterminated { line }
            | Self::LineTooLong { line, .. } => line.checked_sub(1),
            Self::TooManyEntries { max } => Some(*max),
            Self::Encoding { .. } | Self::Io { .. } => None,
        }
    }
}
