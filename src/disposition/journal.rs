//! Jurnal disposisi: an append-only, hash-chained, Ed25519-signed log of
//! every action on one letter's disposition tree.
//!
//! The tree of a letter is the fold of its journal: [`Journal::record`]
//! checks an action against the rules, signs it and appends it;
//! [`verify`] replays an imported journal and returns the first entry that
//! breaks a link, a signature, a key binding or a rule.
//!
//! # Encoding (version 1)
//!
//! This section is normative; it is enough to write and verify journals in
//! another language.
//!
//! **File.** UTF-8 JSON lines: each entry is one line, its canonical bytes
//! followed by one `\n` (0x0A). No blank lines, no byte-order mark, no `\r`;
//! the last line also ends with `\n`. A reader rejects a line longer than
//! its limit (default 65,536 bytes without the newline) and more entries
//! than its limit (default 1,000,000).
//!
//! **Canonical bytes.** RFC 8785 (JCS): no whitespace, object members sorted
//! by key in UTF-16 code-unit order, strings with only `"`, `\` and control
//! characters escaped (`\b \t \n \f \r`, other U+0000–U+001F as `\u00xx`
//! with lowercase hex), all other characters raw UTF-8. The journal uses only
//! objects, arrays, strings, `true`/`false` and non-negative integers below
//! 2^53 — never floats or `null`; an absent optional member is omitted. A
//! reader re-encodes every entry it parses and rejects a line whose bytes
//! differ (so duplicate keys, escapes like `\u0041`, `1.0`, `null`, extra or
//! missing members are all refused).
//!
//! **Entry.** An object with exactly these members:
//!
//! | member | type | meaning |
//! |---|---|---|
//! | `v` | integer | encoding version, `1` |
//! | `seq` | integer | zero-based index of the entry |
//! | `prev` | string, 64 lowercase hex | SHA-256 of the previous line's canonical bytes (without its `\n`); 64 zeros for entry 0 |
//! | `at` | string `YYYY-MM-DDTHH:MM:SSZ` | UTC time of the action, whole seconds, years 0001–9999 |
//! | `actor` | string, 1–128 bytes, no control characters | the assignment (penugasan) acting |
//! | `key` | string, 64 lowercase hex | the 32-byte Ed25519 public key (RFC 8032) that signed |
//! | `event` | object | the action, below |
//! | `sig` | string, 128 lowercase hex | the 64-byte Ed25519 signature |
//!
//! **Signature.** `sig` is a pure Ed25519 signature (RFC 8032 §5.1, no
//! pre-hash) over the ASCII bytes `surat-journal-v1` and one `\n`, followed by
//! the canonical bytes of the entry *without* its `sig` member. Verifiers use
//! strict verification (canonical `S`, no small-order keys).
//!
//! **Entry hash.** SHA-256 of the entry's canonical bytes *with* `sig`, i.e.
//! of the exact line without its newline. The next entry's `prev` carries it;
//! the last entry's hash is the journal head ([`Journal::head`]).
//!
//! **Events.** `event.type` names the action; the other members are:
//!
//! | `type` | members (optional ones marked `?`) |
//! |---|---|
//! | `register` | `agenda_number`, `file_sha256` (hex), `addressee` (position id), `sender`, `letter_number`, `letter_date`? (`YYYY-MM-DD`), `subject`, `summary`?, `security`, `urgency`, `auto_close` (boolean) |
//! | `read`, `start` | `recipient` |
//! | `forward` | `from` (recipient), `to` (array of `{"position":…,"role":…}`), `instructions` (array), `note`?, `deadline`? (`YYYY-MM-DD`), `urgency` |
//! | `report` | `recipient`, `text`, `attachments` (array of SHA-256 hex), `reply_letter`? |
//! | `complete` | `recipient`, `note`? |
//! | `withdraw`, `reopen` | `recipient`, `reason`? |
//! | `close` | `note`? |
//!
//! Recipients are integers numbered in order of creation: 0 is the
//! addressee, then each `forward` numbers its `to` entries in order.
//! `role` is `leading`, `supporting` or `copy`; `urgency` is `immediate`,
//! `urgent` or `ordinary`; `security` is `ordinary`, `limited`, `secret` or
//! `top_secret`. `instructions` is sorted and without duplicates: standard
//! instructions are strings in the order `for_information`, `follow_up`,
//! `carry_out`, `process`, `advise`, `study`, `coordinate`, `prepare_reply`,
//! `attend`, `schedule`, `monitor`, `write_report`, `circulate`, `explain`,
//! `see_me`, `remind_me`, `expedite`, `archive`, followed by custom ones as
//! `{"custom":"text"}` sorted by text (Unicode scalar order).
//!
//! # Worked example
//!
//! Ed25519 secret key = 32 bytes of `0x01` (public key
//! `8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c`).
//! Registering `SM/0001/2025` (file SHA-256 = SHA-256 of `abc`) at
//! 2025-01-06 08:00:00 UTC by assignment `tu-1` signs these bytes (the
//! first line is the domain prefix and its newline):
//!
//! ```text
//! surat-journal-v1
//! {"actor":"tu-1","at":"2025-01-06T08:00:00Z","event":{"addressee":"kadis","agenda_number":"SM/0001/2025","auto_close":false,"file_sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","letter_number":"B-123/KOMINFO/HM.01.01/01/2025","security":"ordinary","sender":"Kementerian Komunikasi dan Digital","subject":"Undangan Rapat","type":"register","urgency":"ordinary"},"key":"8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c","prev":"0000000000000000000000000000000000000000000000000000000000000000","seq":0,"v":1}
//! ```
//!
//! and is exported as the line
//!
//! ```text
//! {"actor":"tu-1","at":"2025-01-06T08:00:00Z","event":{"addressee":"kadis","agenda_number":"SM/0001/2025","auto_close":false,"file_sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","letter_number":"B-123/KOMINFO/HM.01.01/01/2025","security":"ordinary","sender":"Kementerian Komunikasi dan Digital","subject":"Undangan Rapat","type":"register","urgency":"ordinary"},"key":"8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c","prev":"0000000000000000000000000000000000000000000000000000000000000000","seq":0,"sig":"c4395325d8a5632ab8541d9ab97261d2973457cd5f46ee6bdc36f63c17170fd4b6adf2fb17810fc57926fb715bccc9ab4dc5ef7113a2b3267578a22ff7a5c900","v":1}
//! ```
//!
//! whose SHA-256 is
//! `3e472c7b26da235352d093d294d30fc5c83619aedcb07a7cb31d9fddd1512ca9`. The
//! next entry (assignment `kadis-1` reads recipient 0 five minutes later,
//! same key) is
//!
//! ```text
//! {"actor":"kadis-1","at":"2025-01-06T08:05:00Z","event":{"recipient":0,"type":"read"},"key":"8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c","prev":"3e472c7b26da235352d093d294d30fc5c83619aedcb07a7cb31d9fddd1512ca9","seq":1,"sig":"495a64325c7c66f90ae0cc23bd69fdab30d5fe45f8051e079a6f577454203ee1d0e907341ad183e7300b54e7de126847bb4e0aa11545b17dbfc007895d6ca909","v":1}
//! ```
//!
//! The same checks in Python (standard library plus `cryptography`), which
//! agree with this crate on the example above:
//!
//! ```text
//! e = json.loads(line)
//! assert json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=False) == line  # ASCII keys only
//! entry_hash = hashlib.sha256(line.encode()).hexdigest()
//! sig = bytes.fromhex(e.pop("sig"))
//! msg = b"surat-journal-v1\n" + json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
//! Ed25519PublicKey.from_public_bytes(bytes.fromhex(e["key"])).verify(sig, msg)
//! ```
//!
//! (Python's `json.dumps` matches RFC 8785 for journal entries because every
//! key is ASCII — Python sorts keys by code point, RFC 8785 by UTF-16 unit —
//! and entries hold no floats; a general implementation should use a JCS
//! library.)

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};

