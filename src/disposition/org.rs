//! Organisasi: positions (*jabatan*), the hierarchy between them, and the
//! dated assignments (*penugasan*) through which people act.
//!
//! Dispositions address positions, not people (DOMAIN.md §0.1). A person acts
//! through an [`Assignment`] that is valid for an interval of time; every
//! journal entry names the assignment it was made under.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::DispositionError;

/// Longest identifier, in bytes.
pub const MAX_ID_BYTES: usize = 128;

fn check_id(kind: &'static str, s: &str) -> Result<(), DispositionError> {
    let reason = if s.is_empty() {
        "empty"
    } else if s.len() > MAX_ID_BYTES {
        "longer than 128 bytes"
    } else if s.chars().any(char::is_control) {
        "contains a control character"
    } else {
        return Ok(());
    };
    Err(DispositionError::InvalidId { kind, reason })
}

macro_rules! opaque_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Makes an identifier: 1 to 128 bytes, no control characters.
            pub fn new(id: impl Into<String>) -> Result<Self, DispositionError> {
                let id = id.into();
                check_id($kind, &id)?;
                Ok(Self(id))
            }

            /// The identifier text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = DispositionError;
            fn try_from(id: String) -> Result<Self, DispositionError> {
                Self::new(id)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

opaque_id!(
    /// Jabatan: an opaque identifier of a position, e.g. `"kadis"`.
    PositionId,
    "position"
);
opaque_id!(
    /// Penugasan: an opaque identifier of a dated assignment of a person to a
    /// position, e.g. `"asg-2025-kadis-budi"`.
    AssignmentId,
    "assignment"
);

/// Jenis penugasan: how a person holds a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssignmentKind {
    /// Definitif: the definitive holder.
    Definitive,
    /// Plt. (Pelaksana Tugas): acting while the holder is permanently absent.
    Acting,
    /// Plh. (Pelaksana Harian): acting while the holder is temporarily absent.
    Daily,
    /// Pj. (Penjabat): interim holder appointed by a higher authority.
    Interim,
}

impl fmt::Display for AssignmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Definitive => "Definitif",
            Self::Acting => "Plt.",
            Self::Daily => "Plh.",
            Self::Interim => "Pj.",
        })
    }
}

/// Jabatan: a position in the organisation's hierarchy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    id: PositionId,
    title: String,
    superior: Option<PositionId>,
}

impl Position {
    /// Its identifier.
    pub fn id(&self) -> &PositionId {
        &self.id
    }
    /// Nama jabatan: its title, e.g. "Kepala Dinas".
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Atasan: the position directly above it, if any.
    pub fn superior(&self) -> Option<&PositionId> {
        self.superior.as_ref()
    }
}

/// Penugasan: a person holding a position over an interval of time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    id: AssignmentId,
    position: PositionId,
    kind: AssignmentKind,
    holder: String,
    nip: Option<String>,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

impl Assignment {
    /// An assignment of `holder` (the person's name as printed) to `position`,
    /// valid from `from` with no end.
    pub fn new(
        id: AssignmentId,
        position: PositionId,
        kind: AssignmentKind,
        holder: impl Into<String>,
        from: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            position,
            kind,
            holder: holder.into(),
            nip: None,
            from,
            until: None,
        }
    }
    /// Sets the end of validity (exclusive).
    pub fn until(mut self, until: DateTime<Utc>) -> Self {
        self.until = Some(until);
        self
    }
    /// Sets the holder's NIP (civil servant number) as printed.
    pub fn nip(mut self, nip: impl Into<String>) -> Self {
        self.nip = Some(nip.into());
        self
    }
    /// Its identifier.
    pub fn id(&self) -> &AssignmentId {
        &self.id
    }
    /// The position held.
    pub fn position(&self) -> &PositionId {
        &self.position
    }
    /// How it is held.
    pub fn kind(&self) -> AssignmentKind {
        self.kind
    }
    /// Nama: the holder's name as printed.
    pub fn holder(&self) -> &str {
        &self.holder
    }
    /// NIP of the holder, if given.
    pub fn holder_nip(&self) -> Option<&str> {
        self.nip.as_deref()
    }
    /// Whether the assignment is valid at `at` (`from <= at < until`).
    pub fn is_active_at(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && self.until.is_none_or(|u| at < u)
    }
}

/// Organisasi: the positions, their hierarchy and the assignments.
///
/// A position's superior must exist before the position is added, so the
/// hierarchy is a forest and can never contain a cycle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Org {
    positions: BTreeMap<PositionId, Position>,
    assignments: BTreeMap<AssignmentId, Assignment>,
}

