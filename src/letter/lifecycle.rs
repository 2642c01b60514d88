//! Siklus naskah keluar: review (paraf), numbering, signing, sending,
//! archiving, cancelling and withdrawing an outgoing letter.
//!
//! The state machine follows DOMAIN.md §5 ("Naskah keluar"):
//!
//! | from | event | to |
//! |---|---|---|
//! | Draft | [`submit`](OutgoingLetter::submit) | InReview(0) (ReadyToSign without reviewers) |
//! | InReview(k) | [`approve`](OutgoingLetter::approve) | InReview(k+1) or ReadyToSign |
//! | InReview / ReadyToSign | [`return_for_correction`](OutgoingLetter::return_for_correction) | Returned |
//! | Returned | [`resubmit`](OutgoingLetter::resubmit) | InReview(0), new version, approvals cleared |
//! | ReadyToSign | [`reserve_number`](OutgoingLetter::reserve_number) | ReadyToSign, number reserved |
//! | ReadyToSign | [`signing_failed`](OutgoingLetter::signing_failed) | ReadyToSign, number voided |
//! | ReadyToSign | [`mark_signed`](OutgoingLetter::mark_signed) | Signed, number committed |
//! | Signed | [`send`](OutgoingLetter::send) | Sent |
//! | Sent | [`archive`](OutgoingLetter::archive) | Archived |
//! | Draft … ReadyToSign | [`cancel`](OutgoingLetter::cancel) | Cancelled, number voided |
//! | Signed / Sent | [`withdraw`](OutgoingLetter::withdraw) | Withdrawn (needs a correcting letter) |
//!
//! Every approval records the SHA-256 of the exact version approved
//! ([`Letter::content_hash`]); a new version clears all approvals. Time is
//! always passed in.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::number::{NumberFields, NumberScheme, Reservation, ReservationState, Sequence};
use super::{Assignment, ContentHash, Letter, LetterError, Position, SigningPolicy};

/// Maximum number of hierarchical paraf (Permendagri 54/2009 Lampiran C practice).
pub const MAX_HIERARCHY_REVIEWERS: usize = 3;

/// Status naskah keluar: where an outgoing letter is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Konsep: being drafted.
    Draft,
    /// Dalam review: waiting for the paraf at `step` (0-based).
    InReview {
        /// Index of the pending review step.
        step: usize,
    },
    /// Perlu perbaikan: returned for correction.
    Returned,
    /// Siap tanda tangan: all paraf given.
    ReadyToSign,
    /// Ditandatangani.
    Signed,
    /// Terkirim.
    Sent,
    /// Diarsipkan.
    Archived,
    /// Dibatalkan.
    Cancelled,
    /// Ditarik (through a correcting letter).
    Withdrawn,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Draft => f.write_str("draft"),
            Status::InReview { step } => write!(f, "in review (step {})", step + 1),
            Status::Returned => f.write_str("returned for correction"),
            Status::ReadyToSign => f.write_str("ready to sign"),
            Status::Signed => f.write_str("signed"),
            Status::Sent => f.write_str("sent"),
            Status::Archived => f.write_str("archived"),
            Status::Cancelled => f.write_str("cancelled"),
            Status::Withdrawn => f.write_str("withdrawn"),
        }
    }
}

/// Jenis paraf: hierarchical (up the chain of command) or coordination (by
/// another unit concerned with the content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReviewKind {
    /// Paraf hierarki.
    Hierarchy,
    /// Paraf koordinasi.
    Coordination,
}

/// Paraf: an approval of one version by one official.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    by: Assignment,
    version: u32,
    content_hash: ContentHash,
    at: DateTime<Utc>,
}

impl Approval {
    /// The assignment under which the paraf was given.
    pub fn by(&self) -> &Assignment {
        &self.by
    }
    /// The version number approved.
    pub fn version(&self) -> u32 {
        self.version
    }
    /// SHA-256 of the content approved.
    pub fn content_hash(&self) -> ContentHash {
        self.content_hash
    }
    /// When.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
}

/// Langkah review: one paraf step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStep {
    position: Position,
    kind: ReviewKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    approval: Option<Approval>,
}

impl ReviewStep {
    /// A hierarchical paraf by `position`.
    pub fn hierarchy(position: Position) -> Self {
        ReviewStep {
            position,
            kind: ReviewKind::Hierarchy,
            approval: None,
        }
    }
    /// A coordination paraf by `position`.
    pub fn coordination(position: Position) -> Self {
        ReviewStep {
            position,
            kind: ReviewKind::Coordination,
            approval: None,
        }
    }
    /// The reviewing position.
    pub fn position(&self) -> &Position {
        &self.position
    }
    /// Hierarchy or coordination.
    pub fn kind(&self) -> ReviewKind {
        self.kind
    }
    /// The paraf, once given.
    pub fn approval(&self) -> Option<&Approval> {
        self.approval.as_ref()
    }
}

/// Versi naskah: one version of the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    number: u32,
    content_hash: ContentHash,
    author: Assignment,
    created_at: DateTime<Utc>,
    letter: Letter,
}