use chrono::{DateTime, NaiveDateTime, Utc};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::canonical::to_canonical;
use super::digest::{Sha256Hash, from_hex, to_hex};
use super::error::JournalError;
use super::model::{DispositionTree, Event};
use super::org::{AssignmentId, Org};

/// The encoding version carried in every entry's `"v"` member.
pub const VERSION: u64 = 1;

/// The domain-separation prefix of the signature input.
pub const SIGNATURE_DOMAIN: &[u8] = b"surat-journal-v1\n";

/// Batas jurnal: limits on what a journal may hold, applied when reading
/// JSON lines and when recording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    max_line_bytes: usize,
    max_entries: usize,
}

impl Default for Limits {
    /// 64 KiB per line, 1,000,000 entries.
    fn default() -> Self {
        Self {
            max_line_bytes: 64 * 1024,
            max_entries: 1_000_000,
        }
    }
}

impl Limits {
    /// Sets the longest line in bytes (without its newline).
    pub fn max_line_bytes(mut self, n: usize) -> Self {
        self.max_line_bytes = n;
        self
    }
    /// Sets the largest number of entries.
    pub fn max_entries(mut self, n: usize) -> Self {
        self.max_entries = n;
        self
    }
}

/// Time as exactly `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
#[derive(Clone, Copy)]
struct Timestamp(DateTime<Utc>);

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

