//! Nomor urut: reservable, never-reused sequences.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::NumberError;

/// The key of one sequence: (scheme, scope, year). A new year starts a new
/// sequence at 1 ("nomor urut dalam satu tahun takwim").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SequenceKey {
    pub(super) scheme: String,
    pub(super) scope: String,
    pub(super) year: i32,
}

impl SequenceKey {
    /// A key; `scheme` and `scope` must be non-empty and free of control characters.
    pub fn new(scheme: &str, scope: &str, year: i32) -> Result<Self, NumberError> {
        for (v, what) in [(scheme, "scheme"), (scope, "scope")] {
            if v.trim().is_empty() {
                return Err(NumberError::InvalidKey {
                    reason: if what == "scheme" {
                        "empty scheme"
                    } else {
                        "empty scope"
                    },
                });
            }
            if v.chars().any(char::is_control) {
                return Err(NumberError::InvalidKey {
                    reason: "control character",
                });
            }
        }
        Ok(SequenceKey {
            scheme: scheme.to_owned(),
            scope: scope.to_owned(),
            year,
        })
    }
    /// Scheme id.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }
    /// Scope.
    pub fn scope(&self) -> &str {
        &self.scope
    }
    /// Year.
    pub fn year(&self) -> i32 {
        self.year
    }
}

impl fmt::Display for SequenceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.scheme, self.scope, self.year)
    }
}

/// A reserved sequence value, to be committed (when signing succeeds) or voided.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reservation {
    key: SequenceKey,
    value: u32,
}

impl Reservation {
    pub(super) fn new(key: SequenceKey, value: u32) -> Self {
        Reservation { key, value }
    }
    /// The sequence key.
    pub fn key(&self) -> &SequenceKey {
        &self.key
    }
    /// The reserved number.
    pub fn value(&self) -> u32 {
        self.value
    }
}

/// State of a reserved value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReservationState {
    /// Reserved, not yet settled.
    Reserved,
    /// Committed: the number is in use.
    Committed,
    /// Voided, with the reason; the number is never handed out again.
    Voided {
        /// Why.
        reason: String,
    },
}

impl ReservationState {
    pub(super) fn name(&self) -> &'static str {
        match self {
            ReservationState::Reserved => "reserved",
            ReservationState::Committed => "committed",
            ReservationState::Voided { .. } => "voided",
        }
    }
}

/// A source of letter sequence numbers.
///
/// Contract: [`reserve`](Sequence::reserve) returns a value higher than every
/// value it ever returned for the key (also across restarts for persistent
/// implementations), so numbers are never reused and gaps are never filled.
/// Each reservation is settled at most once, by [`commit`](Sequence::commit) or
/// [`void`](Sequence::void). An application can implement this trait over its
/// database (e.g. a row per key updated in the same transaction).
pub trait Sequence {
    /// Reserves the next value of `key`.
    fn reserve(&mut self, key: &SequenceKey) -> Result<Reservation, NumberError>;
    /// Marks a reservation as used.
    fn commit(&mut self, reservation: &Reservation) -> Result<(), NumberError>;
    /// Voids a reservation; its value is never handed out again.
    fn void(&mut self, reservation: &Reservation, reason: &str) -> Result<(), NumberError>;
    /// The state of a value, if it was ever reserved.
    fn state(&self, key: &SequenceKey, value: u32) -> Option<ReservationState>;
}

/// The bookkeeping shared by the in-memory and the file-backed sequence.
#[derive(Debug, Default, Clone)]
pub(super) struct Ledger {
    pub(super) last: BTreeMap<SequenceKey, u32>,
    pub(super) states: BTreeMap<(SequenceKey, u32), ReservationState>,
}

impl Ledger {
    pub(super) fn next(&self, key: &SequenceKey) -> Result<u32, NumberError> {
        self.last
            .get(key)
            .copied()
            .unwrap_or(0)
            .checked_add(1)
            .ok_or(NumberError::Exhausted)
    }

    pub(super) fn apply_reserve(&mut self, key: &SequenceKey, value: u32) {
        let last = self.last.entry(key.clone()).or_insert(0);
        *last = (*last).max(value);
        self.states
            .insert((key.clone(), value), ReservationState::Reserved);
    }

