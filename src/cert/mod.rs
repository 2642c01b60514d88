//! Certificates, trust anchors and path validation at an explicit time
//! (RFC 5280 §6, restricted to what document signing needs).
//!
//! A certificate keeps the DER it was received as; every hash and every
//! signature check is over those bytes. x509-parser is the one parser of
//! record for names, validity, and extensions.

use chrono::{DateTime, Utc};
use serde::Serialize;
use x509_parser::prelude::{FromDer, ParsedExtension, X509Certificate};

use crate::cms::alg::{self, AlgorithmError};

/// An X.509 certificate, kept as received.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    subject: String,
    issuer: String,
    serial_hex: String,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    info: std::sync::Arc<Info>,
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}
impl Eq for Certificate {}

/// What path validation needs, extracted once when the certificate is read.
#[derive(Debug, Default)]
pub(crate) struct Info {
    pub subject_raw: Vec<u8>,
    pub issuer_raw: Vec<u8>,
    pub serial_raw: Vec<u8>,
    pub spki: Vec<u8>,
    pub tbs: Vec<u8>,
    pub signature: Vec<u8>,
    pub ca: bool,
    pub path_len: Option<u32>,
    /// keyUsage: (digitalSignature, nonRepudiation, keyCertSign); `None` if absent.
    pub key_usage: Option<(bool, bool, bool)>,
    pub key_usage_malformed: bool,
    /// extendedKeyUsage: (a document-signing purpose, emailProtection or any).
    pub eku: Option<(bool, bool)>,
    /// The first critical extension this crate does not process.
    pub unknown_critical: Option<String>,
    pub subject_key_id: Option<Vec<u8>>,
    pub common_name: Option<String>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject)
            .field("issuer", &self.issuer)
            .field("serial", &self.serial_hex)
            .finish_non_exhaustive()
    }
}

/// Why a certificate could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    /// Not a DER X.509 certificate (or trailing bytes follow it).
    #[error("malformed certificate")]
    Malformed,
    /// No certificate in the PEM input.
    #[error("no certificate found in PEM data")]
    NoCertificate,
    /// PEM framing is broken.
    #[error("malformed PEM")]
    Pem,
}

fn to_utc(t: x509_parser::time::ASN1Time) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(t.timestamp(), 0).unwrap_or_default()
}