fn format_time(t: &DateTime<Utc>) -> String {
    t.format(TIME_FORMAT).to_string()
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_time(&self.0))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let t = NaiveDateTime::parse_from_str(&s, TIME_FORMAT)
            .ok()
            .map(|n| n.and_utc())
            .filter(|t| s.len() == 20 && format_time(t) == s)
            .ok_or_else(|| serde::de::Error::custom("expected a time YYYY-MM-DDTHH:MM:SSZ"))?;
        Ok(Self(t))
    }
}

/// Fixed-size byte strings as lowercase hex.
#[derive(Clone, Copy)]
struct Hex<const N: usize>([u8; N]);

impl<const N: usize> Serialize for Hex<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_hex(&self.0))
    }
}

impl<'de, const N: usize> Deserialize<'de> for Hex<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        from_hex(&s).map(Self).map_err(serde::de::Error::custom)
    }
}

/// The entry as written (borrowed for encoding).
#[derive(Serialize)]
struct WireOut<'a> {
    v: u64,
    seq: u64,
    prev: &'a Sha256Hash,
    at: Timestamp,
    actor: &'a AssignmentId,
    key: Hex<32>,
    event: &'a Event,
    #[serde(skip_serializing_if = "Option::is_none")]
    sig: Option<Hex<64>>,
}

/// The entry as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireIn {
    v: u64,
    seq: u64,
    prev: Sha256Hash,
    at: Timestamp,
    actor: AssignmentId,
    key: Hex<32>,
    event: Event,
    #[serde(default)]
    sig: Option<Hex<64>>,
}

/// Catatan jurnal: one signed entry, with the exact canonical bytes it was
/// read from or written as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    seq: u64,
    prev: Sha256Hash,
    at: DateTime<Utc>,
    actor: AssignmentId,
    key: [u8; 32],
    event: Event,
    sig: [u8; 64],
    line: Vec<u8>,
    hash: Sha256Hash,
}

