//! Naskah dinas: the outgoing official letter, its parts and its lifecycle.
//!
//! A [`Letter`] holds the content of one version of a letter: its kind
//! ([`LetterKind`]), sifat ([`Security`]), urgensi ([`Urgency`]), archive
//! classification code, subject, attachments, addressees and copies, body and
//! signature block. It is validated when built and when deserialised.
//! [`lifecycle::OutgoingLetter`] moves a letter through review (paraf),
//! numbering and signing; [`number`] owns the numbering grammar and the
//! sequences; [`incoming`] registers received letters in the agenda.
//!
//! This module does no PDF and no cryptography beyond hashing the content it
//! asks officials to approve.

pub(crate) mod content;
pub mod incoming;
mod kind;
pub mod lifecycle;
pub mod number;
mod org;

use chrono::NaiveDate;

pub use content::{
    Addressee, Attachment, ClassificationCode, ContentHash, Delegation, Letter, LetterBuilder,
    SignatureBlock, SignatureMode,
};
pub use kind::{Category, LetterKind, Security, Urgency};
pub use number::NumberError;
pub use org::{Assignment, AssignmentKind, Nip, Person, Position, SigningPolicy};

/// Errors from building letters, organisation data and lifecycle transitions.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LetterError {
    /// A required text field was empty or blank.
    #[error("{field} must not be empty")]
    Empty {
        /// Which field.
        field: &'static str,
    },
    /// A value was not one of the known names.
    #[error("unknown {what}: {value:?}")]
    Unknown {
        /// What was being parsed.
        what: &'static str,
        /// The value given.
        value: String,
    },
    /// An NIP is malformed.
    #[error("invalid nip {value:?}: {reason}")]
    InvalidNip {
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A kode klasifikasi arsip is malformed.
    #[error("invalid classification code {code:?}")]
    InvalidClassificationCode {
        /// The value given.
        code: String,
    },
    /// An assignment period ends before it starts.
    #[error("assignment period ends ({until}) on or before it starts ({from})")]
    InvalidPeriod {
        /// Start.
        from: NaiveDate,
        /// End.
        until: NaiveDate,
    },
    /// An action was taken under an assignment for another position.
    #[error("action requires position {expected:?}, actor holds {actual:?}")]
    WrongPosition {
        /// Position required.
        expected: String,
        /// Position of the actor's assignment.
        actual: String,
    },
    /// The actor's assignment is not in force on the date of the action.
    #[error("assignment for position {position:?} is not in force on {on}")]
    AssignmentNotActive {
        /// The position.
        position: String,
        /// Date of the action.
        on: NaiveDate,
    },
    /// A Plt./Plh. tried to sign a strategic document.
    #[error("a {assignment} official may not sign a strategic document ({kind})")]
    MandateMayNotSignStrategic {
        /// The mandate kind.
        assignment: AssignmentKind,
        /// The letter kind.
        kind: String,
    },
    /// More hierarchical reviewers than allowed.
    #[error("at most {max} hierarchical reviewers allowed, got {got}")]
    TooManyReviewers {
        /// The limit.
        max: usize,
        /// Number given.
        got: usize,
    },
    /// Hierarchical reviewers must go from junior to senior.
    #[error("reviewer at step {step} is not more senior than the previous one")]
    ReviewOutOfRankOrder {
        /// Index of the offending step.
        step: usize,
    },
    /// The same position appears twice in the review plan or as signer.
    #[error("position {position:?} appears more than once in the review plan")]
    DuplicateReviewer {
        /// The position id.
        position: String,
    },
    /// The transition is not allowed from the current status.
    #[error("cannot {event} a letter that is {from}")]
    IllegalTransition {
        /// Status before.
        from: lifecycle::Status,
        /// The attempted event.
        event: &'static str,
    },
    /// Returning a letter requires a correction note.
    #[error("returning a letter for correction requires a note")]
    NoteRequired,
    /// The letter has no addressee.
    #[error("a letter needs at least one addressee")]
    MissingAddressee,
    /// The letter has no archive classification code.
    #[error("a letter needs an archive classification code before review")]
    MissingClassification,
    /// The letter has no body.
    #[error("a letter needs at least one body paragraph")]
    MissingBody,
    /// The signer's assignment kind does not fit the delegation marker
    /// (e.g. a Plt. signing without the `Plt.` marker).
    #[error("a {assignment} assignment does not fit the signature block's delegation marker")]
    DelegationMismatch {
        /// The signer's assignment kind.
        assignment: AssignmentKind,
    },
    /// The signer position is different from the one the letter was drafted for.
    #[error("signer does not match the signature block: {reason}")]
    SignerMismatch {
        /// What differs.
        reason: &'static str,
    },
    /// The letter date is not the signing day (no back- or forward-dating).
    #[error("letter date {date} is not the signing day of {at}")]
    DateNotSigningDay {
        /// The date requested for the letter.
        date: NaiveDate,
        /// When signing is prepared.
        at: chrono::DateTime<chrono::Utc>,
    },
    /// A stored record is internally inconsistent (seen when deserialising).
    #[error("inconsistent letter record: {reason}")]
    Inconsistent {
        /// What is inconsistent.
        reason: &'static str,
    },
    /// Numbering failed.
    #[error(transparent)]
    Number(#[from] NumberError),
}
