//! The content of a letter and its canonical hash.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    AssignmentKind, Category, LetterError, LetterKind, Person, Position, Security, Urgency,
};

/// Kode klasifikasi arsip: the archive classification code, numeric
/// (Permendagri 83/2022, e.g. `000.8.3.3`) or alphanumeric (K/L, e.g. `KP.07.6`).
///
/// Grammar: one or more segments of ASCII letters and digits separated by `.`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClassificationCode(String);

impl ClassificationCode {
    /// Parses a classification code.
    pub fn new(code: &str) -> Result<Self, LetterError> {
        if is_classification_code(code) {
            Ok(ClassificationCode(code.to_owned()))
        } else {
            Err(LetterError::InvalidClassificationCode {
                code: code.to_owned(),
            })
        }
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub(crate) fn is_classification_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .split('.')
            .all(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl fmt::Display for ClassificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl TryFrom<String> for ClassificationCode {
    type Error = LetterError;
    fn try_from(v: String) -> Result<Self, Self::Error> {
        ClassificationCode::new(&v)
    }
}
impl From<ClassificationCode> for String {
    fn from(c: ClassificationCode) -> String {
        c.0
    }
}

/// Lampiran: the attachments of a letter, as a count and a unit
/// ("1 (satu) berkas", "3 (tiga) lembar").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AttachmentRepr")]
pub struct Attachment {
    count: u32,
    unit: String,
}

#[derive(Deserialize)]
struct AttachmentRepr {
    count: u32,
    unit: String,
}
impl TryFrom<AttachmentRepr> for Attachment {
    type Error = LetterError;
    fn try_from(r: AttachmentRepr) -> Result<Self, Self::Error> {
        Attachment::new(r.count, r.unit)
    }
}

impl Attachment {
    /// Creates an attachment line; `count` must be at least 1.
    pub fn new(count: u32, unit: impl Into<String>) -> Result<Self, LetterError> {
        let unit = unit.into().trim().to_owned();
        if unit.is_empty() || count == 0 {
            return Err(LetterError::Empty {
                field: "attachment",
            });
        }
        Ok(Attachment { count, unit })
    }
    /// Number of items.
    pub fn count(&self) -> u32 {
        self.count
    }
    /// Unit ("berkas", "lembar", "eksemplar").
    pub fn unit(&self) -> &str {
        &self.unit
    }
}

impl fmt::Display for Attachment {
    /// "1 (satu) berkas".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}) {}",
            self.count,
            spell_out(self.count),
            self.unit
        )
    }
}

/// Terbilang: spells a number out in Indonesian ("dua belas", "seratus satu").
pub(crate) fn spell_out(n: u32) -> String {
    const ONES: [&str; 12] = [
        "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
        "sepuluh", "sebelas",
    ];
    fn go(n: u64) -> String {
        match n {
            0..=11 => ONES.get(n as usize).copied().unwrap_or_default().to_owned(),
            12..=19 => format!("{} belas", go(n - 10)),
            20..=99 => join(format!("{} puluh", go(n / 10)), n % 10),
            100..=199 => join("seratus".to_owned(), n - 100),
            200..=999 => join(format!("{} ratus", go(n / 100)), n % 100),
            1000..=1999 => join("seribu".to_owned(), n - 1000),
            2000..=999_999 => join(format!("{} ribu", go(n / 1000)), n % 1000),
            1_000_000..=999_999_999 => join(format!("{} juta", go(n / 1_000_000)), n % 1_000_000),
            _ => join(
                format!("{} miliar", go(n / 1_000_000_000)),
                n % 1_000_000_000,
            ),
        }
    }
    fn join(head: String, rest: u64) -> String {
        if rest == 0 {
            head
        } else {
            format!("{head} {}", go(rest))
        }
    }
    go(u64::from(n))
}

/// Alamat: an addressee or copy recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "AddresseeRepr")]
#[non_exhaustive]
pub enum Addressee {
    /// A position in the same organisation (or on the same platform).
    Internal {
        /// The position addressed.
        position: Position,
    },
    /// An outside party.
    External {
        /// Name or title of the party ("Kepala Badan Siber dan Sandi Negara").
        name: String,
        /// Place, rendered on the "di" line ("Jakarta").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        place: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum AddresseeRepr {
    Internal {
        position: Position,
    },
    External {
        name: String,
        #[serde(default)]
        place: Option<String>,
    },
}
impl TryFrom<AddresseeRepr> for Addressee {
    type Error = LetterError;
    fn try_from(r: AddresseeRepr) -> Result<Self, Self::Error> {
        match r {
            AddresseeRepr::Internal { position } => Ok(Addressee::internal(position)),
            AddresseeRepr::External { name, place } => Addressee::external(name, place),
        }
    }
}

impl Addressee {
    /// An internal position.
    pub fn internal(position: Position) -> Self {
        Addressee::Internal { position }
    }
    /// An outside party, with an optional place.
    pub fn external(name: impl Into<String>, place: Option<String>) -> Result<Self, LetterError> {
        let name = name.into().trim().to_owned();
        if name.is_empty() {
            return Err(LetterError::Empty { field: "addressee" });
        }
        Ok(Addressee::External {
            name,
            place: place.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()),
        })
    }
    /// The text written after "Yth." or in the tembusan list.
    pub fn name(&self) -> &str {
        match self {
            Addressee::Internal { position } => position.title(),
            Addressee::External { name, .. } => name,
        }
    }
    /// The place for the "di" line, if any.
    pub fn place(&self) -> Option<&str> {
        match self {
            Addressee::Internal { .. } => None,
            Addressee::External { place, .. } => place.as_deref(),
        }
    }
}

impl fmt::Display for Addressee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Penanda delegasi: how the signer signs relative to the principal
/// (Permendagri 1/2023; layout as in Perbup examples).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Delegation {
    /// Langsung: the signer signs in their own name.
    Direct,
    /// a.n. (atas nama): on behalf of the principal.
    /// `a.n. BUPATI KUDUS / SEKRETARIS DAERAH,`
    OnBehalfOf {
        /// The official on whose behalf the letter is signed.
        principal: Position,
    },
    /// a.n. … u.b. (untuk beliau): on behalf of the principal, through an
    /// intermediary. `a.n. BUPATI … / SEKRETARIS DAERAH / u.b. / ASISTEN ADMINISTRASI,`
    OnBehalfOfThrough {
        /// The official on whose behalf the letter is signed.
        principal: Position,
        /// The official who delegated further.
        intermediary: Position,
    },
    /// Plt. (pelaksana tugas) of the principal. `Plt. BUPATI … / WAKIL BUPATI,`
    Acting {
        /// The position being filled.
        principal: Position,
    },
    /// Plh. (pelaksana harian) of the principal.
    DailyExecutive {
        /// The position being filled.
        principal: Position,
    },
    /// Pj. (penjabat) of the principal. `Pj. BUPATI …,`
    Interim {
        /// The position being filled.
        principal: Position,
    },
}

