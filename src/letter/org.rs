//! Jabatan, pegawai and penugasan: positions, people and the dated
//! assignments through which a person acts for a position.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{LetterError, LetterKind};

fn non_blank(field: &'static str, value: String) -> Result<String, LetterError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(LetterError::Empty { field });
    }
    if trimmed.len() == value.len() {
        Ok(value)
    } else {
        Ok(trimmed.to_owned())
    }
}

fn opt_non_blank(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Jabatan: an organisational position. Letters are addressed to, reviewed by
/// and signed by positions, not people.
///
/// Positions are compared by their `id`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "PositionRepr")]
pub struct Position {
    id: String,
    title: String,
    level: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit_code: Option<String>,
}

#[derive(Deserialize)]
struct PositionRepr {
    id: String,
    title: String,
    level: u8,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    unit_code: Option<String>,
}

impl TryFrom<PositionRepr> for Position {
    type Error = LetterError;
    fn try_from(r: PositionRepr) -> Result<Self, Self::Error> {
        let mut p = Position::new(r.id, r.title, r.level)?;
        p.code = opt_non_blank(r.code);
        p.unit_code = opt_non_blank(r.unit_code);
        Ok(p)
    }
}

impl PartialEq for Position {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl Eq for Position {}

impl Position {
    /// Creates a position with a stable `id`, its official title (nama jabatan,
    /// e.g. "Kepala Dinas Komunikasi dan Informatika") and its level (eselon-like
    /// rank: a lower number is more senior).
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        level: u8,
    ) -> Result<Self, LetterError> {
        Ok(Position {
            id: non_blank("position id", id.into())?,
            title: non_blank("position title", title.into())?,
            level,
            code: None,
            unit_code: None,
        })
    }

    /// Kode jabatan: the position code used in letter numbers (e.g. "IJ").
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = opt_non_blank(Some(code.into()));
        self
    }

    /// Kode unit pengolah: the code of the unit the position belongs to (e.g. "OR").
    pub fn with_unit_code(mut self, code: impl Into<String>) -> Self {
        self.unit_code = opt_non_blank(Some(code.into()));
        self
    }

    /// The stable identifier.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Nama jabatan: the official title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Level: lower is more senior.
    pub fn level(&self) -> u8 {
        self.level
    }
    /// Kode jabatan, if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
    /// Kode unit pengolah, if any.
    pub fn unit_code(&self) -> Option<&str> {
        self.unit_code.as_deref()
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

/// NIP (Nomor Induk Pegawai): the 18-digit civil servant number.
///
/// Layout: birth date `YYYYMMDD`, appointment (TMT CPNS) `YYYYMM`, sex digit
/// (`1` male, `2` female), and a three-digit serial number. The birth date and
/// appointment month are checked for plausibility.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nip(String);

impl Nip {
    /// Parses an NIP; spaces between the groups (as often printed:
    /// `19800101 200501 1 001`) are accepted and removed.
    pub fn new(value: &str) -> Result<Self, LetterError> {
        let digits: String = value.chars().filter(|c| *c != ' ').collect();
        let invalid = |reason| LetterError::InvalidNip {
            value: value.to_owned(),
            reason,
        };
        if digits.len() != 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("not 18 digits"));
        }
        let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|s| s.parse::<u32>().ok());
        let (Some(by), Some(bm), Some(bd), Some(ay), Some(am), Some(sex)) = (
            num(0..4),
            num(4..6),
            num(6..8),
            num(8..12),
            num(12..14),
            num(14..15),
        ) else {
            return Err(invalid("not 18 digits"));
        };
        let Some(birth) = NaiveDate::from_ymd_opt(by as i32, bm, bd) else {
            return Err(invalid("birth date is not a date"));
        };
        if !(1..=12).contains(&am) || ay < 1900 {
            return Err(invalid("appointment month is not a month"));
        }
        if ay <= birth.year() as u32 {
            return Err(invalid("appointed before birth"));
        }
        if sex != 1 && sex != 2 {
            return Err(invalid("sex digit is not 1 or 2"));
        }
        Ok(Nip(digits))
    }

    /// The 18 digits without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nip {
    /// Printed without spaces, as on signature blocks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Nip {
    type Error = LetterError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Nip::new(&value)
    }
}

impl From<Nip> for String {
    fn from(n: Nip) -> String {
        n.0
    }
}

/// Pegawai: a person who may hold positions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PersonRepr")]
pub struct Person {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    front_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    back_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nip: Option<Nip>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rank: Option<String>,
}

#[derive(Deserialize)]
struct PersonRepr {
    name: String,
    #[serde(default)]
    front_title: Option<String>,
    #[serde(default)]
    back_title: Option<String>,
    #[serde(default)]
    nip: Option<Nip>,
    #[serde(default)]
    rank: Option<String>,
}

impl TryFrom<PersonRepr> for Person {
    type Error = LetterError;
    fn try_from(r: PersonRepr) -> Result<Self, Self::Error> {
        let mut p = Person::new(r.name)?;
        p.front_title = opt_non_blank(r.front_title);
        p.back_title = opt_non_blank(r.back_title);
        p.nip = r.nip;
        p.rank = opt_non_blank(r.rank);
        Ok(p)
    }
}

