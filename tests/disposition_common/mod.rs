//! Shared fixture: a small Dinas with fixed keys and dates.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ed25519_dalek::SigningKey;
use surat::disposition::{
    Assignment, AssignmentId, AssignmentKind, KeyRing, Org, PositionId, Registration, Sha256Hash,
};

pub fn p(s: &str) -> PositionId {
    PositionId::new(s).unwrap()
}

pub fn a(s: &str) -> AssignmentId {
    AssignmentId::new(s).unwrap()
}

/// 2025-01-06 08:00:00 UTC plus `minutes`.
pub fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 6, 8, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
}

pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, d).unwrap()
}

/// Positions: kadis > {sekretaris > tu, kabid1 > staf1, kabid2 > staf2}.
/// Assignments (holder key = index byte):
/// tu-1 (1), kadis-def (2), kadis-plh (3, only 2025-01-07), kabid1 (4),
/// kabid2 (5), staf1 (6), staf2 (7), sekretaris (8).
pub struct Fixture {
    pub org: Org,
    pub keys: KeyRing,
    pub signing: Vec<(AssignmentId, SigningKey)>,
}

impl Fixture {
    pub fn new() -> Self {
        let mut org = Org::new();
        org.add_position(p("kadis"), "Kepala Dinas", None).unwrap();
        org.add_position(p("sekretaris"), "Sekretaris", Some(&p("kadis")))
            .unwrap();
        org.add_position(p("tu"), "Kepala Subbagian Umum", Some(&p("sekretaris")))
            .unwrap();
        org.add_position(
            p("kabid1"),
            "Kepala Bidang Aplikasi Informatika",
            Some(&p("kadis")),
        )
        .unwrap();
        org.add_position(p("kabid2"), "Kepala Bidang Persandian", Some(&p("kadis")))
            .unwrap();
        org.add_position(p("staf1"), "Pranata Komputer", Some(&p("kabid1")))
            .unwrap();
        org.add_position(p("staf2"), "Sandiman", Some(&p("kabid2")))
            .unwrap();
        let from = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let list = [
            ("tu-1", "tu", AssignmentKind::Definitive, "Siti"),
            ("kadis-def", "kadis", AssignmentKind::Definitive, "Budi"),
            ("kadis-plh", "kadis", AssignmentKind::Daily, "Rina"),
            ("kabid1", "kabid1", AssignmentKind::Definitive, "Agus"),
            ("kabid2", "kabid2", AssignmentKind::Definitive, "Dewi"),
            ("staf1", "staf1", AssignmentKind::Definitive, "Eko"),
            ("staf2", "staf2", AssignmentKind::Definitive, "Fitri"),
            (
                "sekretaris",
                "sekretaris",
                AssignmentKind::Definitive,
                "Hadi",
            ),
        ];
        let mut keys = KeyRing::new();
        let mut signing = Vec::new();
        for (i, (id, pos, kind, name)) in list.into_iter().enumerate() {
            let mut asg = Assignment::new(a(id), p(pos), kind, name, from);
            if id == "kadis-plh" {
                asg = Assignment::new(
                    a(id),
                    p(pos),
                    kind,
                    name,
                    Utc.with_ymd_and_hms(2025, 1, 7, 0, 0, 0).unwrap(),
                )
                .until(Utc.with_ymd_and_hms(2025, 1, 8, 0, 0, 0).unwrap());
            }
            org.add_assignment(asg).unwrap();
            let sk = SigningKey::from_bytes(&[u8::try_from(i + 1).unwrap(); 32]);
            keys.add(a(id), sk.verifying_key());
            signing.push((a(id), sk));
        }
        Self { org, keys, signing }
    }

    pub fn key(&self, actor: &str) -> &SigningKey {
        &self
            .signing
            .iter()
            .find(|(id, _)| id.as_str() == actor)
            .unwrap()
            .1
    }

    pub fn registration(&self) -> Registration {
        Registration::new(
            "SM/0001/2025",
            Sha256Hash::digest(b"the received PDF"),
            p("kadis"),
        )
        .sender("Kementerian Komunikasi dan Digital")
        .letter_number("B-123/KOMINFO/HM.01.01/01/2025")
        .letter_date(day(2))
        .subject("Undangan Rapat Koordinasi Keamanan Informasi")
    }
}