/// Cara tanda tangan: electronic (TTE) or wet-ink (basah).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignatureMode {
    /// Tanda tangan elektronik.
    #[default]
    Electronic,
    /// Tanda tangan basah (paper, scanned).
    Wet,
}

/// Blok tanda tangan: who signs, in which capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureBlock {
    delegation: Delegation,
    position: Position,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signer: Option<Person>,
    #[serde(default)]
    mode: SignatureMode,
}

impl SignatureBlock {
    /// A block for the holder of `position`, signing as described by `delegation`.
    pub fn new(delegation: Delegation, position: Position) -> Self {
        SignatureBlock {
            delegation,
            position,
            signer: None,
            mode: SignatureMode::Electronic,
        }
    }
    /// The expected signer (printed under the signature).
    pub fn with_signer(mut self, signer: Person) -> Self {
        self.signer = Some(signer);
        self
    }
    /// Electronic or wet-ink signature.
    pub fn with_mode(mut self, mode: SignatureMode) -> Self {
        self.mode = mode;
        self
    }
    /// Delegation marker.
    pub fn delegation(&self) -> &Delegation {
        &self.delegation
    }
    /// The position whose holder signs.
    pub fn position(&self) -> &Position {
        &self.position
    }
    /// The signer, if known.
    pub fn signer(&self) -> Option<&Person> {
        self.signer.as_ref()
    }
    /// Signature mode.
    pub fn mode(&self) -> SignatureMode {
        self.mode
    }