impl Person {
    /// Creates a person with their name without academic titles.
    pub fn new(name: impl Into<String>) -> Result<Self, LetterError> {
        Ok(Person {
            name: non_blank("person name", name.into())?,
            front_title: None,
            back_title: None,
            nip: None,
            rank: None,
        })
    }
    /// Gelar depan, e.g. "Dr." or "Ir.".
    pub fn with_front_title(mut self, t: impl Into<String>) -> Self {
        self.front_title = opt_non_blank(Some(t.into()));
        self
    }
    /// Gelar belakang, e.g. "S.Kom., M.T.".
    pub fn with_back_title(mut self, t: impl Into<String>) -> Self {
        self.back_title = opt_non_blank(Some(t.into()));
        self
    }
    /// NIP.
    pub fn with_nip(mut self, nip: Nip) -> Self {
        self.nip = Some(nip);
        self
    }
    /// Pangkat/golongan, e.g. "Pembina Tingkat I (IV/b)".
    pub fn with_rank(mut self, rank: impl Into<String>) -> Self {
        self.rank = opt_non_blank(Some(rank.into()));
        self
    }
    /// Name without titles.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Gelar depan.
    pub fn front_title(&self) -> Option<&str> {
        self.front_title.as_deref()
    }
    /// Gelar belakang.
    pub fn back_title(&self) -> Option<&str> {
        self.back_title.as_deref()
    }
    /// NIP.
    pub fn nip(&self) -> Option<&Nip> {
        self.nip.as_ref()
    }
    /// Pangkat/golongan.
    pub fn rank(&self) -> Option<&str> {
        self.rank.as_deref()
    }
    /// Nama lengkap dengan gelar: "Dr. Budi Santoso, S.Kom., M.T.".
    pub fn full_name(&self) -> String {
        let mut s = String::new();
        if let Some(f) = &self.front_title {
            s.push_str(f);
            s.push(' ');
        }
        s.push_str(&self.name);
        if let Some(b) = &self.back_title {
            s.push_str(", ");
            s.push_str(b);
        }
        s
    }
}

/// Jenis penugasan: how a person holds a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssignmentKind {
    /// Definitif: the permanent holder.
    Definitive,
    /// Plt. (Pelaksana Tugas): acting, while the holder is permanently absent.
    Acting,
    /// Plh. (Pelaksana Harian): daily executive, while the holder is temporarily absent.
    DailyExecutive,
    /// Pj. (Penjabat): interim appointee (e.g. Pj. Bupati).
    Interim,
    /// Pjs. (Penjabat Sementara): temporary interim appointee.
    TemporaryInterim,
}

impl AssignmentKind {
    /// Whether this is a mandate (Plt/Plh) that may not take strategic decisions.
    pub fn is_mandate(self) -> bool {
        matches!(
            self,
            AssignmentKind::Acting | AssignmentKind::DailyExecutive
        )
    }
}

impl fmt::Display for AssignmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AssignmentKind::Definitive => "Definitif",
            AssignmentKind::Acting => "Plt.",
            AssignmentKind::DailyExecutive => "Plh.",
            AssignmentKind::Interim => "Pj.",
            AssignmentKind::TemporaryInterim => "Pjs.",
        })
    }
}

/// Penugasan: a person holding a position of a given kind during a period.
/// Every action on a letter records the assignment it was taken under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AssignmentRepr")]
pub struct Assignment {
    person: Person,
    position: Position,
    kind: AssignmentKind,
    from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<NaiveDate>,
}

#[derive(Deserialize)]
struct AssignmentRepr {
    person: Person,
    position: Position,
    kind: AssignmentKind,
    from: NaiveDate,
    #[serde(default)]
    until: Option<NaiveDate>,
}

impl TryFrom<AssignmentRepr> for Assignment {
    type Error = LetterError;
    fn try_from(r: AssignmentRepr) -> Result<Self, Self::Error> {
        Assignment::new(r.person, r.position, r.kind, r.from, r.until)
    }
}

impl Assignment {
    /// Creates an assignment valid from `from` (inclusive) until `until`
    /// (exclusive, open-ended if `None`); `until` must be after `from`.
    pub fn new(
        person: Person,
        position: Position,
        kind: AssignmentKind,
        from: NaiveDate,
        until: Option<NaiveDate>,
    ) -> Result<Self, LetterError> {
        if let Some(u) = until
            && u <= from
        {
            return Err(LetterError::InvalidPeriod { from, until: u });
        }
        Ok(Assignment {
            person,
            position,
            kind,
            from,
            until,
        })
    }
    /// The person.
    pub fn person(&self) -> &Person {
        &self.person
    }
    /// The position held.
    pub fn position(&self) -> &Position {
        &self.position
    }
    /// How the position is held.
    pub fn kind(&self) -> AssignmentKind {
        self.kind
    }
    /// First day of validity.
    pub fn from(&self) -> NaiveDate {
        self.from
    }
    /// First day no longer valid, if any.
    pub fn until(&self) -> Option<NaiveDate> {
        self.until
    }
    /// Whether the assignment is in force on `date`.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        date >= self.from && self.until.is_none_or(|u| date < u)
    }

    /// Checks that this assignment may act for `position` on `date`.
    pub fn check_acts_for(&self, position: &Position, date: NaiveDate) -> Result<(), LetterError> {
        if &self.position != position {
            return Err(LetterError::WrongPosition {
                expected: position.id().to_owned(),
                actual: self.position.id().to_owned(),
            });
        }
        if !self.is_active_on(date) {
            return Err(LetterError::AssignmentNotActive {
                position: position.id().to_owned(),
                on: date,
            });
        }
        Ok(())
    }
}

