//! Pohon disposisi: the disposition tree of one incoming letter, the actions
//! (events) that change it and the rules each action must satisfy.
//!
//! The tree is a pure fold: [`DispositionTree::apply`] checks one event against
//! every rule and, only if all hold, changes the tree. Time is always an
//! input; nothing here reads a clock.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::digest::{Sha256Hash, date};
use super::error::DispositionError;
use super::instruction::{Instruction, Security, Urgency};
use super::org::{Assignment, AssignmentId, Org, PositionId};

/// Longest free text (note, report, summary), in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest short text (agenda number, sender, letter number, subject,
/// custom instruction, reply letter reference), in characters.
pub const MAX_SHORT_CHARS: usize = 300;
/// Most recipients in one disposition.
pub const MAX_TARGETS: usize = 64;
/// Most instructions in one disposition.
pub const MAX_INSTRUCTIONS: usize = 32;
/// Most attachments in one report.
pub const MAX_ATTACHMENTS: usize = 64;

fn check_text(
    field: &'static str,
    s: &str,
    min: usize,
    max: usize,
) -> Result<(), DispositionError> {
    let len = s.chars().count();
    if len < min || len > max {
        return Err(DispositionError::InvalidText {
            field,
            len,
            min,
            max,
        });
    }
    Ok(())
}

fn check_count(field: &'static str, len: usize, max: usize) -> Result<(), DispositionError> {
    if len > max {
        return Err(DispositionError::TooMany { field, len, max });
    }
    Ok(())
}

macro_rules! index_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The id with this number.
            pub const fn new(n: u32) -> Self {
                Self(n)
            }
            /// Its number.
            pub const fn get(self) -> u32 {
                self.0
            }
            fn index(self) -> usize {
                // u32 always fits in usize on the platforms this crate supports.
                usize::try_from(self.0).unwrap_or(usize::MAX)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

index_id!(
    /// Nomor penerima: a recipient in the tree, numbered in order of creation.
    /// The letter's addressee is recipient 0.
    RecipientId
);
index_id!(
    /// Nomor disposisi: a disposition in the tree, numbered from 0 in order of
    /// creation.
    DispositionId
);

impl RecipientId {
    /// The addressee of the letter, root of the tree.
    pub const ROOT: Self = Self(0);
}

fn next_id(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Peran penerima: the role of a recipient in a disposition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// Utama: the leading sector, responsible for completion (at most one).
    Leading,
    /// Pendukung: a supporting recipient.
    Supporting,
    /// Tembusan: a copy, for information only; read-only.
    Copy,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Leading => "Utama",
            Self::Supporting => "Pendukung",
            Self::Copy => "Tembusan",
        })
    }
}

/// Status penerima: where a recipient stands (DOMAIN.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecipientStatus {
    /// Dikirim: sent, not yet opened.
    Sent,
    /// Dibaca: opened.
    Read,
    /// Diproses: in progress (started, reported on, forwarded, or reopened).
    InProgress,
    /// Selesai: done.
    Done,
    /// Ditarik: withdrawn by the giver.
    Withdrawn,
}

impl RecipientStatus {
    /// Whether no further work happens on this branch (done or withdrawn).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Withdrawn)
    }
}

impl fmt::Display for RecipientStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sent => "Dikirim",
            Self::Read => "Dibaca",
            Self::InProgress => "Diproses",
            Self::Done => "Selesai",
            Self::Withdrawn => "Ditarik",
        })
    }
}

/// Tujuan disposisi: a position a disposition is sent to, with its role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    position: PositionId,
    role: Role,
}

impl Target {
    /// A target with a role.
    pub fn new(position: PositionId, role: Role) -> Self {
        Self { position, role }
    }
    /// The position.
    pub fn position(&self) -> &PositionId {
        &self.position
    }
    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }
}

/// Registrasi surat masuk: the data recorded when an incoming letter is
/// registered in the agenda (the first event of every journal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    agenda_number: String,
    file_sha256: Sha256Hash,
    addressee: PositionId,
    sender: String,
    letter_number: String,
    #[serde(
        default,
        with = "date::option",
        skip_serializing_if = "Option::is_none"
    )]
    letter_date: Option<NaiveDate>,
    subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    security: Security,
    urgency: Urgency,
    auto_close: bool,
}