impl Version {
    /// Version number, from 1.
    pub fn number(&self) -> u32 {
        self.number
    }
    /// SHA-256 of the content.
    pub fn content_hash(&self) -> ContentHash {
        self.content_hash
    }
    /// Who made it.
    pub fn author(&self) -> &Assignment {
        &self.author
    }
    /// When.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    /// The content.
    pub fn letter(&self) -> &Letter {
        &self.letter
    }
}

/// Nomor naskah as held by a letter: the rendered number, its date and its
/// reservation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedNumber {
    number: String,
    date: NaiveDate,
    reservation: Reservation,
    state: ReservationState,
}

impl AssignedNumber {
    /// The rendered number.
    pub fn number(&self) -> &str {
        &self.number
    }
    /// Tanggal naskah.
    pub fn date(&self) -> NaiveDate {
        self.date
    }
    /// The reservation in the sequence.
    pub fn reservation(&self) -> &Reservation {
        &self.reservation
    }
    /// Reserved, committed or voided.
    pub fn state(&self) -> &ReservationState {
        &self.state
    }
}

/// Riwayat: one entry of a letter's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum HistoryEntry {
    /// Drafted or revised (new version).
    Versioned {
        /// Version number.
        version: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// Submitted for review.
    Submitted {
        /// When.
        at: DateTime<Utc>,
    },
    /// A paraf was given.
    Approved {
        /// Step index.
        step: usize,
        /// Position id.
        position: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// Returned for correction.
    Returned {
        /// Position id of who returned it.
        by: String,
        /// The correction note.
        note: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A number was reserved.
    NumberReserved {
        /// The number.
        number: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A number was voided.
    NumberVoided {
        /// The number.
        number: String,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// Signed.
    Signed {
        /// SHA-256 of the signed document.
        document_sha256: ContentHash,
        /// When.
        at: DateTime<Utc>,
    },
    /// Sent.
    Sent {
        /// When.
        at: DateTime<Utc>,
    },
    /// Archived.
    Archived {
        /// When.
        at: DateTime<Utc>,
    },
    /// Cancelled.
    Cancelled {
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// Withdrawn by a correcting letter.
    Withdrawn {
        /// Number of the correcting letter.
        correcting_number: String,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
}

/// Naskah keluar: an outgoing letter with its versions, review and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "OutgoingRepr")]
pub struct OutgoingLetter {
    status: Status,
    versions: Vec<Version>,
    review: Vec<ReviewStep>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    number: Option<AssignedNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signer: Option<Assignment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    document_sha256: Option<ContentHash>,
    history: Vec<HistoryEntry>,
}

#[derive(Deserialize)]
struct OutgoingRepr {
    status: Status,
    versions: Vec<Version>,
    review: Vec<ReviewStep>,
    #[serde(default)]
    number: Option<AssignedNumber>,
    #[serde(default)]
    signer: Option<Assignment>,
    #[serde(default)]
    document_sha256: Option<ContentHash>,
    #[serde(default)]
    history: Vec<HistoryEntry>,
}

impl TryFrom<OutgoingRepr> for OutgoingLetter {
    type Error = LetterError;
    fn try_from(r: OutgoingRepr) -> Result<Self, Self::Error> {
        let l = OutgoingLetter {
            status: r.status,
            versions: r.versions,
            review: r.review,
            number: r.number,
            signer: r.signer,
            document_sha256: r.document_sha256,
            history: r.history,
        };
        l.check()?;
        Ok(l)
    }
}

fn check_plan(review: &[ReviewStep], signer: &Position) -> Result<(), LetterError> {
    let hierarchy: Vec<(usize, &ReviewStep)> = review
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == ReviewKind::Hierarchy)
        .collect();
    if hierarchy.len() > MAX_HIERARCHY_REVIEWERS {
        return Err(LetterError::TooManyReviewers {
            max: MAX_HIERARCHY_REVIEWERS,
            got: hierarchy.len(),
        });
    }
    for pair in hierarchy.windows(2) {
        if let [(_, a), (i, b)] = pair
            && b.position.level() >= a.position.level()
        {
            return Err(LetterError::ReviewOutOfRankOrder { step: *i });
        }
    }
    for (i, s) in review.iter().enumerate() {
        if &s.position == signer || review.iter().skip(i + 1).any(|t| t.position == s.position) {
            return Err(LetterError::DuplicateReviewer {
                position: s.position.id().to_owned(),
            });
        }
    }
    Ok(())
}

impl OutgoingLetter {
    /// Starts a draft (konsep) of `letter` by `author`, with the review plan
    /// `review` (hierarchical paraf junior to senior, at most three, plus any
    /// coordination paraf; the signer does not review their own letter).
    pub fn draft(
        letter: Letter,
        author: Assignment,
        review: Vec<ReviewStep>,
        at: DateTime<Utc>,
    ) -> Result<Self, LetterError> {
        let review: Vec<ReviewStep> = review
            .into_iter()
            .map(|s| ReviewStep {
                approval: None,
                ..s
            })
            .collect();
        check_plan(&review, letter.signature().position())?;
        let version = Version {
            number: 1,
            content_hash: letter.content_hash(),
            author,
            created_at: at,
            letter,
        };
        Ok(OutgoingLetter {
            status: Status::Draft,
            versions: vec![version],
            review,
            number: None,
            signer: None,
            document_sha256: None,
            history: vec![HistoryEntry::Versioned { version: 1, at }],
        })
    }

    /// Current status.
    pub fn status(&self) -> Status {
        self.status
    }
    /// All versions, oldest first.
    pub fn versions(&self) -> &[Version] {
        &self.versions
    }
    /// The current version.
    pub fn current(&self) -> &Version {
        // `versions` is never empty: checked at construction and deserialisation.
        let last = self.versions.len().saturating_sub(1);
        &self.versions[last]
    }
    /// The current letter content; once a number is reserved, with number,
    /// date and signer filled in.
    pub fn letter(&self) -> Letter {
        let l = self.current().letter.clone();
        let l = match &self.signer {
            Some(s) => l.with_signer(s.person().clone()),
            None => l,
        };
        match &self.number {
            Some(n) if !matches!(n.state, ReservationState::Voided { .. }) => {
                l.clone().with_number(n.number.clone(), n.date).unwrap_or(l)
            }
            _ => l,
        }
    }
    /// The review steps.
    pub fn review(&self) -> &[ReviewStep] {
        &self.review
    }
    /// The number, if reserved or committed.
    pub fn number(&self) -> Option<&AssignedNumber> {
        self.number.as_ref()
    }
    /// The assignment that signed or is about to sign.
    pub fn signer(&self) -> Option<&Assignment> {
        self.signer.as_ref()
    }
    /// SHA-256 of the signed document, once signed.
    pub fn document_sha256(&self) -> Option<ContentHash> {
        self.document_sha256
    }
    /// History, oldest first.
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    fn illegal(&self, event: &'static str) -> LetterError {
        LetterError::IllegalTransition {
            from: self.status,
            event,
        }
    }

    fn push_version(&mut self, letter: Letter, author: Assignment, at: DateTime<Utc>) {
        let number = self.current().number + 1;
        self.versions.push(Version {
            number,
            content_hash: letter.content_hash(),
            author,
            created_at: at,
            letter,
        });
        for s in &mut self.review {
            s.approval = None;
        }
        self.history.push(HistoryEntry::Versioned {
            version: number,
            at,
        });
    }

    fn check_same_signer(&self, letter: &Letter) -> Result<(), LetterError> {
        if letter.signature().position() != self.current().letter.signature().position() {
            return Err(LetterError::SignerMismatch {
                reason: "a new version may not change the signing position",
            });
        }
        Ok(())
    }

    /// Saves a new version of a draft (still in Draft).
    pub fn revise(
        &mut self,
        letter: Letter,
        author: Assignment,
        at: DateTime<Utc>,
    ) -> Result<(), LetterError> {
        if self.status != Status::Draft {
            return Err(self.illegal("revise"));
        }
        self.check_same_signer(&letter)?;
        self.push_version(letter, author, at);
        Ok(())
    }

    fn after_review_start(&self) -> Status {
        if self.review.is_empty() {
            Status::ReadyToSign
        } else {
            Status::InReview { step: 0 }
        }
    }

    /// Ajukan: submits the draft for review. Needs an addressee, a
    /// classification code and a body.
    pub fn submit(&mut self, at: DateTime<Utc>) -> Result<(), LetterError> {
        if self.status != Status::Draft {
            return Err(self.illegal("submit"));
        }
        self.current().letter.check_complete()?;
        self.status = self.after_review_start();
        self.history.push(HistoryEntry::Submitted { at });
        Ok(())
    }

    /// Setuju (paraf): the holder of the pending step's position approves the
    /// current version.
    pub fn approve(&mut self, actor: &Assignment, at: DateTime<Utc>) -> Result<(), LetterError> {
        let Status::InReview { step } = self.status else {
            return Err(self.illegal("approve"));
        };
        let (version, hash) = (self.current().number, self.current().content_hash);
        let n = self.review.len();
        let Some(s) = self.review.get_mut(step) else {
            return Err(LetterError::Inconsistent {
                reason: "review step out of range",
            });
        };
        actor.check_acts_for(&s.position, at.date_naive())?;
        s.approval = Some(Approval {
            by: actor.clone(),
            version,
            content_hash: hash,
            at,
        });
        self.history.push(HistoryEntry::Approved {
            step,
            position: s.position.id().to_owned(),
            at,
        });
        self.status = if step + 1 < n {
            Status::InReview { step: step + 1 }
        } else {
            Status::ReadyToSign
        };
        Ok(())
    }

    /// Kembalikan: returns the letter for correction with a required note, by
    /// the pending reviewer or (when ready to sign) by the signer.
    pub fn return_for_correction(
        &mut self,
        actor: &Assignment,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<(), LetterError> {
        let position = match self.status {
            Status::InReview { step } => self.review.get(step).map(|s| s.position.clone()).ok_or(
                LetterError::Inconsistent {
                    reason: "review step out of range",
                },
            )?,
            Status::ReadyToSign => {
                if self.number.is_some() {
                    return Err(self.illegal("return (void the reserved number first)"));
                }
                self.current().letter.signature().position().clone()
            }
            _ => return Err(self.illegal("return")),
        };
        if note.trim().is_empty() {
            return Err(LetterError::NoteRequired);
        }
        actor.check_acts_for(&position, at.date_naive())?;
        self.status = Status::Returned;
        self.history.push(HistoryEntry::Returned {
            by: position.id().to_owned(),
            note: note.trim().to_owned(),
            at,
        });
        Ok(())
    }

    /// Ajukan ulang: a corrected version goes back to the first reviewer; all
    /// approvals are cleared.
    pub fn resubmit(
        &mut self,
        letter: Letter,
        author: Assignment,
        at: DateTime<Utc>,
    ) -> Result<(), LetterError> {
        if self.status != Status::Returned {
            return Err(self.illegal("resubmit"));
        }
        self.check_same_signer(&letter)?;
        letter.check_complete()?;
        self.push_version(letter, author, at);
        self.status = self.after_review_start();
        self.history.push(HistoryEntry::Submitted { at });
        Ok(())
    }

    /// Reserves the letter number for signing on `date` by `signer`, after
    /// checking the signer's authority (position, period, Plt/Plh vs strategic
    /// documents) and that every paraf binds to the current version. Returns
    /// the letter with number, date and signer, ready to render.
    ///
    /// `date` is the tanggal naskah in the signer's local calendar and must be
    /// the signing day: no back-dating. As `at` is UTC and Indonesia spans
    /// UTC+7 to UTC+9, `date` may be the UTC date of `at` or the day after.
    #[allow(clippy::too_many_arguments)]
    pub fn reserve_number(
        &mut self,
        sequence: &mut dyn Sequence,
        scheme: &NumberScheme,
        signer: &Assignment,
        policy: &SigningPolicy,
        date: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<Letter, LetterError> {
        if self.status != Status::ReadyToSign || self.number.is_some() {
            return Err(self.illegal("reserve a number for"));
        }
        let utc_day = at.date_naive();
        if date != utc_day && Some(date) != utc_day.succ_opt() {
            return Err(LetterError::DateNotSigningDay { date, at });
        }
        let letter = &self.current().letter;
        let block = letter.signature();
        block.check_assignment_kind(signer.kind())?;
        policy.authorise(signer, block.signing_position(), letter.kind(), date)?;
        if let Some(expected) = block.signer()
            && expected.name() != signer.person().name()
        {
            return Err(LetterError::SignerMismatch {
                reason: "signer is not the person named in the signature block",
            });
        }
        self.check_approvals()?;
        let position = block.position();
        let fields = NumberFields {
            security: Some(letter.security()),
            sequence: None,
            classification: letter.classification().map(|c| c.as_str().to_owned()),
            unit_code: scheme
                .unit_code()
                .or(position.unit_code())
                .map(str::to_owned),
            position_code: position.code().map(str::to_owned),
            kind_code: Some(letter.kind().code().to_owned()),
            month: Some(chrono::Datelike::month(&date)),
            year: Some(chrono::Datelike::year(&date)),
        };
        // Check the format can be rendered before consuming a number.
        scheme.format().render(&NumberFields {
            sequence: Some(1),
            ..fields.clone()
        })?;
        let reservation = sequence.reserve(&scheme.key(chrono::Datelike::year(&date)))?;
        let number = match scheme.format().render(&NumberFields {
            sequence: Some(reservation.value()),
            ..fields
        }) {
            Ok(n) => n,
            Err(e) => {
                // Never leave an orphan reservation behind.
                sequence.void(&reservation, "number could not be rendered")?;
                return Err(e.into());
            }
        };
        self.number = Some(AssignedNumber {
            number: number.clone(),
            date,
            reservation,
            state: ReservationState::Reserved,
        });
        self.signer = Some(signer.clone());
        self.history
            .push(HistoryEntry::NumberReserved { number, at });
        Ok(self.letter())
    }

    fn void_number(
        &mut self,
        sequence: &mut dyn Sequence,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), LetterError> {
        if let Some(n) = &self.number
            && n.state == ReservationState::Reserved
        {
            sequence.void(&n.reservation, reason)?;
            self.history.push(HistoryEntry::NumberVoided {
                number: n.number.clone(),
                reason: reason.to_owned(),
                at,
            });
            self.number = None;
            self.signer = None;
        }
        Ok(())
    }

    /// TTD gagal: signing failed; the reserved number is voided (never reused)
    /// and the letter stays ready to sign.
    pub fn signing_failed(
        &mut self,
        sequence: &mut dyn Sequence,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), LetterError> {
        if self.status != Status::ReadyToSign || self.number.is_none() {
            return Err(self.illegal("fail signing of"));
        }
        self.void_number(sequence, reason, at)
    }

    /// Tandatangani: records a successful signature over the document whose
    /// SHA-256 is `document_sha256`, and commits the number.
    pub fn mark_signed(
        &mut self,
        sequence: &mut dyn Sequence,
        document_sha256: [u8; 32],
        at: DateTime<Utc>,
    ) -> Result<(), LetterError> {
        if self.status != Status::ReadyToSign {
            return Err(self.illegal("sign"));
        }
        let Some(n) = &mut self.number else {
            return Err(self.illegal("sign (no number reserved)"));
        };
        sequence.commit(&n.reservation)?;
        n.state = ReservationState::Committed;
        self.document_sha256 = Some(ContentHash(document_sha256));
        self.status = Status::Signed;
        self.history.push(HistoryEntry::Signed {
            document_sha256: ContentHash(document_sha256),
            at,
        });
        Ok(())
    }

    /// Kirim: the signed letter was sent.
    pub fn send(&mut self, at: DateTime<Utc>) -> Result<(), LetterError> {
        if self.status != Status::Signed {
            return Err(self.illegal("send"));
        }
        self.status = Status::Sent;
        self.history.push(HistoryEntry::Sent { at });
        Ok(())
    }

    /// Arsipkan.
    pub fn archive(&mut self, at: DateTime<Utc>) -> Result<(), LetterError> {
        if self.status != Status::Sent {
            return Err(self.illegal("archive"));
        }
        self.status = Status::Archived;
        self.history.push(HistoryEntry::Archived { at });
        Ok(())
    }

    /// Batalkan: cancels an unsigned letter; a reserved number is voided.
    pub fn cancel(
        &mut self,
        sequence: &mut dyn Sequence,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), LetterError> {
        if !matches!(
            self.status,
            Status::Draft | Status::InReview { .. } | Status::Returned | Status::ReadyToSign
        ) {
            return Err(self.illegal("cancel"));
        }
        if reason.trim().is_empty() {
            return Err(LetterError::NoteRequired);
        }
        self.void_number(sequence, reason, at)?;
        self.status = Status::Cancelled;
        self.history.push(HistoryEntry::Cancelled {
            reason: reason.trim().to_owned(),
            at,
        });
        Ok(())
    }

    /// Tarik: withdraws a signed letter; only through a correcting letter,
    /// whose number is recorded.
    pub fn withdraw(
        &mut self,
        correcting_number: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), LetterError> {
        if !matches!(self.status, Status::Signed | Status::Sent) {
            return Err(self.illegal("withdraw"));
        }
        if correcting_number.trim().is_empty() {
            return Err(LetterError::Empty {
                field: "correcting letter number",
            });
        }
        if reason.trim().is_empty() {
            return Err(LetterError::NoteRequired);
        }
        self.status = Status::Withdrawn;
        self.history.push(HistoryEntry::Withdrawn {
            correcting_number: correcting_number.trim().to_owned(),
            reason: reason.trim().to_owned(),
            at,
        });
        Ok(())
    }

    fn check_approvals(&self) -> Result<(), LetterError> {
        let hash = self.current().content_hash;
        if self
            .review
            .iter()
            .any(|s| s.approval.as_ref().is_some_and(|a| a.content_hash != hash))
        {
            return Err(LetterError::Inconsistent {
                reason: "an approval binds to another version",
            });
        }
        Ok(())
    }

    /// Re-checks every invariant; used after deserialising.
    fn check(&self) -> Result<(), LetterError> {
        let bad = |reason| Err(LetterError::Inconsistent { reason });
        let Some(first) = self.versions.first() else {
            return bad("no versions");
        };
        for (i, v) in self.versions.iter().enumerate() {
            if v.number as usize != i + 1 {
                return bad("version numbers are not 1, 2, 3, …");
            }
            if v.content_hash != v.letter.content_hash() {
                return bad("version hash does not match its content");
            }
            if v.letter.number().is_some() {
                return bad("a version carries a number");
            }
            if v.letter.signature().position() != first.letter.signature().position() {
                return bad("versions have different signing positions");
            }
        }
        check_plan(&self.review, first.letter.signature().position())?;
        self.check_approvals()?;
        let approved = self
            .review
            .iter()
            .take_while(|s| s.approval.is_some())
            .count();
        if self
            .review
            .iter()
            .skip(approved)
            .any(|s| s.approval.is_some())
        {
            return bad("approvals are not given in order");
        }
        for s in &self.review {
            if let Some(a) = &s.approval
                && a.by.position() != &s.position
            {
                return bad("approval by another position");
            }
        }
        let all = approved == self.review.len();
        let ok = match self.status {
            Status::Draft => approved == 0,
            Status::InReview { step } => step == approved && step < self.review.len(),
            Status::Returned | Status::Cancelled => true,
            Status::ReadyToSign
            | Status::Signed
            | Status::Sent
            | Status::Archived
            | Status::Withdrawn => all,
        };
        if !ok {
            return bad("status does not match the approvals");
        }
        let number_state = self.number.as_ref().map(|n| &n.state);
        let ok = match self.status {
            Status::ReadyToSign => matches!(number_state, None | Some(ReservationState::Reserved)),
            Status::Signed | Status::Sent | Status::Archived | Status::Withdrawn => {
                matches!(number_state, Some(ReservationState::Committed))
                    && self.document_sha256.is_some()
            }
            _ => number_state.is_none(),
        };
        if !ok {
            return bad("status does not match the number");
        }
        if self.number.is_some() != self.signer.is_some() {
            return bad("number and signer are set together");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::content::tests::sample_letter;
    use crate::letter::number::{MemorySequence, NumberFormat};
    use crate::letter::{AssignmentKind, LetterKind, Person};
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 10, h, 0, 0).unwrap()
    }
    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()
    }
    fn holder(p: &Position, name: &str, kind: AssignmentKind) -> Assignment {
        Assignment::new(
            Person::new(name).unwrap(),
            p.clone(),
            kind,
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            None,
        )
        .unwrap()
    }

    struct Fixture {
        kasi: Position,
        kabid: Position,
        sekdis: Position,
        letter: OutgoingLetter,
    }

    fn fixture() -> Fixture {
        let kasi = Position::new("kasi-aptika", "Kepala Seksi Aplikasi", 4).unwrap();
        let kabid = Position::new("kabid-aptika", "Kepala Bidang Aplikasi Informatika", 3).unwrap();
        let sekdis = Position::new("sekdis", "Sekretaris Dinas", 3).unwrap();
        let staf = Position::new("staf", "Pranata Komputer", 6).unwrap();
        let letter = OutgoingLetter::draft(
            sample_letter(),
            holder(&staf, "Andi", AssignmentKind::Definitive),
            vec![
                ReviewStep::hierarchy(kasi.clone()),
                ReviewStep::hierarchy(kabid.clone()),
                ReviewStep::coordination(sekdis.clone()),
            ],
            t(8),
        )
        .unwrap();
        Fixture {
            kasi,
            kabid,
            sekdis,
            letter,
        }
    }

    fn scheme() -> NumberScheme {
        NumberScheme::new("surat-dinas", "diskominfo", NumberFormat::pemda()).unwrap()
    }

    fn signer_of(l: &OutgoingLetter) -> Assignment {
        let block = l.current().letter().signature();
        Assignment::new(
            block.signer().unwrap().clone(),
            block.position().clone(),
            AssignmentKind::Definitive,
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            None,
        )
        .unwrap()
    }

    #[test]
    fn full_happy_path() {
        let Fixture {
            kasi,
            kabid,
            sekdis,
            mut letter,
        } = fixture();
        letter.submit(t(9)).unwrap();
        assert_eq!(letter.status(), Status::InReview { step: 0 });
        // wrong reviewer
        assert!(matches!(
            letter.approve(&holder(&kabid, "B", AssignmentKind::Definitive), t(9)),
            Err(LetterError::WrongPosition { .. })
        ));
        letter
            .approve(&holder(&kasi, "A", AssignmentKind::Definitive), t(9))
            .unwrap();
        letter
            .approve(&holder(&kabid, "B", AssignmentKind::DailyExecutive), t(10))
            .unwrap();
        letter
            .approve(&holder(&sekdis, "C", AssignmentKind::Definitive), t(10))
            .unwrap();
        assert_eq!(letter.status(), Status::ReadyToSign);
        let hash = letter.current().content_hash();
        assert!(
            letter
                .review()
                .iter()
                .all(|s| s.approval().unwrap().content_hash() == hash)
        );

        let mut seq = MemorySequence::new();
        let signer = signer_of(&letter);
        let numbered = letter
            .reserve_number(
                &mut seq,
                &scheme(),
                &signer,
                &SigningPolicy::default(),
                day(),
                t(11),
            )
            .unwrap();
        assert_eq!(numbered.number(), Some("000.8.3.3/1/Diskominfo"));
        assert_eq!(numbered.date(), Some(day()));
        // signing fails: number voided, next attempt gets a new number
        letter
            .signing_failed(&mut seq, "passphrase salah (2031)", t(11))
            .unwrap();
        assert!(letter.number().is_none());
        let numbered = letter
            .reserve_number(
                &mut seq,
                &scheme(),
                &signer,
                &SigningPolicy::default(),
                day(),
                t(12),
            )
            .unwrap();
        assert_eq!(numbered.number(), Some("000.8.3.3/2/Diskominfo"));
        assert!(matches!(
            seq.state(&scheme().key(2025), 1),
            Some(ReservationState::Voided { .. })
        ));
        letter.mark_signed(&mut seq, [7; 32], t(12)).unwrap();
        assert_eq!(
            seq.state(&scheme().key(2025), 2),
            Some(ReservationState::Committed)
        );
        assert!(matches!(
            letter.cancel(&mut seq, "x", t(13)),
            Err(LetterError::IllegalTransition {
                from: Status::Signed,
                ..
            })
        ));
        assert!(letter.archive(t(13)).is_err());
        letter.send(t(13)).unwrap();
        letter.archive(t(14)).unwrap();
        assert_eq!(letter.status(), Status::Archived);
        assert!(
            letter
                .withdraw("000.8.3.3/9/Diskominfo", "salah", t(15))
                .is_err()
        );

        // survives a serde round trip with invariants re-checked
        let json = serde_json::to_string(&letter).unwrap();
        let back: OutgoingLetter = serde_json::from_str(&json).unwrap();
        assert_eq!(back, letter);
    }

    #[test]
    fn return_and_resubmit_clears_approvals() {
        let Fixture {
            kasi,
            kabid,
            mut letter,
            ..
        } = fixture();
        letter.submit(t(9)).unwrap();
        letter
            .approve(&holder(&kasi, "A", AssignmentKind::Definitive), t(9))
            .unwrap();
        let b = holder(&kabid, "B", AssignmentKind::Definitive);
        assert!(matches!(
            letter.return_for_correction(&b, "  ", t(10)),
            Err(LetterError::NoteRequired)
        ));
        letter
            .return_for_correction(&b, "perbaiki paragraf kedua", t(10))
            .unwrap();
        assert_eq!(letter.status(), Status::Returned);
        assert!(letter.approve(&b, t(10)).is_err());
        let author = letter.current().author().clone();
        let v2 = letter
            .current()
            .letter()
            .to_builder()
            .paragraph("Paragraf baru.")
            .build()
            .unwrap();
        letter.resubmit(v2, author, t(11)).unwrap();
        assert_eq!(letter.versions().len(), 2);
        assert_eq!(letter.status(), Status::InReview { step: 0 });
        assert!(letter.review().iter().all(|s| s.approval().is_none()));
        letter
            .approve(&holder(&kasi, "A", AssignmentKind::Definitive), t(12))
            .unwrap();
        let a = letter.review()[0].approval().unwrap();
        assert_eq!(a.version(), 2);
        assert_eq!(a.content_hash(), letter.current().content_hash());
        assert_ne!(a.content_hash(), letter.versions()[0].content_hash());
    }

    #[test]
    fn tampered_records_are_rejected_on_deserialise() {
        let Fixture {
            kasi, mut letter, ..
        } = fixture();
        letter.submit(t(9)).unwrap();
        letter
            .approve(&holder(&kasi, "A", AssignmentKind::Definitive), t(9))
            .unwrap();
        let json = serde_json::to_string(&letter).unwrap();
        assert!(serde_json::from_str::<OutgoingLetter>(&json).is_ok());
        // content edited after the approval: version hash no longer matches
        let edited = json.replacen("Dengan hormat", "Dengan hormaT", 1);
        assert!(serde_json::from_str::<OutgoingLetter>(&edited).is_err());
        // status jumps ahead of approvals
        let jumped = json.replace(
            "\"status\":\"in_review\",\"step\":1",
            "\"status\":\"ready_to_sign\"",
        );
        assert_ne!(jumped, json);
        assert!(serde_json::from_str::<OutgoingLetter>(&jumped).is_err());
    }

    #[test]
    fn review_plan_rules() {
        let l = sample_letter();
        let a = |id: &str, lvl| Position::new(id, id, lvl).unwrap();
        let author = holder(&a("x", 9), "X", AssignmentKind::Definitive);
        let too_many = (0..4)
            .map(|i| ReviewStep::hierarchy(a(&format!("p{i}"), 8 - i as u8)))
            .collect();
        assert!(matches!(
            OutgoingLetter::draft(l.clone(), author.clone(), too_many, t(8)),
            Err(LetterError::TooManyReviewers { max: 3, got: 4 })
        ));
        let wrong_order = vec![
            ReviewStep::hierarchy(a("p1", 3)),
            ReviewStep::hierarchy(a("p2", 4)),
        ];
        assert!(matches!(
            OutgoingLetter::draft(l.clone(), author.clone(), wrong_order, t(8)),
            Err(LetterError::ReviewOutOfRankOrder { step: 1 })
        ));
        let signer_reviews = vec![ReviewStep::hierarchy(l.signature().position().clone())];
        assert!(matches!(
            OutgoingLetter::draft(l.clone(), author.clone(), signer_reviews, t(8)),
            Err(LetterError::DuplicateReviewer { .. })
        ));
        // no reviewers: straight to ready to sign
        let mut direct = OutgoingLetter::draft(l, author, vec![], t(8)).unwrap();
        direct.submit(t(9)).unwrap();
        assert_eq!(direct.status(), Status::ReadyToSign);
    }

    #[test]
    fn submit_needs_addressee_and_plt_cannot_sign_decree() {
        let l = sample_letter();
        let kadis = l.signature().position().clone();
        let sekdis = Position::new("sekdis", "Sekretaris Dinas", 3).unwrap();
        let block = crate::letter::SignatureBlock::new(
            crate::letter::Delegation::Acting {
                principal: kadis.clone(),
            },
            sekdis,
        )
        .with_signer(l.signature().signer().unwrap().clone());
        let bare = Letter::builder(LetterKind::Decree, "Kudus", block)
            .paragraph("Menetapkan.")
            .build()
            .unwrap();
        let author = holder(&kadis, "X", AssignmentKind::Definitive);
        let mut d = OutgoingLetter::draft(bare.clone(), author.clone(), vec![], t(8)).unwrap();
        assert!(matches!(d.submit(t(9)), Err(LetterError::MissingAddressee)));
        let decree = bare
            .to_builder()
            .to(crate::letter::Addressee::external("Yth. Pegawai", None).unwrap())
            .classification(crate::letter::ClassificationCode::new("800.1.11.13").unwrap())
            .build()
            .unwrap();
        let mut d = OutgoingLetter::draft(decree, author, vec![], t(8)).unwrap();
        d.submit(t(9)).unwrap();
        let plt = Assignment::new(
            l.signature().signer().unwrap().clone(),
            kadis,
            AssignmentKind::Acting,
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            None,
        )
        .unwrap();
        let mut seq = MemorySequence::new();
        assert!(matches!(
            d.reserve_number(
                &mut seq,
                &scheme(),
                &plt,
                &SigningPolicy::default(),
                day(),
                t(10)
            ),
            Err(LetterError::MandateMayNotSignStrategic { .. })
        ));
        // no number consumed by the refused attempt
        assert!(seq.outstanding().is_empty());
        d.cancel(&mut seq, "tidak jadi", t(11)).unwrap();
        assert_eq!(d.status(), Status::Cancelled);
    }

    #[test]
    fn cancel_voids_reserved_number() {
        let Fixture {
            kasi,
            kabid,
            sekdis,
            mut letter,
        } = fixture();
        letter.submit(t(9)).unwrap();
        for p in [&kasi, &kabid, &sekdis] {
            letter
                .approve(&holder(p, "R", AssignmentKind::Definitive), t(9))
                .unwrap();
        }
        let mut seq = MemorySequence::new();
        let signer = signer_of(&letter);
        letter
            .reserve_number(
                &mut seq,
                &scheme(),
                &signer,
                &SigningPolicy::default(),
                day(),
                t(10),
            )
            .unwrap();
        letter
            .cancel(&mut seq, "dibatalkan pimpinan", t(11))
            .unwrap();
        assert!(matches!(
            seq.state(&scheme().key(2025), 1),
            Some(ReservationState::Voided { .. })
        ));
        assert!(
            letter
                .history()
                .iter()
                .any(|h| matches!(h, HistoryEntry::NumberVoided { .. }))
        );
    }

    mod any_sequence_of_actions {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]
            /// Whatever legal or illegal actions are tried, the record keeps its
            /// invariants (it deserialises again), approvals bind to the current
            /// version, and a signed letter holds a committed number.
            #[test]
            fn invariants_hold(actions in proptest::collection::vec(0u8..12, 0..40)) {
                let Fixture { kasi, kabid, sekdis, mut letter } = fixture();
                let reviewers = [kasi, kabid, sekdis];
                let mut seq = MemorySequence::new();
                let signer = signer_of(&letter);
                let stranger = holder(&Position::new("lain", "Lain", 5).unwrap(), "Z", AssignmentKind::Definitive);
                let mut committed = Vec::new();
                for (i, a) in actions.iter().enumerate() {
                    let at = t(8) + chrono::Duration::minutes(i as i64);
                    let current = match letter.status() {
                        Status::InReview { step } => Some(holder(&reviewers[step], "R", AssignmentKind::Definitive)),
                        Status::ReadyToSign => Some(signer.clone()),
                        _ => None,
                    };
                    let before = letter.clone();
                    let result = match a {
                        0 => letter.submit(at),
                        1 => current.as_ref().map_or(Ok(()), |c| letter.approve(c, at)),
                        2 => letter.approve(&stranger, at),
                        3 => current.as_ref().map_or(Ok(()), |c| letter.return_for_correction(c, "perbaiki", at)),
                        4 => {
                            let v = letter.current().letter().to_builder().paragraph(format!("Revisi {i}.")).build().unwrap();
                            let author = letter.current().author().clone();
                            letter.resubmit(v, author, at)
                        }
                        5 => letter.reserve_number(&mut seq, &scheme(), &signer, &SigningPolicy::default(), day(), at).map(|_| ()),
                        6 => letter.signing_failed(&mut seq, "gagal", at),
                        7 => {
                            let r = letter.mark_signed(&mut seq, [1; 32], at);
                            if r.is_ok() {
                                committed.push(letter.number().unwrap().number().to_owned());
                            }
                            r
                        }
                        8 => letter.send(at),
                        9 => letter.archive(at),
                        10 => letter.cancel(&mut seq, "batal", at),
                        _ => letter.withdraw("000.8.3.3/99/Diskominfo", "koreksi", at),
                    };
                    if result.is_err() {
                        // a refused action changes nothing
                        prop_assert_eq!(&letter, &before);
                    }
                    let json = serde_json::to_string(&letter).unwrap();
                    let back: Result<OutgoingLetter, _> = serde_json::from_str(&json);
                    prop_assert!(back.is_ok(), "{:?} after {:?}", back.err(), &actions[..=i]);
                    let hash = letter.current().content_hash();
                    for s in letter.review() {
                        if let Some(a) = s.approval() {
                            prop_assert_eq!(a.content_hash(), hash);
                        }
                    }
                    if matches!(letter.status(), Status::Signed | Status::Sent | Status::Archived | Status::Withdrawn) {
                        let n = letter.number().unwrap();
                        prop_assert_eq!(n.state(), &ReservationState::Committed);
                        prop_assert_eq!(seq.state(n.reservation().key(), n.reservation().value()), Some(ReservationState::Committed));
                    }
                }
                prop_assert!(committed.len() <= 1);
            }
        }
    }
}