    /// The position whose authority the signature exercises: the principal
    /// for Plt./Plh./Pj. (the signer holds it under a mandate or interim
    /// assignment), otherwise the block's own position.
    pub fn signing_position(&self) -> &Position {
        match &self.delegation {
            Delegation::Acting { principal }
            | Delegation::DailyExecutive { principal }
            | Delegation::Interim { principal } => principal,
            _ => &self.position,
        }
    }

    /// Checks that an assignment of `kind` fits the delegation marker: Plt.
    /// needs an acting assignment, Plh. a daily-executive one, Pj. an interim
    /// (Pj./Pjs.) one; the other markers need the definitive holder (a
    /// mandate holder signs with the Plt./Plh. marker instead).
    pub fn check_assignment_kind(&self, kind: AssignmentKind) -> Result<(), LetterError> {
        let ok = match &self.delegation {
            Delegation::Acting { .. } => kind == AssignmentKind::Acting,
            Delegation::DailyExecutive { .. } => kind == AssignmentKind::DailyExecutive,
            Delegation::Interim { .. } => matches!(
                kind,
                AssignmentKind::Interim | AssignmentKind::TemporaryInterim
            ),
            _ => kind == AssignmentKind::Definitive,
        };
        if ok {
            Ok(())
        } else {
            Err(LetterError::DelegationMismatch { assignment: kind })
        }
    }

    /// The capacity lines above the signature, in capitals, the last one
    /// ending with a comma, e.g. `["a.n. BUPATI KUDUS", "SEKRETARIS DAERAH,"]`.
    pub fn capacity_lines(&self) -> Vec<String> {
        let own = self.position.title().to_uppercase();
        let mut lines = Vec::new();
        let mut prefixed = |prefix: &str, principal: &Position| {
            let p = principal.title().to_uppercase();
            lines.push(format!("{prefix} {p}"));
            if principal != &self.position {
                lines.push(own.clone());
            }
        };
        match &self.delegation {
            Delegation::Direct => lines.push(own.clone()),
            Delegation::OnBehalfOf { principal } => prefixed("a.n.", principal),
            Delegation::OnBehalfOfThrough {
                principal,
                intermediary,
            } => {
                lines.push(format!("a.n. {}", principal.title().to_uppercase()));
                lines.push(intermediary.title().to_uppercase());
                lines.push("u.b.".to_owned());
                lines.push(own.clone());
            }
            Delegation::Acting { principal } => prefixed("Plt.", principal),
            Delegation::DailyExecutive { principal } => prefixed("Plh.", principal),
            Delegation::Interim { principal } => prefixed("Pj.", principal),
        }
        if let Some(last) = lines.last_mut() {
            last.push(',');
        }
        lines
    }

    /// The lines under the signature: name, then rank and NIP when they are
    /// printed. Permendagri 1/2023 Ps.44: naskah pengaturan and penetapan carry
    /// the name without academic titles; an official acting as Plt./Plh./Pj.
    /// is printed without rank and NIP.
    pub fn name_lines(&self, kind: &LetterKind) -> Vec<String> {
        let Some(p) = &self.signer else {
            return Vec::new();
        };
        let bare = matches!(
            kind.category(),
            Category::Regulating | Category::Determining
        );
        let mut lines = vec![if bare {
            p.name().to_owned()
        } else {
            p.full_name()
        }];
        let acting = matches!(
            self.delegation,
            Delegation::Acting { .. }
                | Delegation::DailyExecutive { .. }
                | Delegation::Interim { .. }
        );
        if !acting {
            if let Some(r) = p.rank() {
                lines.push(r.to_owned());
            }
            if let Some(n) = p.nip() {
                lines.push(format!("NIP {n}"));
            }
        }
        lines
    }
}