impl Org {
    /// An empty organisation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a position with its title, under `superior` (which must exist).
    pub fn add_position(
        &mut self,
        id: PositionId,
        title: impl Into<String>,
        superior: Option<&PositionId>,
    ) -> Result<(), DispositionError> {
        if self.positions.contains_key(&id) {
            return Err(DispositionError::DuplicatePosition { position: id });
        }
        if let Some(s) = superior
            && !self.positions.contains_key(s)
        {
            return Err(DispositionError::UnknownPosition {
                position: s.clone(),
            });
        }
        let position = Position {
            id: id.clone(),
            title: title.into(),
            superior: superior.cloned(),
        };
        self.positions.insert(id, position);
        Ok(())
    }

    /// Adds an assignment to an existing position.
    pub fn add_assignment(&mut self, assignment: Assignment) -> Result<(), DispositionError> {
        if self.assignments.contains_key(&assignment.id) {
            return Err(DispositionError::DuplicateAssignment {
                assignment: assignment.id,
            });
        }
        if !self.positions.contains_key(&assignment.position) {
            return Err(DispositionError::UnknownPosition {
                position: assignment.position,
            });
        }
        if assignment.until.is_some_and(|u| u <= assignment.from) {
            return Err(DispositionError::EmptyInterval {
                assignment: assignment.id,
            });
        }
        self.assignments.insert(assignment.id.clone(), assignment);
        Ok(())
    }

    /// The position with this id.
    pub fn position(&self, id: &PositionId) -> Option<&Position> {
        self.positions.get(id)
    }

    /// The assignment with this id.
    pub fn assignment(&self, id: &AssignmentId) -> Option<&Assignment> {
        self.assignments.get(id)
    }

    /// All positions, ordered by id.
    pub fn positions(&self) -> impl Iterator<Item = &Position> {
        self.positions.values()
    }

    /// All assignments, ordered by id.
    pub fn assignments(&self) -> impl Iterator<Item = &Assignment> {
        self.assignments.values()
    }

    /// Whether `lower` is strictly below `upper` (a descendant in the hierarchy).
    pub fn is_below(&self, lower: &PositionId, upper: &PositionId) -> bool {
        let mut current = self.positions.get(lower).and_then(|p| p.superior.as_ref());
        // The hierarchy is acyclic by construction; the bound is a second guard.
        for _ in 0..self.positions.len() {
            match current {
                None => return false,
                Some(p) if p == upper => return true,
                Some(p) => current = self.positions.get(p).and_then(|p| p.superior.as_ref()),
            }
        }
        false
    }

    /// The assignment `actor`, checked to exist and be active at `at`.
    pub(crate) fn active(
        &self,
        actor: &AssignmentId,
        at: DateTime<Utc>,
    ) -> Result<&Assignment, DispositionError> {
        let a = self
            .assignments
            .get(actor)
            .ok_or_else(|| DispositionError::UnknownAssignment {
                assignment: actor.clone(),
            })?;
        if !a.is_active_at(at) {
            return Err(DispositionError::AssignmentNotActive {
                assignment: actor.clone(),
                at,
            });
        }
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn p(s: &str) -> PositionId {
        PositionId::new(s).unwrap()
    }

    #[test]
    fn ids_are_validated() {
        assert!(PositionId::new("").is_err());
        assert!(PositionId::new("a\nb").is_err());
        assert!(PositionId::new("x".repeat(129)).is_err());
        assert!(serde_json::from_str::<PositionId>("\"\"").is_err());
        assert_eq!(p("kadis").as_str(), "kadis");
    }

    #[test]
    fn hierarchy_is_checked() {
        let mut org = Org::new();
        org.add_position(p("kadis"), "Kepala Dinas", None).unwrap();
        org.add_position(p("kabid"), "Kepala Bidang", Some(&p("kadis")))
            .unwrap();
        org.add_position(p("staf"), "Staf", Some(&p("kabid")))
            .unwrap();
        assert!(org.is_below(&p("staf"), &p("kadis")));
        assert!(!org.is_below(&p("kadis"), &p("staf")));
        assert!(!org.is_below(&p("kadis"), &p("kadis")));
        assert!(matches!(
            org.add_position(p("x"), "X", Some(&p("nope"))),
            Err(DispositionError::UnknownPosition { .. })
        ));
        assert!(matches!(
            org.add_position(p("kadis"), "X", None),
            Err(DispositionError::DuplicatePosition { .. })
        ));
        let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let a = Assignment::new(
            AssignmentId::new("a").unwrap(),
            p("kadis"),
            AssignmentKind::Daily,
            "Budi",
            t0,
        )
        .until(t0);
        assert!(matches!(
            org.add_assignment(a),
            Err(DispositionError::EmptyInterval { .. })
        ));
    }
}