impl Entry {
    /// `seq`: its zero-based position in the journal.
    pub fn seq(&self) -> u64 {
        self.seq
    }
    /// `prev`: the hash of the previous entry (zero for the first).
    pub fn prev(&self) -> Sha256Hash {
        self.prev
    }
    /// `at`: when the action happened.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
    /// `actor`: the assignment under which the action was taken.
    pub fn actor(&self) -> &AssignmentId {
        &self.actor
    }
    /// `key`: the Ed25519 public key that signed the entry.
    pub fn public_key(&self) -> &[u8; 32] {
        &self.key
    }
    /// `event`: the action.
    pub fn event(&self) -> &Event {
        &self.event
    }
    /// `sig`: the Ed25519 signature.
    pub fn signature(&self) -> &[u8; 64] {
        &self.sig
    }
    /// The canonical JSON of the whole entry: one line of the export,
    /// without its newline.
    pub fn canonical_bytes(&self) -> &[u8] {
        &self.line
    }
    /// The entry hash: SHA-256 of [`canonical_bytes`](Self::canonical_bytes).
    pub fn hash(&self) -> Sha256Hash {
        self.hash
    }

    fn wire(&self, with_sig: bool) -> WireOut<'_> {
        WireOut {
            v: VERSION,
            seq: self.seq,
            prev: &self.prev,
            at: Timestamp(self.at),
            actor: &self.actor,
            key: Hex(self.key),
            event: &self.event,
            sig: with_sig.then_some(Hex(self.sig)),
        }
    }

    /// The signature input: [`SIGNATURE_DOMAIN`] followed by the canonical
    /// JSON of the entry without its `"sig"` member.
    pub fn signing_input(&self) -> Result<Vec<u8>, JournalError> {
        signing_input(&self.wire(false))
    }
}

fn encoding_error(e: super::canonical::CanonicalError) -> JournalError {
    JournalError::Encoding {
        reason: match e {
            super::canonical::CanonicalError::Number => "number out of range",
            super::canonical::CanonicalError::Null => "null value",
            _ => "not serialisable",
        },
    }
}

fn signing_input(wire: &WireOut<'_>) -> Result<Vec<u8>, JournalError> {
    let body = to_canonical(wire).map_err(encoding_error)?;
    let mut m = Vec::with_capacity(SIGNATURE_DOMAIN.len() + body.len());
    m.extend_from_slice(SIGNATURE_DOMAIN);
    m.extend_from_slice(&body);
    Ok(m)
}

/// Cincin kunci: the Ed25519 public keys registered for each assignment.
#[derive(Clone, Debug, Default)]
pub struct KeyRing {
    keys: BTreeMap<AssignmentId, Vec<VerifyingKey>>,
}

impl KeyRing {
    /// An empty key ring.
    pub fn new() -> Self {
        Self::default()
    }
    /// Registers `key` as allowed to sign for `assignment`.
    pub fn add(&mut self, assignment: AssignmentId, key: VerifyingKey) {
        let keys = self.keys.entry(assignment).or_default();
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    fn find(&self, actor: &AssignmentId, key: &[u8; 32]) -> Option<&VerifyingKey> {
        self.keys.get(actor)?.iter().find(|k| k.as_bytes() == key)
    }
}

/// Jurnal terverifikasi: a journal whose every entry is linked, signed and
/// legal, together with the tree it folds to.
///
/// Obtained only by recording actions ([`record`](Self::record)) or by
/// [`verify`]ing an imported journal.
#[derive(Clone, Debug)]
pub struct Journal {
    entries: Vec<Entry>,
    tree: DispositionTree,
    limits: Limits,
}

impl Default for Journal {
    fn default() -> Self {
        Self::new()
    }
}

impl Journal {
    /// An empty journal with default [`Limits`].
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    /// An empty journal with these limits.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            entries: Vec::new(),
            tree: DispositionTree::new(),
            limits,
        }
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The tree the entries fold to.
    pub fn tree(&self) -> &DispositionTree {
        &self.tree
    }

    /// The hash of the last entry (zero when empty): commit to it elsewhere
    /// to detect truncation.
    pub fn head(&self) -> Sha256Hash {
        self.entries.last().map_or(Sha256Hash::ZERO, Entry::hash)
    }

