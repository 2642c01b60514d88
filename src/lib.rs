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
pub mod fuzzing {
    use crate::cert::{Certificate, TrustStore, UsagePolicy};
    use crate::pdf::{Document, Limits, Ref};

    /// Parse one PDF object from the start of `data`; `true` if it parsed.
    pub fn parse_object(data: &[u8]) -> bool {
        crate::pdf::parse::Parser::new(data, 0, Limits::default().max_depth)
            .parse_object()
            .is_ok()
    }

    /// Open the revision index of `data` and load every object that any
    /// cross-reference section lists, as seen by the revision ending with
    /// that section. Returns the revision ends (file offsets, ascending).
    pub fn revisions(data: &[u8], limits: Limits) -> Result<Vec<usize>, crate::PdfError> {
        let doc = Document::open(data, limits)?;
        for s in &doc.sections {
            for (&num, e) in &s.entries {
                let r = Ref {
                    num,
                    generation: e.generation(),
                };
                // Errors in single objects are expected on hostile input.
                let _ = doc.get(r, s.end);
            }
        }
        Ok(doc.revision_ends())
    }

    /// Parse and structurally check a CMS SignedData (`crate::cms::parse`).
    pub fn parse_cms(data: &[u8]) -> Result<(), crate::sign::CmsError> {
        crate::cms::parse(data).map(|_| ())
    }

    /// Path validation: `ders[0]` is the signer, the rest untrusted
    /// intermediates; `trust` holds the anchors.
    pub fn cert_path(
        ders: &[&[u8]],
        trust: &TrustStore,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), String> {
        let mut certs = Vec::new();
        for d in ders {
            certs.push(Certificate::from_der(d).map_err(|e| e.to_string())?);
        }
        let Some((signer, rest)) = certs.split_first() else {
            return Err("no certificate".into());
        };
        // A fresh cache: every link is verified, as on first sight.
        let cache = crate::cert::LinkCache::default();
        crate::cert::validate_path(signer, rest, trust, at, UsagePolicy::default(), &cache)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Signature schemes reachable through [`verify_signature`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Scheme {
        /// Ed25519 (strict verification, weak keys refused).
        Ed25519,
        /// ECDSA with SHA-256 (curve from the key: P-256 or P-384).
        EcdsaSha256,
        /// ECDSA with SHA-384.
        EcdsaSha384,
        /// ECDSA with SHA-512.
        EcdsaSha512,
        /// RSA PKCS#1 v1.5 with SHA-256.
        RsaPkcs1Sha256,
        /// RSA PKCS#1 v1.5 with SHA-384.
        RsaPkcs1Sha384,
        /// RSA PKCS#1 v1.5 with SHA-512.
        RsaPkcs1Sha512,
        /// RSA-PSS with SHA-256, MGF1-SHA-256 and the given salt length.
        RsaPssSha256(usize),
    }

    /// The verification primitive shared by CMS and path validation
    /// (`crate::cms::alg::verify`); `spki_der` is a SubjectPublicKeyInfo.
    pub fn verify_signature(scheme: Scheme, spki_der: &[u8], message: &[u8], sig: &[u8]) -> bool {
        use crate::cms::alg::{HashAlg, Scheme as S};
        let s = match scheme {
            Scheme::Ed25519 => S::Ed25519,
            Scheme::EcdsaSha256 => S::Ecdsa(HashAlg::Sha256),
            Scheme::EcdsaSha384 => S::Ecdsa(HashAlg::Sha384),
            Scheme::EcdsaSha512 => S::Ecdsa(HashAlg::Sha512),
            Scheme::RsaPkcs1Sha256 => S::RsaPkcs1(HashAlg::Sha256),
            Scheme::RsaPkcs1Sha384 => S::RsaPkcs1(HashAlg::Sha384),
            Scheme::RsaPkcs1Sha512 => S::RsaPkcs1(HashAlg::Sha512),
            Scheme::RsaPssSha256(salt) => S::RsaPss {
                hash: HashAlg::Sha256,
                salt,
            },
        };
        crate::cms::alg::verify(s, spki_der, message, sig).is_ok()
    }
}