impl Registration {
    /// Nomor agenda (e.g. `SM/0001/2025`), the SHA-256 of the received file,
    /// and the position the letter is addressed to.
    pub fn new(
        agenda_number: impl Into<String>,
        file_sha256: Sha256Hash,
        addressee: PositionId,
    ) -> Self {
        Self {
            agenda_number: agenda_number.into(),
            file_sha256,
            addressee,
            sender: String::new(),
            letter_number: String::new(),
            letter_date: None,
            subject: String::new(),
            summary: None,
            security: Security::Ordinary,
            urgency: Urgency::Ordinary,
            auto_close: false,
        }
    }
    /// Surat dari: the sender as written on the letter.
    pub fn sender(mut self, sender: impl Into<String>) -> Self {
        self.sender = sender.into();
        self
    }
    /// Nomor surat: the letter's own number.
    pub fn letter_number(mut self, number: impl Into<String>) -> Self {
        self.letter_number = number.into();
        self
    }
    /// Tanggal surat: the letter's date.
    pub fn letter_date(mut self, date: NaiveDate) -> Self {
        self.letter_date = Some(date);
        self
    }
    /// Hal: the subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }
    /// Ringkasan: a summary.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }
    /// Sifat: the security classification.
    pub fn security(mut self, security: Security) -> Self {
        self.security = security;
        self
    }
    /// Urgensi.
    pub fn urgency(mut self, urgency: Urgency) -> Self {
        self.urgency = urgency;
        self
    }
    /// Policy: mark a recipient done automatically when all its leading
    /// (utama) children are done. Off by default.
    pub fn auto_close(mut self, on: bool) -> Self {
        self.auto_close = on;
        self
    }

    /// Nomor agenda.
    pub fn agenda_number(&self) -> &str {
        &self.agenda_number
    }
    /// SHA-256 of the received file.
    pub fn file_sha256(&self) -> Sha256Hash {
        self.file_sha256
    }
    /// The addressee position.
    pub fn addressee(&self) -> &PositionId {
        &self.addressee
    }
    /// Surat dari.
    pub fn sender_name(&self) -> &str {
        &self.sender
    }
    /// Nomor surat.
    pub fn number(&self) -> &str {
        &self.letter_number
    }
    /// Tanggal surat.
    pub fn date(&self) -> Option<NaiveDate> {
        self.letter_date
    }
    /// Hal.
    pub fn subject_text(&self) -> &str {
        &self.subject
    }
    /// Ringkasan.
    pub fn summary_text(&self) -> Option<&str> {
        self.summary.as_deref()
    }
    /// Sifat.
    pub fn security_class(&self) -> Security {
        self.security
    }
    /// Urgensi.
    pub fn urgency_level(&self) -> Urgency {
        self.urgency
    }
    /// Whether parents close automatically.
    pub fn auto_closes(&self) -> bool {
        self.auto_close
    }

    fn validate(&self, org: &Org) -> Result<(), DispositionError> {
        check_text("agenda_number", &self.agenda_number, 1, MAX_SHORT_CHARS)?;
        check_text("sender", &self.sender, 0, MAX_SHORT_CHARS)?;
        check_text("letter_number", &self.letter_number, 0, MAX_SHORT_CHARS)?;
        check_text("subject", &self.subject, 0, MAX_SHORT_CHARS)?;
        if let Some(s) = &self.summary {
            check_text("summary", s, 0, MAX_TEXT_CHARS)?;
        }
        if org.position(&self.addressee).is_none() {
            return Err(DispositionError::UnknownPosition {
                position: self.addressee.clone(),
            });
        }
        Ok(())
    }
}

/// Disposisi (request): a forward from one recipient to positions below it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forward {
    from: RecipientId,
    to: Vec<Target>,
    instructions: BTreeSet<Instruction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(
        default,
        with = "date::option",
        skip_serializing_if = "Option::is_none"
    )]
    deadline: Option<NaiveDate>,
    urgency: Urgency,
}

impl Forward {
    /// A forward from recipient `from` (whose holder gives the disposition).
    pub fn new(from: RecipientId) -> Self {
        Self {
            from,
            to: Vec::new(),
            instructions: BTreeSet::new(),
            note: None,
            deadline: None,
            urgency: Urgency::Ordinary,
        }
    }
    /// Adds a target.
    pub fn to(mut self, position: PositionId, role: Role) -> Self {
        self.to.push(Target::new(position, role));
        self
    }
    /// Adds an instruction.
    pub fn instruction(mut self, instruction: Instruction) -> Self {
        self.instructions.insert(instruction);
        self
    }
    /// Catatan: a note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
    /// Batas waktu: the deadline (a date in the office's calendar).
    pub fn deadline(mut self, deadline: NaiveDate) -> Self {
        self.deadline = Some(deadline);
        self
    }
    /// Urgensi.
    pub fn urgency(mut self, urgency: Urgency) -> Self {
        self.urgency = urgency;
        self
    }
    /// The giving recipient.
    pub fn from_recipient(&self) -> RecipientId {
        self.from
    }
    /// The targets.
    pub fn targets(&self) -> &[Target] {
        &self.to
    }
}