    /// Records `event`, taken by `actor` at `at`, signed with `key`.
    ///
    /// The event must satisfy every rule of [`DispositionTree::apply`];
    /// otherwise nothing changes and the rule is returned as
    /// [`JournalError::Rule`].
    pub fn record(
        &mut self,
        org: &Org,
        key: &SigningKey,
        actor: &AssignmentId,
        at: DateTime<Utc>,
        event: Event,
    ) -> Result<&Entry, JournalError> {
        let index = self.entries.len();
        if index >= self.limits.max_entries {
            return Err(JournalError::TooManyEntries {
                max: self.limits.max_entries,
            });
        }
        let mut entry = Entry {
            seq: u64::try_from(index).unwrap_or(u64::MAX),
            prev: self.head(),
            at,
            actor: actor.clone(),
            key: key.verifying_key().to_bytes(),
            event,
            sig: [0; 64],
            line: Vec::new(),
            hash: Sha256Hash::ZERO,
        };
        entry.sig = key.sign(&entry.signing_input()?).to_bytes();
        entry.line = to_canonical(&entry.wire(true)).map_err(encoding_error)?;
        if entry.line.len() > self.limits.max_line_bytes {
            return Err(JournalError::LineTooLong {
                line: index + 1,
                len: entry.line.len(),
                max: self.limits.max_line_bytes,
            });
        }
        entry.hash = Sha256Hash::digest(&entry.line);
        // `apply` changes nothing when a rule fails, so the tree and the
        // entries stay in step.
        self.tree
            .apply(org, actor, at, &entry.event)
            .map_err(|source| JournalError::Rule { index, source })?;
        self.entries.push(entry);
        self.entries
            .last()
            .ok_or(JournalError::Encoding { reason: "empty" })
    }

    /// Writes the journal as JSON lines: each entry's canonical bytes
    /// followed by `\n`.
    pub fn write_json_lines<W: Write>(&self, mut out: W) -> std::io::Result<()> {
        for e in &self.entries {
            out.write_all(&e.line)?;
            out.write_all(b"\n")?;
        }
        out.flush()
    }

    /// The journal as JSON lines.
    pub fn to_json_lines(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.entries.iter().map(|e| e.line.len() + 1).sum());
        for e in &self.entries {
            out.extend_from_slice(&e.line);
            out.push(b'\n');
        }
        out
    }
}

/// Jurnal belum terverifikasi: entries read from JSON lines, each well formed
/// and canonical, but not yet checked for links, signatures or rules.
#[derive(Clone, Debug)]
pub struct UnverifiedJournal {
    entries: Vec<Entry>,
    limits: Limits,
}

