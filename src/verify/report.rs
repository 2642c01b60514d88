//! The verification report: what holds and what does not, per signature and
//! for the document. Its JSON form (serde) is stable: fields are only added.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// An overall judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// Every check passed.
    Valid,
    /// Some check failed: the signature or document must not be relied on.
    Invalid,
    /// Nothing is proven wrong, but something could not be established
    /// (for example no path to a trusted root).
    Indeterminate,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Valid => "VALID",
            Verdict::Invalid => "INVALID",
            Verdict::Indeterminate => "INDETERMINATE",
        })
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Check {
    /// The check passed.
    Passed,
    /// The check failed, with the reason.
    Failed(String),
    /// The check could not be made, with the reason.
    NotChecked(String),
}

impl Check {
    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        matches!(self, Check::Passed)
    }
}

/// How much of the file a signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Coverage {
    /// The signed ranges cover the whole file but the signature value.
    WholeFile,
    /// They cover a whole earlier revision; later revisions follow.
    WholeRevision,
    /// They cover something else: not a validly signed document.
    Partial,
    /// The byte range could not be established.
    Unknown,
}

/// What later revisions changed, from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LaterChanges {
    /// No later revision.
    None,
    /// Only validation data (DSS) or extension declarations.
    ValidationDataOnly,
    /// Further signatures or document timestamps (and validation data).
    SignaturesOnly,
    /// Form field values.
    FormFilling,
    /// Annotations.
    Annotations,
    /// Anything else: the signed content may have been changed.
    Other,
    /// Not analysed (the signature failed before).
    NotAnalysed,
}

/// Identity of a signer, from the certificate that verified the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SignerIdentity {
    /// Subject distinguished name.
    pub subject: String,
    /// Common name, if present.
    pub common_name: Option<String>,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number (hex).
    pub serial: String,
}

/// Where a visible signature widget sits.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Placement {
    /// Page index (0-based), when the widget names its page or is found in a
    /// page's annotations.
    pub page: Option<usize>,
    /// Rectangle `[x1, y1, x2, y2]` in points.
    pub rect: [f64; 4],
}

/// The report for one signature.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SignatureReport {
    /// Fully qualified field name.
    pub field: String,
    /// `/SubFilter`.
    pub sub_filter: Option<String>,
    /// `/ByteRange` as found.
    pub byte_range: Option<[u64; 4]>,
    /// The revision (1-based) this signature signs, when its range ends at one.
    pub revision: Option<usize>,
    /// Signature algorithm.
    pub algorithm: Option<String>,
    /// Claimed signing time (`/M` or the signingTime attribute): not proven.
    pub claimed_signing_time: Option<DateTime<Utc>>,
    /// Certification level (DocMDP `/P`) when this is a certification signature.
    pub certification: Option<u8>,
    /// The digest of the signed ranges equals the signed messageDigest.
    pub integrity: Check,
    /// The signature value verifies over the signed attributes.
    pub signature: Check,
    /// The signer certificate, selected by the CMS signer identifier.
    pub signer: Option<SignerIdentity>,
    /// signingCertificateV2 binds that certificate.
    pub signer_binding: Check,
    /// A path to a trust anchor, valid at the validation time.
    pub trust: Check,
    /// How much of the file is covered.
    pub coverage: Coverage,
    /// What later revisions changed.
    pub later_changes: LaterChanges,
    /// Details of later changes that are not allowed.
    pub change_notes: Vec<String>,
    /// Where the widget is shown, if visible.
    pub visible: Option<Placement>,
    /// Suspicious structure in the signed revision that does not by itself
    /// change what is shown (references to free or undefined objects,
    /// unreferenced object bodies): the preparations of shadow attacks;
    /// and the encoding quirks that were tolerated (a BER CMS envelope).
    pub warnings: Vec<String>,
    /// The verdict for this signature.
    pub verdict: Verdict,
    /// Why the verdict is not valid.
    pub reasons: Vec<String>,
}

/// The report for a document.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Version of this JSON form.
    pub format: u32,
    /// Overall verdict: valid only if there is at least one signature and
    /// every signature and document check is valid.
    pub verdict: Verdict,
    /// Number of revisions (`%%EOF`-terminated cross-reference sections).
    pub revisions: usize,
    /// File size in bytes.
    pub file_size: u64,
    /// Validation time used for certificates.
    pub validation_time: DateTime<Utc>,
    /// One entry per signature found through the form of any revision.
    pub signatures: Vec<SignatureReport>,
    /// Document-level problems.
    pub problems: Vec<String>,
}

impl Report {
    /// Whether the document verdict is valid.
    pub fn is_valid(&self) -> bool {
        self.verdict == Verdict::Valid
    }
}