/// SHA-256 of the canonical encoding of a letter's content; what a paraf binds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContentHash(pub [u8; 32]);

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}
impl From<ContentHash> for String {
    fn from(h: ContentHash) -> String {
        h.to_string()
    }
}
impl TryFrom<String> for ContentHash {
    type Error = LetterError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        let bad = || LetterError::Inconsistent {
            reason: "content hash is not 64 hex digits",
        };
        if s.len() != 64 {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            let pair = s.get(2 * i..2 * i + 2).ok_or_else(bad)?;
            *o = u8::from_str_radix(pair, 16).map_err(|_| bad())?;
        }
        Ok(ContentHash(out))
    }
}

/// Naskah dinas: the content of one version of an official letter.
///
/// Build it with [`Letter::builder`]. The number and date (nomor, tanggal) are
/// set only when signing is prepared ([`Letter::with_number`]); they are not
/// part of the [content hash](Letter::content_hash) that reviewers approve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LetterBuilder")]
pub struct Letter {
    kind: LetterKind,
    security: Security,
    urgency: Urgency,
    #[serde(skip_serializing_if = "Option::is_none")]
    classification: Option<ClassificationCode>,
    place: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attachment: Option<Attachment>,
    addressees: Vec<Addressee>,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination: Option<String>,
    body: Vec<String>,
    signature: SignatureBlock,
    copies: Vec<Addressee>,
}

/// Builder for [`Letter`]; also its serde form.
#[derive(Debug, Clone, Deserialize)]
pub struct LetterBuilder {
    kind: LetterKind,
    #[serde(default = "default_security")]
    security: Security,
    #[serde(default = "default_urgency")]
    urgency: Urgency,
    #[serde(default)]
    classification: Option<ClassificationCode>,
    place: String,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    attachment: Option<Attachment>,
    #[serde(default)]
    addressees: Vec<Addressee>,
    #[serde(default)]
    destination: Option<String>,
    #[serde(default)]
    body: Vec<String>,
    signature: SignatureBlock,
    #[serde(default)]
    copies: Vec<Addressee>,
}

fn default_security() -> Security {
    Security::Ordinary
}
fn default_urgency() -> Urgency {
    Urgency::Ordinary
}

impl LetterBuilder {
    /// Sifat (default Biasa).
    pub fn security(mut self, s: Security) -> Self {
        self.security = s;
        self
    }
    /// Urgensi (default Biasa).
    pub fn urgency(mut self, u: Urgency) -> Self {
        self.urgency = u;
        self
    }
    /// Kode klasifikasi arsip.
    pub fn classification(mut self, c: ClassificationCode) -> Self {
        self.classification = Some(c);
        self
    }
    /// Hal: the subject.
    pub fn subject(mut self, s: impl Into<String>) -> Self {
        self.subject = Some(s.into());
        self
    }
    /// Lampiran.
    pub fn attachment(mut self, a: Attachment) -> Self {
        self.attachment = Some(a);
        self
    }
    /// Adds an addressee (Yth.).
    pub fn to(mut self, a: Addressee) -> Self {
        self.addressees.push(a);
        self
    }
    /// The "di" line under the addressees ("Tempat", "Kudus").
    pub fn destination(mut self, d: impl Into<String>) -> Self {
        self.destination = Some(d.into());
        self
    }
    /// Adds a body paragraph.
    pub fn paragraph(mut self, p: impl Into<String>) -> Self {
        self.body.push(p.into());
        self
    }
    /// Adds a copy recipient (tembusan).
    pub fn copy_to(mut self, a: Addressee) -> Self {
        self.copies.push(a);
        self
    }
    /// Replaces the signature block.
    pub fn signature(mut self, s: SignatureBlock) -> Self {
        self.signature = s;
        self
    }
    /// Checks the invariants and builds the letter.
    pub fn build(self) -> Result<Letter, LetterError> {
        Letter::try_from(self)
    }
}