impl Certificate {
    /// Parse one DER certificate; trailing bytes are refused.
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        let (rest, c) = X509Certificate::from_der(der).map_err(|_| CertError::Malformed)?;
        if !rest.is_empty() {
            return Err(CertError::Malformed);
        }
        let (ca, path_len) = match c.basic_constraints() {
            Ok(Some(bc)) => (bc.value.ca, bc.value.path_len_constraint),
            _ => (false, None),
        };
        let (key_usage, key_usage_malformed) = match c.key_usage() {
            Ok(Some(ku)) => (
                Some((
                    ku.value.digital_signature(),
                    ku.value.non_repudiation(),
                    ku.value.key_cert_sign(),
                )),
                false,
            ),
            Ok(None) => (None, false),
            Err(_) => (None, true),
        };
        let mut eku = None;
        let mut subject_key_id = None;
        let mut unknown_critical = None;
        for ext in c.extensions() {
            let oid = ext.oid.to_id_string();
            if ext.critical
                && unknown_critical.is_none()
                && !KNOWN_EXTENSIONS.contains(&oid.as_str())
            {
                unknown_critical = Some(oid);
            }
            match ext.parsed_extension() {
                ParsedExtension::ExtendedKeyUsage(e) => {
                    let doc = e.other.iter().any(|o| {
                        matches!(
                            o.to_id_string().as_str(),
                            "1.3.6.1.5.5.7.3.36"
                                | "1.2.840.113583.1.1.5"
                                | "1.3.6.1.4.1.311.10.3.12"
                        )
                    });
                    eku = Some((doc, e.email_protection || e.any));
                }
                ParsedExtension::SubjectKeyIdentifier(k) => subject_key_id = Some(k.0.to_vec()),
                _ => {}
            }
        }
        let info = Info {
            subject_raw: c.subject().as_raw().to_vec(),
            issuer_raw: c.issuer().as_raw().to_vec(),
            serial_raw: c.raw_serial().to_vec(),
            spki: c.public_key().raw.to_vec(),
            tbs: c.tbs_certificate.as_ref().to_vec(),
            signature: c.signature_value.data.to_vec(),
            ca,
            path_len,
            key_usage,
            key_usage_malformed,
            eku,
            unknown_critical,
            subject_key_id,
            common_name: c
                .subject()
                .iter_common_name()
                .next()
                .and_then(|cn| cn.as_str().ok())
                .map(str::to_string),
        };
        Ok(Certificate {
            der: der.to_vec(),
            subject: c.subject().to_string(),
            issuer: c.issuer().to_string(),
            serial_hex: c.raw_serial_as_string().replace(':', ""),
            not_before: to_utc(c.validity().not_before),
            not_after: to_utc(c.validity().not_after),
            info: std::sync::Arc::new(info),
        })
    }

    /// Parse every `CERTIFICATE` block of a PEM text.
    pub fn from_pem(pem: &[u8]) -> Result<Vec<Self>, CertError> {
        let mut out = Vec::new();
        for p in x509_parser::pem::Pem::iter_from_buffer(pem) {
            let p = p.map_err(|_| CertError::Pem)?;
            if p.label == "CERTIFICATE" {
                out.push(Certificate::from_der(&p.contents)?);
            }
        }
        if out.is_empty() {
            return Err(CertError::NoCertificate);
        }
        Ok(out)
    }

    /// The DER encoding as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }
    /// Subject distinguished name (RFC 4514 style).
    pub fn subject(&self) -> &str {
        &self.subject
    }
    /// Issuer distinguished name.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
    /// Serial number in hexadecimal.
    pub fn serial_hex(&self) -> &str {
        &self.serial_hex
    }
    /// Start of the validity period.
    pub fn not_before(&self) -> DateTime<Utc> {
        self.not_before
    }
    /// End of the validity period.
    pub fn not_after(&self) -> DateTime<Utc> {
        self.not_after
    }
    /// The subject's common name, if any.
    pub fn common_name(&self) -> Option<String> {
        self.info.common_name.clone()
    }

    pub(crate) fn info(&self) -> &Info {
        &self.info
    }

    /// SubjectPublicKeyInfo DER.
    pub(crate) fn spki_der(&self) -> Result<Vec<u8>, CertError> {
        Ok(self.info.spki.clone())
    }
}

/// The trust anchors a verifier accepts.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    roots: Vec<Certificate>,
}

impl TrustStore {
    /// An empty store: nothing is trusted.
    pub fn new() -> Self {
        TrustStore::default()
    }
    /// Add a trust anchor.
    pub fn add(&mut self, cert: Certificate) {
        if !self.roots.contains(&cert) {
            self.roots.push(cert);
        }
    }
    /// A store from every certificate in a PEM text.
    pub fn from_pem(pem: &[u8]) -> Result<Self, CertError> {
        let mut s = TrustStore::new();
        for c in Certificate::from_pem(pem)? {
            s.add(c);
        }
        Ok(s)
    }
    /// The anchors.
    pub fn roots(&self) -> &[Certificate] {
        &self.roots
    }
    fn contains(&self, c: &Certificate) -> bool {
        self.roots.iter().any(|r| r.der == c.der)
    }
}