/// Laporan tindak lanjut (request): a report back from a recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    recipient: RecipientId,
    text: String,
    attachments: Vec<Sha256Hash>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reply_letter: Option<String>,
}

impl Report {
    /// A report by `recipient` with its text.
    pub fn new(recipient: RecipientId, text: impl Into<String>) -> Self {
        Self {
            recipient,
            text: text.into(),
            attachments: Vec::new(),
            reply_letter: None,
        }
    }
    /// Adds the SHA-256 of an attached file.
    pub fn attachment(mut self, sha256: Sha256Hash) -> Self {
        self.attachments.push(sha256);
        self
    }
    /// Naskah balasan: a reference (e.g. the number) of the reply letter.
    pub fn reply_letter(mut self, reference: impl Into<String>) -> Self {
        self.reply_letter = Some(reference.into());
        self
    }
    /// The reporting recipient.
    pub fn recipient(&self) -> RecipientId {
        self.recipient
    }
    /// Isi laporan.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// SHA-256 of the attachments.
    pub fn attachments(&self) -> &[Sha256Hash] {
        &self.attachments
    }
    /// Reference of the reply letter.
    pub fn reply_letter_ref(&self) -> Option<&str> {
        self.reply_letter.as_deref()
    }
}

/// Peristiwa: one action on the tree, as recorded in the journal.
///
/// Encoded as an object whose `"type"` names the variant in snake_case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Event {
    /// Registrasi: register the incoming letter (first event only).
    Register(Registration),
    /// Buka: the recipient opens the disposition (Dikirim → Dibaca).
    Read {
        /// The recipient.
        recipient: RecipientId,
    },
    /// Mulai: the recipient starts work (Dibaca → Diproses).
    Start {
        /// The recipient.
        recipient: RecipientId,
    },
    /// Disposisikan: forward downward (the giver becomes Diproses).
    Forward(Forward),
    /// Laporan tindak lanjut: report back (→ Diproses).
    Report(Report),
    /// Selesaikan: the recipient finishes (→ Selesai).
    Complete {
        /// The recipient.
        recipient: RecipientId,
        /// Catatan selesai.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Tarik: the giver withdraws a recipient and its open sub-branches.
    Withdraw {
        /// The recipient.
        recipient: RecipientId,
        /// Alasan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Buka kembali: the giver reopens a done recipient (→ Diproses). The
    /// giver's own branch must be open, so a chain is reopened top-down.
    Reopen {
        /// The recipient.
        recipient: RecipientId,
        /// Alasan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Tutup: the addressee closes the letter; nothing may follow.
    Close {
        /// Catatan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

impl Event {
    /// The event's `"type"` name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Register(_) => "register",
            Self::Read { .. } => "read",
            Self::Start { .. } => "start",
            Self::Forward(_) => "forward",
            Self::Report(_) => "report",
            Self::Complete { .. } => "complete",
            Self::Withdraw { .. } => "withdraw",
            Self::Reopen { .. } => "reopen",
            Self::Close { .. } => "close",
        }
    }
}

/// Surat masuk terdaftar: the registered incoming letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingLetter {
    registration: Registration,
    registered_at: DateTime<Utc>,
    registered_by: AssignmentId,
}

impl IncomingLetter {
    /// The registration data.
    pub fn registration(&self) -> &Registration {
        &self.registration
    }
    /// Diterima: when it was registered.
    pub fn registered_at(&self) -> DateTime<Utc> {
        self.registered_at
    }
    /// Pencatat: who registered it.
    pub fn registered_by(&self) -> &AssignmentId {
        &self.registered_by
    }
}

/// Laporan tindak lanjut (recorded): a report back with who and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRecord {
    report: Report,
    by: AssignmentId,
    at: DateTime<Utc>,
}

impl ReportRecord {
    /// The report.
    pub fn report(&self) -> &Report {
        &self.report
    }
    /// Who reported.
    pub fn by(&self) -> &AssignmentId {
        &self.by
    }
    /// When.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
}

