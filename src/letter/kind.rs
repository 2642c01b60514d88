//! Jenis naskah, sifat and urgensi: what a letter is, how secret it is and how
//! fast it must be handled.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::LetterError;

/// Jenis naskah dinas: the kind of an official document.
///
/// The list mirrors the types seeded by Pemda applications that follow
/// Permendagri 1/2023. Which category (arahan, korespondensi, khusus) a kind
/// belongs to is given by [`LetterKind::category`]; tenants whose regulation
/// differs can use [`LetterKind::Custom`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LetterKind {
    /// Peraturan: a regulation.
    Regulation,
    /// Pedoman: a guideline.
    Guideline,
    /// Instruksi: an instruction.
    Instruction,
    /// Surat edaran: a circular letter.
    Circular,
    /// Standar operasional prosedur (SOP).
    StandardOperatingProcedure,
    /// Keputusan: a decree.
    Decree,
    /// Surat perintah: a letter of command.
    Order,
    /// Surat tugas: a letter of assignment.
    Assignment,
    /// Nota dinas: an internal memo between officials of one agency.
    OfficialMemo,
    /// Memorandum (memo).
    Memorandum,
    /// Surat dinas: an outgoing official letter.
    OfficialLetter,
    /// Surat undangan: an invitation.
    Invitation,
    /// Surat perjanjian: an agreement.
    Agreement,
    /// Surat kuasa: a power of attorney.
    PowerOfAttorney,
    /// Berita acara: an official record of an event.
    OfficialRecord,
    /// Surat keterangan: a letter of statement.
    Statement,
    /// Surat pengantar: a cover letter.
    CoverLetter,
    /// Pengumuman: an announcement.
    Announcement,
    /// Laporan: a report.
    Report,
    /// Telaahan staf: a staff study.
    StaffStudy,
    /// Notula: minutes.
    Minutes,
    /// Jenis lain: a kind not in this list, with its official name.
    Custom(String),
}

/// Kategori naskah dinas: the category of a kind (Permendagri 1/2023).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// Naskah dinas arahan pengaturan (peraturan, pedoman, SOP, …).
    Regulating,
    /// Naskah dinas arahan penetapan (keputusan).
    Determining,
    /// Naskah dinas arahan penugasan (instruksi, surat perintah, surat tugas).
    Assigning,
    /// Naskah dinas korespondensi (surat dinas, nota dinas, undangan, …).
    Correspondence,
    /// Naskah dinas khusus and other kinds.
    Special,
}

impl LetterKind {
    /// Kategori: the category this kind belongs to ([`Category::Special`] for
    /// custom kinds).
    pub fn category(&self) -> Category {
        use LetterKind::*;
        match self {
            Regulation | Guideline | StandardOperatingProcedure | Circular => Category::Regulating,
            Decree => Category::Determining,
            Instruction | Order | Assignment => Category::Assigning,
            OfficialMemo | Memorandum | OfficialLetter | Invitation => Category::Correspondence,
            _ => Category::Special,
        }
    }

    /// Naskah strategis: documents that change organisation, staffing or budget
    /// status, which an acting official (Plt/Plh) may not sign (UU 30/2014
    /// Ps.14, BKN SE 2/2019). By default regulations and decrees are strategic;
    /// a tenant policy can mark more via [`SigningPolicy`](super::SigningPolicy).
    pub fn is_strategic(&self) -> bool {
        matches!(self, LetterKind::Regulation | LetterKind::Decree)
    }

    /// Whether the letter carries a "Hal" (subject) line. Decrees, regulations
    /// and assignment letters have a title instead of a subject.
    pub fn has_subject_line(&self) -> bool {
        !matches!(
            self.category(),
            Category::Regulating | Category::Determining | Category::Assigning
        ) || matches!(self, LetterKind::Circular)
    }

    /// Kode jenis naskah: the short code used in some numbering schemes
    /// (e.g. "ND" for nota dinas, "ST" for surat tugas).
    pub fn code(&self) -> &str {
        use LetterKind::*;
        match self {
            Regulation => "PER",
            Guideline => "PED",
            Instruction => "INS",
            Circular => "SE",
            StandardOperatingProcedure => "SOP",
            Decree => "KEP",
            Order => "SP",
            Assignment => "ST",
            OfficialMemo => "ND",
            Memorandum => "M",
            OfficialLetter => "SD",
            Invitation => "UND",
            Agreement => "PKS",
            PowerOfAttorney => "SK",
            OfficialRecord => "BA",
            Statement => "SKET",
            CoverLetter => "SPENG",
            Announcement => "PENG",
            Report => "LAP",
            StaffStudy => "TS",
            Minutes => "NOT",
            Custom(_) => "X",
        }
    }