/// Why no trusted path was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PathError {
    /// No chain leads to a configured trust anchor.
    #[error("no path to a trusted root from {subject}")]
    Untrusted {
        /// The last certificate reached.
        subject: String,
    },
    /// A certificate was not valid at the validation time.
    #[error("certificate {subject} not valid at {at} (valid {not_before} to {not_after})")]
    OutsideValidity {
        /// Subject of that certificate.
        subject: String,
        /// Validation time.
        at: DateTime<Utc>,
        /// Start of validity.
        not_before: DateTime<Utc>,
        /// End of validity.
        not_after: DateTime<Utc>,
    },
    /// An issuing certificate is not a CA or may not sign certificates.
    #[error("{subject} is used as an issuer but is not a CA allowed to sign certificates")]
    NotCa {
        /// Subject of that certificate.
        subject: String,
    },
    /// pathLenConstraint exceeded.
    #[error("path length constraint of {subject} exceeded")]
    PathLength {
        /// Subject of the constraining CA.
        subject: String,
    },
    /// A critical extension this verifier does not process.
    #[error("unsupported critical extension {oid} in {subject}")]
    UnknownCriticalExtension {
        /// Subject of that certificate.
        subject: String,
        /// The extension's OID.
        oid: String,
    },
    /// The signer certificate may not sign documents.
    #[error("signer certificate not allowed for document signing: {reason}")]
    SignerUsage {
        /// What is missing.
        reason: String,
    },
    /// A certificate could not be parsed.
    #[error("malformed certificate in the path")]
    Malformed,
}

/// Which extended key usages a signer certificate may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UsagePolicy {
    /// Accept `emailProtection` and `anyExtendedKeyUsage` (default: yes; many
    /// national CAs issue signing certificates with these).
    pub allow_email_protection: bool,
}

impl Default for UsagePolicy {
    fn default() -> Self {
        UsagePolicy {
            allow_email_protection: true,
        }
    }
}

/// A path from a signer to a trust anchor; only path validation makes one.
#[derive(Debug, Clone)]
pub struct VerifiedChain {
    certs: Vec<Certificate>,
}

impl VerifiedChain {
    /// Signer first, trust anchor last.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certs
    }
}

const MAX_PATH: usize = 8;

/// Certificate links (child signed by issuer) already verified, keyed by the
/// SHA-256 of both DER encodings. Verifying a signature over fixed bytes
/// always gives the same answer, so a verifier that checks many documents
/// from the same CA verifies each link once. Bounded: cleared when full.
#[derive(Debug, Default)]
pub(crate) struct LinkCache {
    links: std::sync::Mutex<std::collections::HashSet<[u8; 32]>>,
}

const LINK_CACHE_MAX: usize = 10_000;

impl LinkCache {
    fn key(child: &[u8], issuer: &[u8]) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update((child.len() as u64).to_be_bytes());
        h.update(child);
        h.update(issuer);
        h.finalize().into()
    }
    fn contains(&self, k: &[u8; 32]) -> bool {
        self.links.lock().is_ok_and(|s| s.contains(k))
    }
    fn insert(&self, k: [u8; 32]) {
        if let Ok(mut s) = self.links.lock() {
            if s.len() >= LINK_CACHE_MAX {
                s.clear();
            }
            s.insert(k);
        }
    }
}

const KNOWN_EXTENSIONS: &[&str] = &[
    "2.5.29.14",         // subjectKeyIdentifier
    "2.5.29.15",         // keyUsage
    "2.5.29.17",         // subjectAltName
    "2.5.29.18",         // issuerAltName
    "2.5.29.19",         // basicConstraints
    "2.5.29.31",         // cRLDistributionPoints
    "2.5.29.32",         // certificatePolicies
    "2.5.29.35",         // authorityKeyIdentifier
    "2.5.29.37",         // extKeyUsage
    "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
];

/// Validate a path from `signer` through `intermediates` (untrusted) to an
/// anchor of `trust`, at time `at`.
pub(crate) fn validate_path(
    signer: &Certificate,
    intermediates: &[Certificate],
    trust: &TrustStore,
    at: DateTime<Utc>,
    policy: UsagePolicy,
    cache: &LinkCache,
) -> Result<VerifiedChain, PathError> {
    check_signer_usage(signer, policy)?;
    let mut path = vec![signer.clone()];
    let mut last_err = PathError::Untrusted {
        subject: signer.subject.clone(),
    };
    if extend(&mut path, intermediates, trust, at, &mut last_err, cache)? {
        return Ok(VerifiedChain { certs: path });
    }
    Err(last_err)
}