/// Penerima disposisi: one recipient (a position) in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    id: RecipientId,
    disposition: Option<DispositionId>,
    parent: Option<RecipientId>,
    position: PositionId,
    role: Role,
    status: RecipientStatus,
    sent_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    completed_by: Option<AssignmentId>,
    completion_note: Option<String>,
    withdrawn_at: Option<DateTime<Utc>>,
    reopened_at: Option<DateTime<Utc>>,
    reports: Vec<ReportRecord>,
    children: Vec<DispositionId>,
}

impl Recipient {
    /// Its id.
    pub fn id(&self) -> RecipientId {
        self.id
    }
    /// The disposition that created it (`None` for the addressee).
    pub fn disposition(&self) -> Option<DispositionId> {
        self.disposition
    }
    /// The giving recipient (`None` for the addressee).
    pub fn parent(&self) -> Option<RecipientId> {
        self.parent
    }
    /// Kepada: the position.
    pub fn position(&self) -> &PositionId {
        &self.position
    }
    /// Peran.
    pub fn role(&self) -> Role {
        self.role
    }
    /// Status (stored; see [`DispositionTree::is_overdue`] for the derived one).
    pub fn status(&self) -> RecipientStatus {
        self.status
    }
    /// Diterima: when it was sent.
    pub fn sent_at(&self) -> DateTime<Utc> {
        self.sent_at
    }
    /// Dibaca: when it was first read.
    pub fn read_at(&self) -> Option<DateTime<Utc>> {
        self.read_at
    }
    /// Diproses: when work first started.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.started_at
    }
    /// Selesai: when it was (last) completed.
    pub fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.completed_at
    }
    /// Who completed it (`None` when completed automatically).
    pub fn completed_by(&self) -> Option<&AssignmentId> {
        self.completed_by.as_ref()
    }
    /// Catatan selesai.
    pub fn completion_note(&self) -> Option<&str> {
        self.completion_note.as_deref()
    }
    /// Ditarik: when it was withdrawn.
    pub fn withdrawn_at(&self) -> Option<DateTime<Utc>> {
        self.withdrawn_at
    }
    /// Dibuka kembali: when it was last reopened.
    pub fn reopened_at(&self) -> Option<DateTime<Utc>> {
        self.reopened_at
    }
    /// Laporan tindak lanjut, in order.
    pub fn reports(&self) -> &[ReportRecord] {
        &self.reports
    }
    /// Dispositions this recipient gave, in order.
    pub fn children(&self) -> &[DispositionId] {
        &self.children
    }
}

/// Disposisi: one forward, from a recipient to one or more positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disposition {
    id: DispositionId,
    from: RecipientId,
    by: AssignmentId,
    instructions: BTreeSet<Instruction>,
    note: Option<String>,
    deadline: Option<NaiveDate>,
    urgency: Urgency,
    created_at: DateTime<Utc>,
    recipients: Vec<RecipientId>,
}

impl Disposition {
    /// Its id.
    pub fn id(&self) -> DispositionId {
        self.id
    }
    /// The giving recipient.
    pub fn from(&self) -> RecipientId {
        self.from
    }
    /// Dari: the assignment under which it was given.
    pub fn by(&self) -> &AssignmentId {
        &self.by
    }
    /// Instruksi.
    pub fn instructions(&self) -> &BTreeSet<Instruction> {
        &self.instructions
    }
    /// Catatan.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
    /// Batas waktu as given (see [`DispositionTree::effective_deadline`]).
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.deadline
    }
    /// Urgensi.
    pub fn urgency(&self) -> Urgency {
        self.urgency
    }
    /// Tanggal disposisi.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    /// The recipients, in the order given.
    pub fn recipients(&self) -> &[RecipientId] {
        &self.recipients
    }
}

/// Penutupan: the closing of the letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closure {
    at: DateTime<Utc>,
    by: AssignmentId,
    note: Option<String>,
}

impl Closure {
    /// When.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
    /// Who.
    pub fn by(&self) -> &AssignmentId {
        &self.by
    }
    /// Catatan.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// Pohon disposisi: the state of one incoming letter's dispositions.
///
/// Only [`apply`](Self::apply) changes it, and only when every rule holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DispositionTree {
    letter: Option<IncomingLetter>,
    recipients: Vec<Recipient>,
    dispositions: Vec<Disposition>,
    closed: Option<Closure>,
    last_at: Option<DateTime<Utc>>,
}

