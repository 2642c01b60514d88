//! # surat
//!
//! Electronic official correspondence (*naskah dinas*), disposition chains
//! (*disposisi*) and PDF electronic signatures (*tanda tangan elektronik*, TTE)
//! for the Indonesian public sector.
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
mod error;
mod pdf;
pub mod sign;
pub mod verify;

pub use error::Error;
pub use pdf::{Limit, Limits, PdfError};
