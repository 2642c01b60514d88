//! # surat
//!
//! Electronic official correspondence (*naskah dinas*), disposition chains
//! (*disposisi*) and PDF electronic signatures (*tanda tangan elektronik*, TTE)
//! for the Indonesian public sector.
//!
//! - [`letter`]: the naskah dinas model (kinds, sifat, urgensi, addressees,
//!   signature blocks with a.n./u.b./Plt./Plh./Pj.), positions and dated
//!   assignments, the numbering language and never-reused sequences, review
//!   (paraf bound to a content hash) and the outgoing-letter lifecycle, and
//!   registration of incoming letters.
//! - [`render`]: a letter to an A4 PDF with selectable text and a reserved
//!   rectangle for the electronic signature stamp.
//! - [`sign`]: PAdES/CMS signatures in an incremental update (Ed25519,
//!   ECDSA, RSA), visible stamps with a QR code, bulk signing, and the
//!   [`sign::Signer`] trait for HSMs and remote signing services.
//! - [`verify`]: a report per signature and per document.
//! - [`cert`]: certificates, trust anchors and path validation.
//!
//! Signing appends an incremental update with a PAdES (CMS) signature; the
//! original bytes are never rewritten. Verification reports, per signature,
//! integrity, signature validity, signer, trust, coverage and later changes.
//!
//! ```no_run
//! use surat::cert::TrustStore;
//! use surat::sign::{sign_pdf, KeySigner, SignOptions};
//! use surat::verify::Verifier;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let signer = KeySigner::from_pem(&std::fs::read("key.pem")?, &std::fs::read("cert.pem")?)?;
//! let pdf = std::fs::read("letter.pdf")?;
//! let now = chrono::Utc::now();
//! let signed = sign_pdf(&pdf, &signer, &SignOptions::new(now).reason("Disetujui"))?;
//! let trust = TrustStore::from_pem(&std::fs::read("root.pem")?)?;
//! let report = Verifier::new(trust).at(now).verify(&signed)?;
//! assert!(report.is_valid());
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cert;
mod cms;
pub mod disposition;
mod error;
pub mod letter;
mod pdf;
pub mod render;
pub mod sign;
pub mod verify;

pub use error::Error;
pub use pdf::{Limit, Limits, PdfError};

/// Thin wrappers over internals for fuzz targets and vector tests.
///
/// This module is **not** part of the stable API: it exists so that
/// `fuzz/` and the test suite can reach the parsers directly. It may change
/// or disappear in any release.
#[doc(hidden)]
pub mod fuzzing;