/// Kebijakan penandatanganan: which kinds are strategic, i.e. may not be signed
/// by a Plt. or Plh. (UU 30/2014 Ps.14; BKN SE 2/2019: a mandate does not cover
/// decisions that change organisation, staffing or budget status).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningPolicy {
    /// Kinds that are strategic in addition to [`LetterKind::is_strategic`].
    #[serde(default)]
    pub strategic_kinds: Vec<LetterKind>,
}

impl SigningPolicy {
    /// Whether `kind` is strategic under this policy.
    pub fn is_strategic(&self, kind: &LetterKind) -> bool {
        kind.is_strategic() || self.strategic_kinds.contains(kind)
    }

    /// Checks that `signer` may sign a letter of `kind` for `position` on `date`.
    pub fn authorise(
        &self,
        signer: &Assignment,
        position: &Position,
        kind: &LetterKind,
        date: NaiveDate,
    ) -> Result<(), LetterError> {
        signer.check_acts_for(position, date)?;
        if signer.kind().is_mandate() && self.is_strategic(kind) {
            return Err(LetterError::MandateMayNotSignStrategic {
                assignment: signer.kind(),
                kind: kind.to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn nip_validation() {
        let nip = Nip::new("19800101 200501 1 001").unwrap();
        assert_eq!(nip.as_str(), "198001012005011001");
        assert!(matches!(
            Nip::new("19800101200501100"),
            Err(LetterError::InvalidNip {
                reason: "not 18 digits",
                ..
            })
        ));
        assert!(Nip::new("19801301200501 1001").is_err()); // month 13
        assert!(Nip::new("198001012005131001").is_err()); // appointment month 13
        assert!(Nip::new("198001012005013001").is_err()); // sex digit 3
        assert!(Nip::new("198001011975011001").is_err()); // appointed before birth
        assert!(Nip::new("1980010120050110a1").is_err());
        // serde re-checks
        assert!(serde_json::from_str::<Nip>("\"198001012005013001\"").is_err());
        let back: Nip = serde_json::from_str("\"198001012005011001\"").unwrap();
        assert_eq!(back, nip);
    }

    #[test]
    fn full_name_with_titles() {
        let p = Person::new("Budi Santoso")
            .unwrap()
            .with_front_title("Dr.")
            .with_back_title("S.Kom., M.T.");
        assert_eq!(p.full_name(), "Dr. Budi Santoso, S.Kom., M.T.");
        assert!(Person::new("  ").is_err());
        assert!(serde_json::from_str::<Person>(r#"{"name":""}"#).is_err());
    }

    #[test]
    fn assignment_period_and_strategic_rule() {
        let pos = Position::new("kadis", "Kepala Dinas", 2).unwrap();
        let other = Position::new("sekdis", "Sekretaris Dinas", 3).unwrap();
        let who = Person::new("Siti").unwrap();
        assert!(matches!(
            Assignment::new(
                who.clone(),
                pos.clone(),
                AssignmentKind::Acting,
                d(2025, 3, 1),
                Some(d(2025, 3, 1))
            ),
            Err(LetterError::InvalidPeriod { .. })
        ));
        let plt = Assignment::new(
            who,
            pos.clone(),
            AssignmentKind::Acting,
            d(2025, 3, 1),
            Some(d(2025, 6, 1)),
        )
        .unwrap();
        let policy = SigningPolicy::default();
        assert!(
            policy
                .authorise(&plt, &pos, &LetterKind::OfficialLetter, d(2025, 4, 1))
                .is_ok()
        );
        assert!(matches!(
            policy.authorise(&plt, &pos, &LetterKind::Decree, d(2025, 4, 1)),
            Err(LetterError::MandateMayNotSignStrategic {
                assignment: AssignmentKind::Acting,
                ..
            })
        ));
        assert!(matches!(
            policy.authorise(&plt, &pos, &LetterKind::OfficialLetter, d(2025, 6, 1)),
            Err(LetterError::AssignmentNotActive { .. })
        ));
        assert!(matches!(
            policy.authorise(&plt, &other, &LetterKind::OfficialLetter, d(2025, 4, 1)),
            Err(LetterError::WrongPosition { .. })
        ));
        let strict = SigningPolicy {
            strategic_kinds: vec![LetterKind::Circular],
        };
        assert!(
            strict
                .authorise(&plt, &pos, &LetterKind::Circular, d(2025, 4, 1))
                .is_err()
        );
    }
}