/// Upper bound on the depth of any walk up the tree (the tree has at most
/// this many recipients before `u32` ids run out).
const WALK_LIMIT: usize = u32::MAX as usize;

impl DispositionTree {
    /// An empty tree, waiting for the registration event.
    pub fn new() -> Self {
        Self::default()
    }

    /// The registered letter, once registered.
    pub fn letter(&self) -> Option<&IncomingLetter> {
        self.letter.as_ref()
    }
    /// All recipients, by id.
    pub fn recipients(&self) -> &[Recipient] {
        &self.recipients
    }
    /// All dispositions, by id.
    pub fn dispositions(&self) -> &[Disposition] {
        &self.dispositions
    }
    /// A recipient.
    pub fn recipient(&self, id: RecipientId) -> Option<&Recipient> {
        self.recipients.get(id.index())
    }
    /// A disposition.
    pub fn disposition(&self, id: DispositionId) -> Option<&Disposition> {
        self.dispositions.get(id.index())
    }
    /// The closing of the letter, once closed.
    pub fn closure(&self) -> Option<&Closure> {
        self.closed.as_ref()
    }
    /// Time of the last applied event.
    pub fn last_event_at(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// Batas waktu efektif: the recipient's deadline, inherited from the
    /// nearest disposition up the branch that has one.
    pub fn effective_deadline(&self, id: RecipientId) -> Option<NaiveDate> {
        let mut current = self.recipient(id);
        for _ in 0..WALK_LIMIT {
            let r = current?;
            let d = self.disposition(r.disposition?)?;
            if d.deadline.is_some() {
                return d.deadline;
            }
            current = self.recipient(d.from);
        }
        None
    }

    /// Terlambat: whether the recipient is overdue at `at` — its effective
    /// deadline is before `at`'s local date, it owes work (not a copy), it is
    /// neither done nor withdrawn, and the letter is not closed.
    pub fn is_overdue(&self, id: RecipientId, at: DateTime<FixedOffset>) -> bool {
        let Some(r) = self.recipient(id) else {
            return false;
        };
        self.closed.is_none()
            && r.role != Role::Copy
            && !r.status.is_final()
            && self
                .effective_deadline(id)
                .is_some_and(|d| at.date_naive() > d)
    }

    /// All recipients overdue at `at`.
    pub fn overdue(&self, at: DateTime<FixedOffset>) -> Vec<RecipientId> {
        self.recipients
            .iter()
            .map(|r| r.id)
            .filter(|id| self.is_overdue(*id, at))
            .collect()
    }

    fn get(&self, id: RecipientId) -> Result<&Recipient, DispositionError> {
        self.recipient(id)
            .ok_or(DispositionError::UnknownRecipient { recipient: id })
    }

    fn get_mut(&mut self, id: RecipientId) -> Result<&mut Recipient, DispositionError> {
        self.recipients
            .get_mut(id.index())
            .ok_or(DispositionError::UnknownRecipient { recipient: id })
    }

    /// The recipient, checked to be held by the actor.
    fn held(&self, id: RecipientId, actor: &Assignment) -> Result<&Recipient, DispositionError> {
        let r = self.get(id)?;
        if &r.position != actor.position() {
            return Err(DispositionError::NotHolder {
                assignment: actor.id().clone(),
                position: r.position.clone(),
            });
        }
        Ok(r)
    }

    /// The recipient, checked to be held by the actor, to owe work and to be
    /// open (read, not done or withdrawn).
    fn on_duty(&self, id: RecipientId, actor: &Assignment) -> Result<&Recipient, DispositionError> {
        let r = self.held(id, actor)?;
        if r.role == Role::Copy {
            return Err(DispositionError::CopyIsReadOnly { recipient: id });
        }
        match r.status {
            RecipientStatus::Sent => Err(DispositionError::NotRead { recipient: id }),
            s if s.is_final() => Err(DispositionError::BranchClosed {
                recipient: id,
                status: s,
            }),
            _ => Ok(r),
        }
    }

    /// The recipient, checked to have been given by a holder of the actor's
    /// position.
    fn given_by(
        &self,
        id: RecipientId,
        actor: &Assignment,
    ) -> Result<&Recipient, DispositionError> {
        let r = self.get(id)?;
        let giver = r.parent.and_then(|p| self.recipient(p));
        match giver {
            Some(g) if &g.position == actor.position() => Ok(r),
            _ => Err(DispositionError::NotGiver {
                assignment: actor.id().clone(),
                recipient: id,
            }),
        }
    }

    /// Applies one event by `actor` at `at`, or changes nothing and returns
    /// the first rule it breaks.
    ///
    /// Common rules: `at` is whole seconds and not before the previous event;
    /// the letter is not closed; `actor` exists in `org` and is active at
    /// `at`; the first event registers the letter and only the first does.
    pub fn apply(
        &mut self,
        org: &Org,
        actor: &AssignmentId,
        at: DateTime<Utc>,
        event: &Event,
    ) -> Result<(), DispositionError> {
        if at.timestamp_subsec_nanos() != 0 {
            return Err(DispositionError::SubsecondTime { at });
        }
        if let Some(previous) = self.last_at
            && at < previous
        {
            return Err(DispositionError::OutOfOrder { at, previous });
        }
        if self.closed.is_some() {
            return Err(DispositionError::LetterClosed);
        }
        let actor = org.active(actor, at)?;
        match event {
            Event::Register(reg) => self.register(org, actor, at, reg)?,
            _ if self.letter.is_none() => return Err(DispositionError::NotRegistered),
            Event::Read { recipient } => self.read(actor, at, *recipient)?,
            Event::Start { recipient } => self.start(actor, at, *recipient)?,
            Event::Forward(fwd) => self.forward(org, actor, at, fwd)?,
            Event::Report(rep) => self.report(actor, at, rep)?,
            Event::Complete { recipient, note } => {
                self.complete(actor, at, *recipient, note.as_deref())?
            }
            Event::Withdraw { recipient, reason } => {
                self.withdraw(actor, at, *recipient, reason.as_deref())?
            }
            Event::Reopen { recipient, reason } => {
                self.reopen(actor, at, *recipient, reason.as_deref())?
            }
            Event::Close { note } => self.close(actor, at, note.as_deref())?,
        }
        self.last_at = Some(at);
        Ok(())
    }

    fn register(
        &mut self,
        org: &Org,
        actor: &Assignment,
        at: DateTime<Utc>,
        reg: &Registration,
    ) -> Result<(), DispositionError> {
        if self.letter.is_some() {
            return Err(DispositionError::AlreadyRegistered);
        }
        reg.validate(org)?;
        self.letter = Some(IncomingLetter {
            registration: reg.clone(),
            registered_at: at,
            registered_by: actor.id().clone(),
        });
        self.recipients.push(Recipient {
            id: RecipientId::ROOT,
            disposition: None,
            parent: None,
            position: reg.addressee.clone(),
            role: Role::Leading,
            status: RecipientStatus::Sent,
            sent_at: at,
            read_at: None,
            started_at: None,
            completed_at: None,
            completed_by: None,
            completion_note: None,
            withdrawn_at: None,
            reopened_at: None,
            reports: Vec::new(),
            children: Vec::new(),
        });
        Ok(())
    }

    fn read(
        &mut self,
        actor: &Assignment,
        at: DateTime<Utc>,
        id: RecipientId,
    ) -> Result<(), DispositionError> {
        let r = self.held(id, actor)?;
        if r.status != RecipientStatus::Sent {
            return Err(DispositionError::InvalidTransition {
                recipient: id,
                status: r.status,
                action: "read",
            });
        }
        let r = self.get_mut(id)?;
        r.status = RecipientStatus::Read;
        r.read_at = Some(at);
        Ok(())
    }

    fn start(
        &mut self,
        actor: &Assignment,
        at: DateTime<Utc>,
        id: RecipientId,
    ) -> Result<(), DispositionError> {
        let r = self.on_duty(id, actor)?;
        if r.status != RecipientStatus::Read {
            return Err(DispositionError::InvalidTransition {
                recipient: id,
                status: r.status,
                action: "start",
            });
        }
        let r = self.get_mut(id)?;
        r.status = RecipientStatus::InProgress;
        r.started_at.get_or_insert(at);
        Ok(())
    }

    fn forward(
        &mut self,
        org: &Org,
        actor: &Assignment,
        at: DateTime<Utc>,
        fwd: &Forward,
    ) -> Result<(), DispositionError> {
        let from = self.on_duty(fwd.from, actor)?;
        if fwd.to.is_empty() {
            return Err(DispositionError::NoRecipients);
        }
        check_count("to", fwd.to.len(), MAX_TARGETS)?;
        check_count("instructions", fwd.instructions.len(), MAX_INSTRUCTIONS)?;
        for i in &fwd.instructions {
            if let Instruction::Custom(text) = i {
                check_text("custom", text, 1, MAX_SHORT_CHARS)?;
            }
        }
        if let Some(note) = &fwd.note {
            check_text("note", note, 0, MAX_TEXT_CHARS)?;
        }
        let leading = fwd.to.iter().filter(|t| t.role == Role::Leading).count();
        if leading > 1 {
            return Err(DispositionError::MultipleLeading { count: leading });
        }
        // Positions on the branch from the root down to the giver.
        let mut branch = BTreeSet::new();
        let mut walk = Some(from);
        for _ in 0..WALK_LIMIT {
            let Some(r) = walk else { break };
            branch.insert(&r.position);
            walk = r.parent.and_then(|p| self.recipient(p));
        }
        let mut seen = BTreeSet::new();
        for t in &fwd.to {
            if org.position(&t.position).is_none() {
                return Err(DispositionError::UnknownPosition {
                    position: t.position.clone(),
                });
            }
            if !seen.insert(&t.position) {
                return Err(DispositionError::DuplicateRecipient {
                    position: t.position.clone(),
                });
            }
            if branch.contains(&t.position) {
                return Err(DispositionError::Cycle {
                    position: t.position.clone(),
                });
            }
            if !org.is_below(&t.position, &from.position) {
                return Err(DispositionError::NotBelow {
                    from: from.position.clone(),
                    to: t.position.clone(),
                });
            }
        }
        if let (Some(deadline), Some(parent)) = (fwd.deadline, self.effective_deadline(fwd.from))
            && deadline > parent
        {
            return Err(DispositionError::DeadlineAfterParent { deadline, parent });
        }

        // All rules hold: change the tree.
        let did = DispositionId(next_id(self.dispositions.len()));
        let first = self.recipients.len();
        let mut ids = Vec::with_capacity(fwd.to.len());
        for (k, t) in fwd.to.iter().enumerate() {
            let id = RecipientId(next_id(first + k));
            ids.push(id);
            self.recipients.push(Recipient {
                id,
                disposition: Some(did),
                parent: Some(fwd.from),
                position: t.position.clone(),
                role: t.role,
                status: RecipientStatus::Sent,
                sent_at: at,
                read_at: None,
                started_at: None,
                completed_at: None,
                completed_by: None,
                completion_note: None,
                withdrawn_at: None,
                reopened_at: None,
                reports: Vec::new(),
                children: Vec::new(),
            });
        }
        self.dispositions.push(Disposition {
            id: did,
            from: fwd.from,
            by: actor.id().clone(),
            instructions: fwd.instructions.clone(),
            note: fwd.note.clone(),
            deadline: fwd.deadline,
            urgency: fwd.urgency,
            created_at: at,
            recipients: ids,
        });
        let giver = self.get_mut(fwd.from)?;
        giver.status = RecipientStatus::InProgress;
        giver.started_at.get_or_insert(at);
        giver.children.push(did);
        Ok(())
    }

    fn report(
        &mut self,
        actor: &Assignment,
        at: DateTime<Utc>,
        rep: &Report,
    ) -> Result<(), DispositionError> {
        self.on_duty(rep.recipient, actor)?;
        check_text("text", &rep.text, 1, MAX_TEXT_CHARS)?;
        check_count("attachments", rep.attachments.len(), MAX_ATTACHMENTS)?;
        if let Some(reply) = &rep.reply_letter {
            check_text("reply_letter", reply, 1, MAX_SHORT_CHARS)?;
        }
        let r = self.get_mut(rep.recipient)?;
        r.status = RecipientStatus::InProgress;
        r.started_at.get_or_insert(at);
        r.reports.push(ReportRecord {
            report: rep.clone(),
            by: actor.id().clone(),
            at,
        });
        Ok(())
    }

    fn complete(
        &mut self,
        actor: &Assignment,
        at: DateTime<Utc>,
        id: RecipientId,
        note: Option<&str>,
    ) -> Result<(), DispositionError> {
        self.on_duty(id, actor)?;
        if let Some(note) = note {
            check_text("note", note, 0, MAX_TEXT_CHARS)?;
        }
        let r = self.get_mut(id)?;
        r.status = RecipientStatus::Done;
        r.completed_at = Some(at);
        r.completed_by = Some(actor.id().clone());
        r.completion_note = note.map(str::to_owned);
        let auto = self
            .letter
            .as_ref()
            .is_some_and(|l| l.registration.auto_close);
        if auto {
            self.close_parents(id, at);
        }
        Ok(())
    }

    /// Marks parents done while all their leading children are done.
    fn close_parents(&mut self, mut child: RecipientId, at: DateTime<Utc>) {
        for _ in 0..WALK_LIMIT {
            let Some(c) = self.recipient(child) else {
                return;
            };
            let Some(parent) = c.parent.and_then(|p| self.recipient(p)) else {
                return;
            };
            if c.role != Role::Leading
                || !matches!(
                    parent.status,
                    RecipientStatus::Read | RecipientStatus::InProgress
                )
            {
                return;
            }
            let all_done = parent
                .children
                .iter()
                .filter_map(|d| self.disposition(*d))
                .flat_map(|d| d.recipients.iter())
                .filter_map(|r| self.recipient(*r))
                .filter(|r| r.role == Role::Leading && r.status != RecipientStatus::Withdrawn)
                .all(|r| r.status == RecipientStatus::Done);
            if !all_done {
                return;
            }
            let pid = parent.id;
            if let Some(p) = self.recipients.get_mut(pid.index()) {
                p.status = RecipientStatus::Done;
                p.completed_at = Some(at);
                p.completed_by = None;
                p.completion_note = None;
            }
            child = pid;
        }
    }

    fn withdraw(
        &mut self,
        actor: &Assignment,
        at: DateTime<Utc>,
        id: RecipientId,
        reason: Option<&str>,
    ) -> Result<(), DispositionError> {
        let r = self.given_by(id, actor)?;
        if r.status.is_final() {
            return Err(DispositionError::InvalidTransition {
                recipient: id,
                status: r.status,
                action: "withdraw",
            });
        }
        if let Some(reason) = reason {
            check_text("reason", reason, 0, MAX_TEXT_CHARS)?;
        }
        // Withdraw the recipient and every open recipient below it.
        let mut stack = vec![id];
        while let Some(next) = stack.pop() {
            let Some(r) = self.recipients.get_mut(next.index()) else {
                continue;
            };
            if !r.status.is_final() {
                r.status = RecipientStatus::Withdrawn;
                r.withdrawn_at = Some(at);
            }
            let children = r.children.clone();
            for d in children {
                if let Some(d) = self.dispositions.get(d.index()) {
                    stack.extend(d.recipients.iter().copied());
                }
            }
        }
        Ok(())
    }

    fn reopen(
        &mut self,
        actor: &Assignment,
        at: DateTime<Utc>,
        id: RecipientId,
        reason: Option<&str>,
    ) -> Result<(), DispositionError> {
        let r = self.given_by(id, actor)?;
        if r.status != RecipientStatus::Done {
            return Err(DispositionError::InvalidTransition {
                recipient: id,
                status: r.status,
                action: "reopen",
            });
        }
        // Reopen top-down: the giver's own branch must still be open.
        if let Some(giver) = r.parent.and_then(|p| self.recipient(p))
            && giver.status.is_final()
        {
            return Err(DispositionError::BranchClosed {
                recipient: giver.id,
                status: giver.status,
            });
        }
        if let Some(reason) = reason {
            check_text("reason", reason, 0, MAX_TEXT_CHARS)?;
        }
        let r = self.get_mut(id)?;
        r.status = RecipientStatus::InProgress;
        r.reopened_at = Some(at);
        r.completed_at = None;
        r.completed_by = None;
        r.completion_note = None;
        Ok(())
    }

    fn close(
        &mut self,
        actor: &Assignment,
        at: DateTime<Utc>,
        note: Option<&str>,
    ) -> Result<(), DispositionError> {
        let root = self.held(RecipientId::ROOT, actor)?;
        if root.status == RecipientStatus::Sent {
            return Err(DispositionError::NotRead {
                recipient: RecipientId::ROOT,
            });
        }
        if let Some(note) = note {
            check_text("note", note, 0, MAX_TEXT_CHARS)?;
        }
        let root = self.get_mut(RecipientId::ROOT)?;
        if root.status != RecipientStatus::Done {
            root.status = RecipientStatus::Done;
            root.completed_at = Some(at);
            root.completed_by = Some(actor.id().clone());
        }
        self.closed = Some(Closure {
            at,
            by: actor.id().clone(),
            note: note.map(str::to_owned),
        });
        Ok(())
    }
}