fn extend(
    path: &mut Vec<Certificate>,
    intermediates: &[Certificate],
    trust: &TrustStore,
    at: DateTime<Utc>,
    last_err: &mut PathError,
    cache: &LinkCache,
) -> Result<bool, PathError> {
    let Some(cur) = path.last().cloned() else {
        return Ok(false);
    };
    check_common(&cur, at)?;
    if trust.contains(&cur) {
        return Ok(true);
    }
    if path.len() > MAX_PATH {
        return Ok(false);
    }
    let candidates = trust.roots.iter().chain(intermediates.iter());
    for cand in candidates {
        if path.iter().any(|p| p.der == cand.der) {
            continue;
        }
        if cand.info.subject_raw != cur.info.issuer_raw {
            continue;
        }
        let link = LinkCache::key(&cur.der, &cand.der);
        if !cache.contains(&link) {
            if verify_issued_by(&cur, cand).is_err() {
                *last_err = PathError::Untrusted {
                    subject: cur.subject.clone(),
                };
                continue;
            }
            cache.insert(link);
        }
        // The issuer must be a CA allowed to sign certificates.
        let ci = &cand.info;
        let may_sign = !ci.key_usage_malformed && ci.key_usage.is_none_or(|(_, _, kcs)| kcs);
        if !ci.ca || !may_sign {
            *last_err = PathError::NotCa {
                subject: cand.subject.clone(),
            };
            continue;
        }
        // Intermediates below this CA in the path: path.len() - 1.
        if let Some(max) = ci.path_len
            && path.len().saturating_sub(1) > max as usize
        {
            *last_err = PathError::PathLength {
                subject: cand.subject.clone(),
            };
            continue;
        }
        path.push(cand.clone());
        match extend(path, intermediates, trust, at, last_err, cache) {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(e) => *last_err = e,
        }
        path.pop();
    }
    Ok(false)
}

fn check_common(c: &Certificate, at: DateTime<Utc>) -> Result<(), PathError> {
    if at < c.not_before || at > c.not_after {
        return Err(PathError::OutsideValidity {
            subject: c.subject.clone(),
            at,
            not_before: c.not_before,
            not_after: c.not_after,
        });
    }
    if let Some(oid) = &c.info.unknown_critical {
        return Err(PathError::UnknownCriticalExtension {
            subject: c.subject.clone(),
            oid: oid.clone(),
        });
    }
    Ok(())
}

fn verify_issued_by(child: &Certificate, issuer: &Certificate) -> Result<(), AlgorithmError> {
    // The outer signatureAlgorithm, read with the DER crate from the same bytes.
    let typed = <x509_cert::Certificate as der::Decode>::from_der(&child.der)
        .map_err(|_| AlgorithmError::BadParameters("certificate signature algorithm"))?;
    let scheme = alg::scheme_for_x509(typed.signature_algorithm())?;
    alg::verify(
        scheme,
        &issuer.info.spki,
        &child.info.tbs,
        &child.info.signature,
    )
}

fn check_signer_usage(signer: &Certificate, policy: UsagePolicy) -> Result<(), PathError> {
    let i = &signer.info;
    let usage_ok = !i.key_usage_malformed && i.key_usage.is_none_or(|(ds, nr, _)| ds || nr);
    if !usage_ok {
        return Err(PathError::SignerUsage {
            reason: "keyUsage has neither digitalSignature nor nonRepudiation".into(),
        });
    }
    if let Some((doc_signing, email_or_any)) = i.eku
        && !(doc_signing || (email_or_any && policy.allow_email_protection))
    {
        return Err(PathError::SignerUsage {
            reason: "extendedKeyUsage does not allow document signing".into(),
        });
    }
    Ok(())
}
