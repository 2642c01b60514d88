//! Instruksi disposisi, urgensi and sifat: the closed vocabularies of a
//! disposition (DOMAIN.md §4).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Instruksi disposisi: what the recipient is asked to do ("dengan hormat
/// harap …"). `Display` gives the official Indonesian label.
///
/// The journal encodes a standard instruction as its snake_case name
/// (`"follow_up"`) and a custom one as `{"custom":"text"}`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Instruction {
    /// Untuk diketahui: for information.
    ForInformation,
    /// Untuk ditindaklanjuti: to be followed up.
    FollowUp,
    /// Untuk dilaksanakan: to be carried out.
    CarryOut,
    /// Proses lebih lanjut: process further.
    Process,
    /// Tanggapan dan saran: comments and advice.
    Advise,
    /// Pelajari: study.
    Study,
    /// Koordinasikan: coordinate.
    Coordinate,
    /// Siapkan jawaban: prepare a reply.
    PrepareReply,
    /// Hadiri: attend (or represent).
    Attend,
    /// Untuk dijadwalkan: to be scheduled.
    Schedule,
    /// Pantau: monitor.
    Monitor,
    /// Buat laporan: write a report.
    WriteReport,
    /// Edarkan: circulate.
    Circulate,
    /// Harap penjelasan: please explain.
    Explain,
    /// Harap temui saya: please see me.
    SeeMe,
    /// Ingatkan saya: remind me.
    RemindMe,
    /// Segera: priority flag.
    Expedite,
    /// Arsipkan: file / archive.
    Archive,
    /// Instruksi lain: free text written by the giver.
    Custom(String),
}

impl Instruction {
    /// The standard instructions in the order a disposition sheet lists them.
    pub const STANDARD: [Instruction; 18] = [
        Self::ForInformation,
        Self::FollowUp,
        Self::CarryOut,
        Self::Process,
        Self::Advise,
        Self::Study,
        Self::Coordinate,
        Self::PrepareReply,
        Self::Attend,
        Self::Schedule,
        Self::Monitor,
        Self::WriteReport,
        Self::Circulate,
        Self::Explain,
        Self::SeeMe,
        Self::RemindMe,
        Self::Expedite,
        Self::Archive,
    ];

    /// The official Indonesian label.
    pub fn label(&self) -> &str {
        match self {
            Self::ForInformation => "Untuk diketahui",
            Self::FollowUp => "Untuk ditindaklanjuti",
            Self::CarryOut => "Untuk dilaksanakan",
            Self::Process => "Proses lebih lanjut",
            Self::Advise => "Tanggapan dan saran",
            Self::Study => "Pelajari",
            Self::Coordinate => "Koordinasikan",
            Self::PrepareReply => "Siapkan jawaban",
            Self::Attend => "Hadiri",
            Self::Schedule => "Untuk dijadwalkan",
            Self::Monitor => "Pantau",
            Self::WriteReport => "Buat laporan",
            Self::Circulate => "Edarkan",
            Self::Explain => "Harap penjelasan",
            Self::SeeMe => "Harap temui saya",
            Self::RemindMe => "Ingatkan saya",
            Self::Expedite => "Segera",
            Self::Archive => "Arsipkan",
            Self::Custom(text) => text,
        }
    }
}

impl fmt::Display for Instruction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Urgensi (derajat kecepatan): how fast the letter must be handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Urgency {
    /// Amat Segera.
    Immediate,
    /// Segera.
    Urgent,
    /// Biasa.
    Ordinary,
}

impl fmt::Display for Urgency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Immediate => "Amat Segera",
            Self::Urgent => "Segera",
            Self::Ordinary => "Biasa",
        })
    }
}

/// Klasifikasi keamanan (sifat): the security classification of a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Security {
    /// Biasa (B).
    Ordinary,
    /// Terbatas (T).
    Limited,
    /// Rahasia (R).
    Secret,
    /// Sangat Rahasia (SR).
    TopSecret,
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ordinary => "Biasa",
            Self::Limited => "Terbatas",
            Self::Secret => "Rahasia",
            Self::TopSecret => "Sangat Rahasia",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_encoding() {
        assert_eq!(Instruction::FollowUp.to_string(), "Untuk ditindaklanjuti");
        assert_eq!(
            serde_json::to_string(&Instruction::FollowUp).unwrap(),
            "\"follow_up\""
        );
        assert_eq!(
            serde_json::to_string(&Instruction::Custom("Rapatkan".into())).unwrap(),
            "{\"custom\":\"Rapatkan\"}"
        );
        assert_eq!(Urgency::Immediate.to_string(), "Amat Segera");
        assert_eq!(Security::TopSecret.to_string(), "Sangat Rahasia");
        let labels: std::collections::BTreeSet<_> =
            Instruction::STANDARD.iter().map(|i| i.label()).collect();
        assert_eq!(labels.len(), 18);
    }
}