    pub(super) fn check_settle(&self, r: &Reservation) -> Result<(), NumberError> {
        match self.states.get(&(r.key.clone(), r.value)) {
            None => Err(NumberError::UnknownReservation {
                key: r.key.to_string(),
                value: r.value,
            }),
            Some(ReservationState::Reserved) => Ok(()),
            Some(s) => Err(NumberError::AlreadySettled {
                key: r.key.to_string(),
                value: r.value,
                state: s.name(),
            }),
        }
    }

    pub(super) fn settle(&mut self, key: &SequenceKey, value: u32, state: ReservationState) {
        self.states.insert((key.clone(), value), state);
    }

    pub(super) fn outstanding(&self) -> Vec<Reservation> {
        self.states
            .iter()
            .filter(|(_, s)| matches!(s, ReservationState::Reserved))
            .map(|((k, v), _)| Reservation::new(k.clone(), *v))
            .collect()
    }
}

/// An in-memory [`Sequence`], for tests and for applications that persist
/// numbers elsewhere.
#[derive(Debug, Default, Clone)]
pub struct MemorySequence {
    ledger: Ledger,
}

impl MemorySequence {
    /// An empty set of sequences.
    pub fn new() -> Self {
        Self::default()
    }
    /// Reservations not yet committed or voided.
    pub fn outstanding(&self) -> Vec<Reservation> {
        self.ledger.outstanding()
    }
}

impl Sequence for MemorySequence {
    fn reserve(&mut self, key: &SequenceKey) -> Result<Reservation, NumberError> {
        let v = self.ledger.next(key)?;
        self.ledger.apply_reserve(key, v);
        Ok(Reservation::new(key.clone(), v))
    }
    fn commit(&mut self, r: &Reservation) -> Result<(), NumberError> {
        self.ledger.check_settle(r)?;
        self.ledger
            .settle(&r.key, r.value, ReservationState::Committed);
        Ok(())
    }
    fn void(&mut self, r: &Reservation, reason: &str) -> Result<(), NumberError> {
        self.ledger.check_settle(r)?;
        self.ledger.settle(
            &r.key,
            r.value,
            ReservationState::Voided {
                reason: reason.to_owned(),
            },
        );
        Ok(())
    }
    fn state(&self, key: &SequenceKey, value: u32) -> Option<ReservationState> {
        self.ledger.states.get(&(key.clone(), value)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_commit_void_never_reuse() {
        let mut s = MemorySequence::new();
        let k = SequenceKey::new("surat-keluar", "diskominfo", 2025).unwrap();
        let a = s.reserve(&k).unwrap();
        let b = s.reserve(&k).unwrap();
        assert_eq!((a.value(), b.value()), (1, 2));
        s.void(&a, "ttd gagal").unwrap();
        s.commit(&b).unwrap();
        // no gap filling: the voided 1 is not handed out again
        assert_eq!(s.reserve(&k).unwrap().value(), 3);
        assert!(matches!(
            s.commit(&a),
            Err(NumberError::AlreadySettled {
                state: "voided",
                ..
            })
        ));
        assert!(matches!(
            s.void(&b, "x"),
            Err(NumberError::AlreadySettled { .. })
        ));
        let stranger = Reservation::new(k.clone(), 99);
        assert!(matches!(
            s.commit(&stranger),
            Err(NumberError::UnknownReservation { .. })
        ));
        assert_eq!(s.outstanding().len(), 1);
        assert_eq!(s.state(&k, 2), Some(ReservationState::Committed));
    }

    #[test]
    fn new_year_and_scope_start_at_one() {
        let mut s = MemorySequence::new();
        let k25 = SequenceKey::new("sk", "setda", 2025).unwrap();
        let k26 = SequenceKey::new("sk", "setda", 2026).unwrap();
        let other = SequenceKey::new("sk", "dinkes", 2025).unwrap();
        s.reserve(&k25).unwrap();
        s.reserve(&k25).unwrap();
        assert_eq!(s.reserve(&k26).unwrap().value(), 1);
        assert_eq!(s.reserve(&other).unwrap().value(), 1);
        assert!(SequenceKey::new("", "x", 2025).is_err());
        assert!(SequenceKey::new("a\nb", "x", 2025).is_err());
    }
}