impl UnverifiedJournal {
    /// The entries as read.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

/// Reads a journal from JSON lines in memory. See [`read_json_lines`].
pub fn parse_json_lines(input: &[u8], limits: Limits) -> Result<UnverifiedJournal, JournalError> {
    read_json_lines(input, limits)
}

/// Reads a journal from JSON lines, never holding more than one line beyond
/// the limit in memory.
///
/// Every line must end with `\n`, be at most `max_line_bytes` long, be valid
/// UTF-8, parse as an entry with exactly the documented members, and be
/// byte-for-byte the canonical encoding of that entry. The first failure is
/// returned with its one-based line number.
pub fn read_json_lines<R: BufRead>(
    mut reader: R,
    limits: Limits,
) -> Result<UnverifiedJournal, JournalError> {
    let mut entries = Vec::new();
    let mut buf = Vec::new();
    let mut line = 0usize;
    loop {
        buf.clear();
        let cap = u64::try_from(limits.max_line_bytes)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let n = (&mut reader)
            .take(cap)
            .read_until(b'\n', &mut buf)
            .map_err(|source| JournalError::Io { source })?;
        if n == 0 {
            break;
        }
        line += 1;
        let terminated = buf.last() == Some(&b'\n');
        if terminated {
            buf.pop();
        }
        if buf.len() > limits.max_line_bytes {
            return Err(JournalError::LineTooLong {
                line,
                len: buf.len(),
                max: limits.max_line_bytes,
            });
        }
        if !terminated {
            return Err(JournalError::Unterminated { line });
        }
        if buf.is_empty() {
            return Err(JournalError::EmptyLine { line });
        }
        if entries.len() >= limits.max_entries {
            return Err(JournalError::TooManyEntries {
                max: limits.max_entries,
            });
        }
        entries.push(parse_line(&buf, line)?);
    }
    Ok(UnverifiedJournal { entries, limits })
}

fn parse_line(bytes: &[u8], line: usize) -> Result<Entry, JournalError> {
    let text = std::str::from_utf8(bytes).map_err(|_| JournalError::NotUtf8 { line })?;
    let w: WireIn =
        serde_json::from_str(text).map_err(|source| JournalError::Malformed { line, source })?;
    if w.v != VERSION {
        return Err(JournalError::UnsupportedVersion { line, version: w.v });
    }
    let Some(sig) = w.sig else {
        return Err(JournalError::MissingSignature { line });
    };
    let entry = Entry {
        seq: w.seq,
        prev: w.prev,
        at: w.at.0,
        actor: w.actor,
        key: w.key.0,
        event: w.event,
        sig: sig.0,
        line: bytes.to_vec(),
        hash: Sha256Hash::digest(bytes),
    };
    // A value outside the canonical subset (e.g. an integer beyond 2^53 - 1)
    // has no canonical form: the line cannot be canonical either.
    let canonical =
        to_canonical(&entry.wire(true)).map_err(|_| JournalError::NonCanonical { line })?;
    if canonical != bytes {
        return Err(JournalError::NonCanonical { line });
    }
    Ok(entry)
}

/// Verifikasi jurnal: replays `journal` from an empty tree and returns the
/// verified [`Journal`], or the FIRST failure with its entry index.
///
/// For each entry, in order, checks: `seq` equals its index
/// ([`JournalError::SequenceMismatch`]); `prev` equals the hash of the
/// previous entry, or zero for the first ([`JournalError::BrokenLink`]); `key`
/// is registered in `keys` for `actor` ([`JournalError::UnknownKey`]); the
/// signature verifies (strict Ed25519, [`JournalError::BadSignature`]); the
/// event satisfies every disposition rule against the organisation `org`
/// ([`JournalError::Rule`]).
///
/// Signatures of journals with 256 entries or more are checked on up to
/// [`std::thread::available_parallelism`] scoped threads before the ordered
/// walk; the result is the same as a sequential check.
///
/// `org` must hold every assignment that ever acted in the journal, with its
/// validity interval: each entry is checked against the assignments active
/// at its own `at`, so an assignment that has since ended does not
/// invalidate what it did while it was valid. The organisation is an input,
/// not part of the journal, because the hierarchy is trusted context
/// (like the key ring), not a claim of the actors.
///
/// Truncation at the end cannot be seen from the journal alone: compare
/// [`Journal::head`] with a head hash kept elsewhere.
pub fn verify(
    journal: &UnverifiedJournal,
    org: &Org,
    keys: &KeyRing,
) -> Result<Journal, JournalError> {
    // Signatures are independent of each other: check them on all cores
    // first, then walk the entries in order so the FIRST failure wins.
    let signatures = check_signatures(&journal.entries, keys);
    let mut tree = DispositionTree::new();
    let mut prev = Sha256Hash::ZERO;
    for (index, e) in journal.entries.iter().enumerate() {
        if usize::try_from(e.seq).ok() != Some(index) {
            return Err(JournalError::SequenceMismatch {
                index,
                found: e.seq,
            });
        }
        if e.prev != prev {
            return Err(JournalError::BrokenLink { index });
        }
        if keys.find(&e.actor, &e.key).is_none() {
            return Err(JournalError::UnknownKey {
                index,
                actor: e.actor.clone(),
            });
        }
        if signatures.get(index) != Some(&true) {
            // Surface an encoding error if that was the cause.
            e.signing_input()?;
            return Err(JournalError::BadSignature { index });
        }
        tree.apply(org, &e.actor, e.at, &e.event)
            .map_err(|source| JournalError::Rule { index, source })?;
        prev = e.hash;
    }
    Ok(Journal {
        entries: journal.entries.clone(),
        tree,
        limits: journal.limits,
    })
}

/// Whether each entry's signature verifies under a key registered for its
/// actor (strict Ed25519).
fn signature_ok(e: &Entry, keys: &KeyRing) -> bool {
    let Some(key) = keys.find(&e.actor, &e.key) else {
        return false;
    };
    let Ok(message) = e.signing_input() else {
        return false;
    };
    key.verify_strict(&message, &Signature::from_bytes(&e.sig))
        .is_ok()
}

/// Below this many entries, threads cost more than they save.
const PARALLEL_THRESHOLD: usize = 256;

fn check_signatures(entries: &[Entry], keys: &KeyRing) -> Vec<bool> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 || entries.len() < PARALLEL_THRESHOLD {
        return entries.iter().map(|e| signature_ok(e, keys)).collect();
    }
    let chunk = entries.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|e| signature_ok(e, keys))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disposition::{Assignment, AssignmentKind, PositionId, RecipientId, Registration};
    use chrono::TimeZone;

    /// The worked example of the module docs.
    #[test]
    fn worked_example() {
        let kadis = PositionId::new("kadis").unwrap();
        let tu = AssignmentId::new("tu-1").unwrap();
        let budi = AssignmentId::new("kadis-1").unwrap();
        let mut org = Org::new();
        org.add_position(kadis.clone(), "Kepala Dinas", None)
            .unwrap();
        let since = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        org.add_assignment(Assignment::new(
            tu.clone(),
            kadis.clone(),
            AssignmentKind::Definitive,
            "Siti",
            since,
        ))
        .unwrap();
        org.add_assignment(Assignment::new(
            budi.clone(),
            kadis.clone(),
            AssignmentKind::Definitive,
            "Budi",
            since,
        ))
        .unwrap();
        let key = SigningKey::from_bytes(&[1; 32]);
        let mut j = Journal::new();
        let at = Utc.with_ymd_and_hms(2025, 1, 6, 8, 0, 0).unwrap();
        let reg = Registration::new("SM/0001/2025", Sha256Hash::digest(b"abc"), kadis)
            .sender("Kementerian Komunikasi dan Digital")
            .letter_number("B-123/KOMINFO/HM.01.01/01/2025")
            .subject("Undangan Rapat");
        j.record(&org, &key, &tu, at, Event::Register(reg)).unwrap();
        j.record(
            &org,
            &key,
            &budi,
            at + chrono::Duration::minutes(5),
            Event::Read {
                recipient: RecipientId::ROOT,
            },
        )
        .unwrap();
        let lines = String::from_utf8(j.to_json_lines()).unwrap();
        let docs = include_str!("journal.rs");
        for line in lines.lines() {
            assert!(docs.contains(&format!("//! {line}\n")), "docs show {line}");
        }
        assert_eq!(
            j.entries()[0].hash().to_string(),
            "3e472c7b26da235352d093d294d30fc5c83619aedcb07a7cb31d9fddd1512ca9"
        );
        assert_eq!(
            to_hex(key.verifying_key().as_bytes()),
            "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"
        );
        let input = j.entries()[0].signing_input().unwrap();
        assert!(input.starts_with(b"surat-journal-v1\n{\"actor\":\"tu-1\""));
        let body = std::str::from_utf8(&input[SIGNATURE_DOMAIN.len()..]).unwrap();
        assert!(docs.contains(&format!("//! {body}\n")));
    }
}