    /// Checks the invariants of a kind: a custom kind has a non-blank name.
    pub(crate) fn validate(&self) -> Result<(), LetterError> {
        if let LetterKind::Custom(name) = self
            && name.trim().is_empty()
        {
            return Err(LetterError::Empty { field: "kind" });
        }
        Ok(())
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LetterKind::*;
        let s = match self {
            Regulation => "Peraturan",
            Guideline => "Pedoman",
            Instruction => "Instruksi",
            Circular => "Surat Edaran",
            StandardOperatingProcedure => "Standar Operasional Prosedur",
            Decree => "Keputusan",
            Order => "Surat Perintah",
            Assignment => "Surat Tugas",
            OfficialMemo => "Nota Dinas",
            Memorandum => "Memo",
            OfficialLetter => "Surat Dinas",
            Invitation => "Surat Undangan",
            Agreement => "Surat Perjanjian",
            PowerOfAttorney => "Surat Kuasa",
            OfficialRecord => "Berita Acara",
            Statement => "Surat Keterangan",
            CoverLetter => "Surat Pengantar",
            Announcement => "Pengumuman",
            Report => "Laporan",
            StaffStudy => "Telaahan Staf",
            Minutes => "Notula",
            Custom(name) => name,
        };
        f.write_str(s)
    }
}

/// Sifat surat (klasifikasi keamanan): the security classification of a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Security {
    /// Biasa (code B): ordinary.
    Ordinary,
    /// Terbatas (code T): restricted.
    Restricted,
    /// Rahasia (code R): secret.
    Secret,
    /// Sangat Rahasia (code SR): top secret.
    TopSecret,
}

impl Security {
    /// Kode derajat: the code written in front of a K/L letter number.
    pub fn code(self) -> &'static str {
        match self {
            Security::Ordinary => "B",
            Security::Restricted => "T",
            Security::Secret => "R",
            Security::TopSecret => "SR",
        }
    }

    /// Parses a code ("B", "T", "R", "SR").
    pub fn from_code(code: &str) -> Option<Security> {
        match code {
            "B" => Some(Security::Ordinary),
            "T" => Some(Security::Restricted),
            "R" => Some(Security::Secret),
            "SR" => Some(Security::TopSecret),
            _ => None,
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Security::Ordinary => "Biasa",
            Security::Restricted => "Terbatas",
            Security::Secret => "Rahasia",
            Security::TopSecret => "Sangat Rahasia",
        })
    }
}

impl FromStr for Security {
    type Err = LetterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "biasa" | "b" => Ok(Security::Ordinary),
            "terbatas" | "t" => Ok(Security::Restricted),
            "rahasia" | "r" => Ok(Security::Secret),
            "sangat rahasia" | "sr" => Ok(Security::TopSecret),
            _ => Err(LetterError::Unknown {
                what: "security classification",
                value: s.to_owned(),
            }),
        }
    }
}

/// Urgensi (derajat kecepatan): how fast a letter must be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Urgency {
    /// Biasa: ordinary.
    Ordinary,
    /// Segera: urgent.
    Urgent,
    /// Amat Segera (also "Sangat Segera"): immediate.
    Immediate,
}

impl fmt::Display for Urgency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Urgency::Ordinary => "Biasa",
            Urgency::Urgent => "Segera",
            Urgency::Immediate => "Amat Segera",
        })
    }
}

impl FromStr for Urgency {
    type Err = LetterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "biasa" => Ok(Urgency::Ordinary),
            "segera" => Ok(Urgency::Urgent),
            "amat segera" | "sangat segera" => Ok(Urgency::Immediate),
            _ => Err(LetterError::Unknown {
                what: "urgency",
                value: s.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_official_text() {
        assert_eq!(Security::TopSecret.to_string(), "Sangat Rahasia");
        assert_eq!(Urgency::Immediate.to_string(), "Amat Segera");
        assert_eq!(LetterKind::OfficialMemo.to_string(), "Nota Dinas");
        assert_eq!(
            LetterKind::Custom("Surat Izin".into()).to_string(),
            "Surat Izin"
        );
    }

    #[test]
    fn security_codes_round_trip() {
        for s in [
            Security::Ordinary,
            Security::Restricted,
            Security::Secret,
            Security::TopSecret,
        ] {
            assert_eq!(Security::from_code(s.code()), Some(s));
            assert_eq!(s.to_string().parse::<Security>().ok(), Some(s));
        }
        assert_eq!(Security::from_code("X"), None);
        assert!("Penting".parse::<Urgency>().is_err());
    }

    #[test]
    fn categories_and_subject_lines() {
        assert_eq!(LetterKind::Decree.category(), Category::Determining);
        assert!(!LetterKind::Decree.has_subject_line());
        assert!(!LetterKind::Assignment.has_subject_line());
        assert!(LetterKind::OfficialLetter.has_subject_line());
        assert!(LetterKind::Decree.is_strategic());
        assert!(!LetterKind::OfficialLetter.is_strategic());
        assert!(LetterKind::Custom(" ".into()).validate().is_err());
    }
}
