//! Naskah masuk: registering a received letter in the agenda book
//! (buku agenda) with an agenda number such as `SM/0001/2025`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::number::{NumberFields, NumberScheme, Sequence};
use super::{Assignment, Attachment, ContentHash, LetterError, Security, Urgency};

/// Data surat masuk: what the clerk records from a received letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IncomingDetails {
    /// Asal surat: the sender.
    pub sender: String,
    /// Nomor surat asal: the sender's number.
    pub sender_number: String,
    /// Tanggal surat asal.
    pub sender_date: NaiveDate,
    /// Hal.
    pub subject: String,
    /// Sifat.
    pub security: Security,
    /// Urgensi.
    pub urgency: Urgency,
    /// Lampiran.
    pub attachment: Option<Attachment>,
    /// SHA-256 of the received file.
    pub file_sha256: ContentHash,
}

impl IncomingDetails {
    /// Details with the required fields; security and urgency default to Biasa.
    pub fn new(
        sender: impl Into<String>,
        sender_number: impl Into<String>,
        sender_date: NaiveDate,
        subject: impl Into<String>,
        file_sha256: [u8; 32],
    ) -> Self {
        IncomingDetails {
            sender: sender.into(),
            sender_number: sender_number.into(),
            sender_date,
            subject: subject.into(),
            security: Security::Ordinary,
            urgency: Urgency::Ordinary,
            attachment: None,
            file_sha256: ContentHash(file_sha256),
        }
    }
    fn check(&self) -> Result<(), LetterError> {
        for (v, field) in [
            (&self.sender, "sender"),
            (&self.sender_number, "sender number"),
            (&self.subject, "subject"),
        ] {
            if v.trim().is_empty() {
                return Err(LetterError::Empty { field });
            }
        }
        Ok(())
    }
}

/// Agenda surat masuk: a registered incoming letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RegistrationRepr")]
pub struct Registration {
    agenda_number: String,
    sequence: u32,
    details: IncomingDetails,
    received_at: DateTime<Utc>,
    registered_by: Assignment,
}

#[derive(Deserialize)]
struct RegistrationRepr {
    agenda_number: String,
    sequence: u32,
    details: IncomingDetails,
    received_at: DateTime<Utc>,
    registered_by: Assignment,
}
impl TryFrom<RegistrationRepr> for Registration {
    type Error = LetterError;
    fn try_from(r: RegistrationRepr) -> Result<Self, Self::Error> {
        r.details.check()?;
        if r.agenda_number.trim().is_empty() || r.sequence == 0 {
            return Err(LetterError::Inconsistent {
                reason: "registration without agenda number",
            });
        }
        if r.details.sender_date > r.received_at.date_naive() {
            return Err(LetterError::Inconsistent {
                reason: "letter received before it was dated",
            });
        }
        Ok(Registration {
            agenda_number: r.agenda_number,
            sequence: r.sequence,
            details: r.details,
            received_at: r.received_at,
            registered_by: r.registered_by,
        })
    }
}

impl Registration {
    /// Registers a received letter: takes the next agenda number of `scheme`
    /// for the year of `received_at` and commits it at once.
    pub fn register(
        sequence: &mut dyn Sequence,
        scheme: &NumberScheme,
        details: IncomingDetails,
        clerk: &Assignment,
        received_at: DateTime<Utc>,
    ) -> Result<Self, LetterError> {
        details.check()?;
        if !clerk.is_active_on(received_at.date_naive()) {
            return Err(LetterError::AssignmentNotActive {
                position: clerk.position().id().to_owned(),
                on: received_at.date_naive(),
            });
        }
        if details.sender_date > received_at.date_naive() {
            return Err(LetterError::Inconsistent {
                reason: "letter received before it was dated",
            });
        }
        let year = received_at.year();
        let mut fields = NumberFields {
            security: Some(details.security),
            month: Some(received_at.month()),
            year: Some(year),
            unit_code: scheme
                .unit_code()
                .or(clerk.position().unit_code())
                .map(str::to_owned),
            sequence: Some(1),
            ..NumberFields::default()
        };
        scheme.format().render(&fields)?;
        let reservation = sequence.reserve(&scheme.key(year))?;
        fields.sequence = Some(reservation.value());
        let agenda_number = match scheme.format().render(&fields) {
            Ok(n) => n,
            Err(e) => {
                sequence.void(&reservation, "agenda number could not be rendered")?;
                return Err(e.into());
            }
        };
        sequence.commit(&reservation)?;
        Ok(Registration {
            agenda_number,
            sequence: reservation.value(),
            details,
            received_at,
            registered_by: clerk.clone(),
        })
    }

    /// Nomor agenda, e.g. `SM/0001/2025`.
    pub fn agenda_number(&self) -> &str {
        &self.agenda_number
    }
    /// The agenda sequence value.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
    /// The recorded details.
    pub fn details(&self) -> &IncomingDetails {
        &self.details
    }
    /// Diterima: when it was received.
    pub fn received_at(&self) -> DateTime<Utc> {
        self.received_at
    }
    /// Pencatat: the clerk's assignment.
    pub fn registered_by(&self) -> &Assignment {
        &self.registered_by
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::number::{MemorySequence, NumberFormat};
    use crate::letter::{AssignmentKind, Person, Position};
    use chrono::TimeZone;

    #[test]
    fn agenda_numbers_count_per_year() {
        let clerk = Assignment::new(
            Person::new("Rina").unwrap(),
            Position::new("tu", "Pengadministrasi Umum", 7).unwrap(),
            AssignmentKind::Definitive,
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            None,
        )
        .unwrap();
        let scheme = NumberScheme::new("agenda", "setda", NumberFormat::agenda()).unwrap();
        let mut seq = MemorySequence::new();
        let d = |y| NaiveDate::from_ymd_opt(y, 12, 1).unwrap();
        let at = |y, m| Utc.with_ymd_and_hms(y, m, 2, 9, 0, 0).unwrap();
        let details =
            |y| IncomingDetails::new("BSSN", "B-1/BSSN/12/2025", d(y), "Undangan", [1; 32]);
        let a =
            Registration::register(&mut seq, &scheme, details(2025), &clerk, at(2025, 12)).unwrap();
        let b =
            Registration::register(&mut seq, &scheme, details(2025), &clerk, at(2025, 12)).unwrap();
        let c =
            Registration::register(&mut seq, &scheme, details(2025), &clerk, at(2026, 1)).unwrap();
        assert_eq!(a.agenda_number(), "SM/0001/2025");
        assert_eq!(b.agenda_number(), "SM/0002/2025");
        assert_eq!(c.agenda_number(), "SM/0001/2026");
        assert!(seq.outstanding().is_empty());
        // received before dated
        assert!(
            Registration::register(&mut seq, &scheme, details(2026), &clerk, at(2026, 1)).is_err()
        );
        let mut empty = details(2025);
        empty.subject = " ".into();
        assert!(matches!(
            Registration::register(&mut seq, &scheme, empty, &clerk, at(2025, 12)),
            Err(LetterError::Empty { field: "subject" })
        ));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Registration>(&json).unwrap(), a);
    }
}