fn clean_opt(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl TryFrom<LetterBuilder> for Letter {
    type Error = LetterError;
    fn try_from(b: LetterBuilder) -> Result<Self, Self::Error> {
        b.kind.validate()?;
        let place = b.place.trim().to_owned();
        if place.is_empty() {
            return Err(LetterError::Empty { field: "place" });
        }
        if b.body.iter().any(|p| p.trim().is_empty()) {
            return Err(LetterError::Empty {
                field: "body paragraph",
            });
        }
        let number = clean_opt(b.number);
        if number.is_some() != b.date.is_some() {
            return Err(LetterError::Inconsistent {
                reason: "number and date are set together",
            });
        }
        Ok(Letter {
            kind: b.kind,
            security: b.security,
            urgency: b.urgency,
            classification: b.classification,
            place,
            date: b.date,
            number,
            subject: clean_opt(b.subject),
            attachment: b.attachment,
            addressees: b.addressees,
            destination: clean_opt(b.destination),
            body: b.body.into_iter().map(|p| p.trim().to_owned()).collect(),
            signature: b.signature,
            copies: b.copies,
        })
    }
}

impl Letter {
    /// Starts a letter of `kind`, written at `place` (the city on the date
    /// line), signed as described by `signature`.
    pub fn builder(
        kind: LetterKind,
        place: impl Into<String>,
        signature: SignatureBlock,
    ) -> LetterBuilder {
        LetterBuilder {
            kind,
            security: Security::Ordinary,
            urgency: Urgency::Ordinary,
            classification: None,
            place: place.into(),
            date: None,
            number: None,
            subject: None,
            attachment: None,
            addressees: Vec::new(),
            destination: None,
            body: Vec::new(),
            signature,
            copies: Vec::new(),
        }
    }

    /// A builder holding this letter's content, to make a revised version.
    /// The number and date are dropped.
    pub fn to_builder(&self) -> LetterBuilder {
        LetterBuilder {
            kind: self.kind.clone(),
            security: self.security,
            urgency: self.urgency,
            classification: self.classification.clone(),
            place: self.place.clone(),
            date: None,
            number: None,
            subject: self.subject.clone(),
            attachment: self.attachment.clone(),
            addressees: self.addressees.clone(),
            destination: self.destination.clone(),
            body: self.body.clone(),
            signature: self.signature.clone(),
            copies: self.copies.clone(),
        }
    }

    /// This letter with its number and date (tanggal naskah = signing date).
    pub fn with_number(
        mut self,
        number: impl Into<String>,
        date: NaiveDate,
    ) -> Result<Self, LetterError> {
        let n = number.into().trim().to_owned();
        if n.is_empty() {
            return Err(LetterError::Empty { field: "number" });
        }
        self.number = Some(n);
        self.date = Some(date);
        Ok(self)
    }

    pub(crate) fn with_signer(mut self, signer: Person) -> Self {
        self.signature.signer = Some(signer);
        self
    }

    /// Jenis naskah.
    pub fn kind(&self) -> &LetterKind {
        &self.kind
    }
    /// Sifat.
    pub fn security(&self) -> Security {
        self.security
    }
    /// Urgensi.
    pub fn urgency(&self) -> Urgency {
        self.urgency
    }
    /// Kode klasifikasi arsip.
    pub fn classification(&self) -> Option<&ClassificationCode> {
        self.classification.as_ref()
    }
    /// Tempat: the place on the date line.
    pub fn place(&self) -> &str {
        &self.place
    }
    /// Tanggal naskah, once numbered.
    pub fn date(&self) -> Option<NaiveDate> {
        self.date
    }
    /// Nomor naskah, once numbered.
    pub fn number(&self) -> Option<&str> {
        self.number.as_deref()
    }
    /// Hal.
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }
    /// Lampiran.
    pub fn attachment(&self) -> Option<&Attachment> {
        self.attachment.as_ref()
    }
    /// Kepada (Yth.).
    pub fn addressees(&self) -> &[Addressee] {
        &self.addressees
    }
    /// The "di" line.
    pub fn destination(&self) -> Option<&str> {
        self.destination.as_deref()
    }
    /// Isi: body paragraphs.
    pub fn body(&self) -> &[String] {
        &self.body
    }
    /// Blok tanda tangan.
    pub fn signature(&self) -> &SignatureBlock {
        &self.signature
    }
    /// Tembusan.
    pub fn copies(&self) -> &[Addressee] {
        &self.copies
    }

    /// Checks what a letter needs before it can go to review.
    pub fn check_complete(&self) -> Result<(), LetterError> {
        if self.addressees.is_empty() {
            return Err(LetterError::MissingAddressee);
        }
        if self.classification.is_none() {
            return Err(LetterError::MissingClassification);
        }
        if self.body.is_empty() {
            return Err(LetterError::MissingBody);
        }
        Ok(())
    }

    /// The canonical encoding of the content that reviewers approve.
    ///
    /// Format (version 1), reproducible in any language: the ASCII tag
    /// `surat.letter.content.v1`, then each field as its ASCII `name`, a `0x00`
    /// byte, the value's byte length as a big-endian `u32`, and the value in
    /// UTF-8. Fields come in this order; absent optional fields are omitted;
    /// list items get an index (`to.0`, `to.1`, …); `a\nb` means two parts
    /// joined by a line feed:
    ///
    /// | field | value |
    /// |---|---|
    /// | `kind` | the JSON name (`official_letter`), or `custom:` + name |
    /// | `security` | code `B`, `T`, `R`, `SR` |
    /// | `urgency` | `Biasa`, `Segera`, `Amat Segera` |
    /// | `classification` | the code |
    /// | `place`, `subject` | text |
    /// | `attachment` | count `\n` unit |
    /// | `to.i`, `copy.i` | `internal:` id `\n` title, or `external:` name `\n` place |
    /// | `destination` | text |
    /// | `body.i` | paragraph |
    /// | `signature.delegation` | `direct`, `on_behalf_of`, `on_behalf_of_through`, `acting`, `daily_executive`, `interim` |
    /// | `signature.principal`, `signature.intermediary`, `signature.position` | id `\n` title |
    /// | `signature.signer` | front title `\n` name `\n` back title `\n` NIP `\n` rank (empty parts for absent ones) |
    /// | `signature.mode` | `electronic` or `wet` |
    ///
    /// The number and date are excluded: they are fixed after approval.
    pub fn canonical_content(&self) -> Vec<u8> {
        let mut e = Canonical(b"surat.letter.content.v1".to_vec());
        let kind = match &self.kind {
            LetterKind::Custom(name) => format!("custom:{name}"),
            k => serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        };
        e.field("kind", &kind);
        e.field("security", self.security.code());
        e.field("urgency", &self.urgency.to_string());
        if let Some(c) = &self.classification {
            e.field("classification", c.as_str());
        }
        e.field("place", &self.place);
        if let Some(s) = &self.subject {
            e.field("subject", s);
        }
        if let Some(a) = &self.attachment {
            e.field("attachment", &format!("{}\n{}", a.count(), a.unit()));
        }
        e.addressees("to", &self.addressees);
        if let Some(d) = &self.destination {
            e.field("destination", d);
        }
        for (i, p) in self.body.iter().enumerate() {
            e.field(&format!("body.{i}"), p);
        }
        let sig = &self.signature;
        let pos = |p: &Position| format!("{}\n{}", p.id(), p.title());
        let (delegation, principal, intermediary) = match sig.delegation() {
            Delegation::Direct => ("direct", None, None),
            Delegation::OnBehalfOf { principal } => ("on_behalf_of", Some(principal), None),
            Delegation::OnBehalfOfThrough {
                principal,
                intermediary,
            } => ("on_behalf_of_through", Some(principal), Some(intermediary)),
            Delegation::Acting { principal } => ("acting", Some(principal), None),
            Delegation::DailyExecutive { principal } => ("daily_executive", Some(principal), None),
            Delegation::Interim { principal } => ("interim", Some(principal), None),
        };
        e.field("signature.delegation", delegation);
        if let Some(p) = principal {
            e.field("signature.principal", &pos(p));
        }
        if let Some(p) = intermediary {
            e.field("signature.intermediary", &pos(p));
        }
        e.field("signature.position", &pos(sig.position()));
        if let Some(p) = sig.signer() {
            let v = [
                p.front_title().unwrap_or(""),
                p.name(),
                p.back_title().unwrap_or(""),
                p.nip().map_or("", |n| n.as_str()),
                p.rank().unwrap_or(""),
            ]
            .join("\n");
            e.field("signature.signer", &v);
        }
        e.field(
            "signature.mode",
            match sig.mode() {
                SignatureMode::Electronic => "electronic",
                SignatureMode::Wet => "wet",
            },
        );
        e.addressees("copy", &self.copies);
        e.0
    }

    /// SHA-256 of [`canonical_content`](Letter::canonical_content).
    pub fn content_hash(&self) -> ContentHash {
        ContentHash(Sha256::digest(self.canonical_content()).into())
    }
}

struct Canonical(Vec<u8>);

impl Canonical {
    fn field(&mut self, name: &str, value: &str) {
        self.0.extend_from_slice(name.as_bytes());
        self.0.push(0);
        let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
        self.0.extend_from_slice(&len.to_be_bytes());
        self.0.extend_from_slice(value.as_bytes());
    }
    fn addressees(&mut self, prefix: &str, list: &[Addressee]) {
        for (i, a) in list.iter().enumerate() {
            let v = match a {
                Addressee::Internal { position } => {
                    format!("internal:{}\n{}", position.id(), position.title())
                }
                Addressee::External { name, place } => {
                    format!("external:{name}\n{}", place.as_deref().unwrap_or(""))
                }
            };
            self.field(&format!("{prefix}.{i}"), &v);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample_letter() -> Letter {
        let kadis = Position::new(
            "kadis-kominfo",
            "Kepala Dinas Komunikasi dan Informatika",
            2,
        )
        .unwrap()
        .with_unit_code("Diskominfo");
        let bupati = Position::new("bupati", "Bupati Kudus", 0).unwrap();
        let signer = Person::new("Budi Santoso")
            .unwrap()
            .with_back_title("S.Kom., M.T.")
            .with_rank("Pembina Tingkat I (IV/b)")
            .with_nip(crate::letter::Nip::new("197905122005011003").unwrap());
        Letter::builder(
            LetterKind::OfficialLetter,
            "Kudus",
            SignatureBlock::new(Delegation::Direct, kadis).with_signer(signer),
        )
        .classification(ClassificationCode::new("000.8.3.3").unwrap())
        .subject("Laporan Pelaksanaan Transformasi Digital")
        .attachment(Attachment::new(1, "berkas").unwrap())
        .to(Addressee::internal(bupati))
        .destination("Kudus")
        .paragraph("Dengan hormat, bersama ini kami sampaikan laporan.")
        .paragraph("Demikian atas perhatiannya kami ucapkan terima kasih.")
        .build()
        .unwrap()
    }

    #[test]
    fn spell_out_indonesian() {
        assert_eq!(spell_out(1), "satu");
        assert_eq!(spell_out(11), "sebelas");
        assert_eq!(spell_out(12), "dua belas");
        assert_eq!(spell_out(21), "dua puluh satu");
        assert_eq!(spell_out(100), "seratus");
        assert_eq!(spell_out(115), "seratus lima belas");
        assert_eq!(spell_out(1001), "seribu satu");
        assert_eq!(spell_out(2025), "dua ribu dua puluh lima");
        assert_eq!(
            Attachment::new(1, "berkas").unwrap().to_string(),
            "1 (satu) berkas"
        );
        assert!(Attachment::new(0, "berkas").is_err());
    }

    #[test]
    fn classification_code_grammar() {
        assert!(ClassificationCode::new("000.8.3.3").is_ok());
        assert!(ClassificationCode::new("KP.07.6").is_ok());
        assert!(ClassificationCode::new("HM.01.01").is_ok());
        assert!(ClassificationCode::new("000..3").is_err());
        assert!(ClassificationCode::new(".1").is_err());
        assert!(ClassificationCode::new("0/1").is_err());
        assert!(serde_json::from_str::<ClassificationCode>("\"a b\"").is_err());
    }

    #[test]
    fn capacity_lines_follow_regulation_examples() {
        let bupati = Position::new("bupati", "Bupati Kudus", 0).unwrap();
        let sekda = Position::new("sekda", "Sekretaris Daerah", 1).unwrap();
        let asisten = Position::new("as3", "Asisten Administrasi", 2).unwrap();
        let wabup = Position::new("wabup", "Wakil Bupati", 0).unwrap();
        let an = SignatureBlock::new(
            Delegation::OnBehalfOf {
                principal: bupati.clone(),
            },
            sekda.clone(),
        );
        assert_eq!(
            an.capacity_lines(),
            ["a.n. BUPATI KUDUS", "SEKRETARIS DAERAH,"]
        );
        let ub = SignatureBlock::new(
            Delegation::OnBehalfOfThrough {
                principal: bupati.clone(),
                intermediary: sekda,
            },
            asisten,
        );
        assert_eq!(
            ub.capacity_lines(),
            [
                "a.n. BUPATI KUDUS",
                "SEKRETARIS DAERAH",
                "u.b.",
                "ASISTEN ADMINISTRASI,"
            ]
        );
        let plt = SignatureBlock::new(
            Delegation::Acting {
                principal: bupati.clone(),
            },
            wabup,
        );
        assert_eq!(plt.capacity_lines(), ["Plt. BUPATI KUDUS", "WAKIL BUPATI,"]);
        let pj = SignatureBlock::new(
            Delegation::Interim {
                principal: bupati.clone(),
            },
            bupati.clone(),
        );
        assert_eq!(pj.capacity_lines(), ["Pj. BUPATI KUDUS,"]);
        assert_eq!(
            SignatureBlock::new(Delegation::Direct, bupati).capacity_lines(),
            ["BUPATI KUDUS,"]
        );
    }

    #[test]
    fn name_lines_follow_ps44() {
        let l = sample_letter();
        assert_eq!(
            l.signature().name_lines(l.kind()),
            [
                "Budi Santoso, S.Kom., M.T.",
                "Pembina Tingkat I (IV/b)",
                "NIP 197905122005011003"
            ]
        );
        // penetapan: no academic titles
        assert_eq!(
            l.signature().name_lines(&LetterKind::Decree)[0],
            "Budi Santoso"
        );
    }

    #[test]
    fn hash_changes_with_content_not_with_number() {
        let l = sample_letter();
        let h = l.content_hash();
        let numbered = l
            .clone()
            .with_number(
                "000.8.3.3/1/Diskominfo",
                NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
            )
            .unwrap();
        assert_eq!(numbered.content_hash(), h);
        let edited = l.to_builder().paragraph("Tambahan.").build().unwrap();
        assert_ne!(edited.content_hash(), h);
        let reworded = l.to_builder().subject("Laporan Lain").build().unwrap();
        assert_ne!(reworded.content_hash(), h);
    }

    #[test]
    fn canonical_encoding_is_stable() {
        // Golden value, reproduced independently by scripts/letter_content_hash.py.
        // Changing the encoding invalidates every stored paraf,
        // so it must be a deliberate, versioned change.
        let l = sample_letter();
        let enc = l.canonical_content();
        assert!(enc.starts_with(b"surat.letter.content.v1kind\0\0\0\0\x0fofficial_letter"));
        assert_eq!(
            l.content_hash().to_string(),
            "61c3feb51a600faba943f6b4db09d5e7bfca118b6319e571d9d6fc89ca432fee"
        );
        // renaming an addressed position changes the approved content
        let bupati = Position::new("bupati", "Bupati Kudus Baru", 0).unwrap();
        let mut b = l.to_builder();
        b.addressees = vec![Addressee::internal(bupati)];
        assert_ne!(b.build().unwrap().content_hash(), l.content_hash());
    }

    #[test]
    fn serde_round_trip_and_rechecks() {
        let l = sample_letter();
        let json = serde_json::to_string(&l).unwrap();
        let back: Letter = serde_json::from_str(&json).unwrap();
        assert_eq!(back, l);
        assert_eq!(back.content_hash(), l.content_hash());
        let bad = json.replacen("\"place\":\"Kudus\"", "\"place\":\"  \"", 1);
        assert!(serde_json::from_str::<Letter>(&bad).is_err());
        let bad_nip = json.replace("197905122005011003", "197905122005013003");
        assert!(serde_json::from_str::<Letter>(&bad_nip).is_err());
        let h: ContentHash =
            serde_json::from_str(&serde_json::to_string(&l.content_hash()).unwrap()).unwrap();
        assert_eq!(h, l.content_hash());
    }
}
