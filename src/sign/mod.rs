//! Signing PDFs: the [`Signer`] trait (the one extension point), built-in key
//! signers, and the two-phase [`PreparedSignature`] behind [`sign_pdf`].
//!
//! Signing is an incremental update: the original bytes are copied through
//! unchanged and a signature field, its `/Sig` dictionary and a CMS
//! SignedData are appended (ISO 32000-2 §12.8, ETSI EN 319 142-1 PAdES B-B).

mod batch;
mod keys;
mod stamp;

pub use crate::cms::CmsError;
pub use crate::cms::alg::SignatureAlgorithm;
pub use crate::pdf::sigfield::FieldError;
pub use batch::{BatchResult, FileResult, sign_batch, sign_dir};
pub use keys::KeySigner;
pub use stamp::{DEFAULT_TEMPLATE, Placement, Stamp, StampError, StampFields};

use chrono::{DateTime, Utc};
use der::asn1::SetOfVec;
use x509_cert::attr::Attribute;

use crate::cert::{CertError, Certificate};
use crate::cms;
use crate::cms::alg;
use crate::pdf::sigfield::{self, BYTERANGE_DIGITS, FieldParams, Target};
use crate::pdf::{Document, Limits, PdfError};

/// Something that can produce signatures: a key in memory, an HSM, a PKCS#11
/// token or a remote signing service (such as a PSrE's signing API).
///
/// The crate calls [`Signer::algorithm`] and [`Signer::certificate_chain`]
/// while preparing the signature, then [`Signer::sign`] exactly once with the
/// DER encoding of the CMS signed attributes. The signer signs that message
/// itself (hashing it as its algorithm requires: SHA-256 for P-256 and RSA,
/// none for Ed25519, which signs the message directly per RFC 8419).
pub trait Signer: Send + Sync {
    /// The signature algorithm.
    fn algorithm(&self) -> SignatureAlgorithm;
    /// The certificate chain, signer first.
    fn certificate_chain(&self) -> &[Certificate];
    /// Sign `message` (the DER of the signed attributes).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError>;
}

/// Why a signer could not be loaded or could not sign.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignerError {
    /// The private key could not be read.
    #[error("unreadable private key: {0}")]
    BadKey(&'static str),
    /// The key type is not supported.
    #[error("unsupported key type {0}")]
    UnsupportedKey(String),
    /// The private key does not belong to the signer certificate.
    #[error("the private key does not match the certificate")]
    KeyMismatch,
    /// The PKCS#12 file could not be opened (wrong passphrase or malformed).
    #[error("cannot open PKCS#12 file (wrong passphrase or malformed file)")]
    Pkcs12,
    /// The PKCS#12 file holds no private key with a certificate.
    #[error("PKCS#12 file holds no private key with its certificate")]
    Pkcs12NoKey,
    /// A certificate could not be read.
    #[error("certificate: {0}")]
    Certificate(#[from] CertError),
    /// The certificate chain is empty.
    #[error("empty certificate chain")]
    EmptyChain,
    /// An external signer failed.
    #[error("signing backend failed")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Why signing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The input could not be read as a PDF.
    #[error("cannot read the PDF: {0}")]
    Pdf(#[from] PdfError),
    /// The signature field could not be added.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// The signer failed.
    #[error(transparent)]
    Signer(#[from] SignerError),
    /// Building the CMS failed.
    #[error(transparent)]
    Cms(#[from] CmsError),
    /// The signature does not fit the space reserved for it.
    #[error("signature needs {needed} bytes but {reserved} were reserved")]
    ContentsTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes reserved.
        reserved: usize,
    },
    /// Reading the input or writing the output failed.
    #[error("i/o error")]
    Io(#[source] std::io::Error),
    /// The output path is the input path.
    #[error("the output path must differ from the input path")]
    SameFile,
    /// The signature value has the wrong size for the algorithm.
    #[error("signature value of {len} bytes is longer than {algorithm} allows")]
    SignatureTooLong {
        /// Length received.
        len: usize,
        /// Algorithm.
        algorithm: SignatureAlgorithm,
    },
}

/// `/SubFilter` of the signature (ISO 32000-2 §12.8.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SubFilter {
    /// `ETSI.CAdES.detached` (PAdES), the default.
    #[default]
    Pades,
    /// `adbe.pkcs7.detached`, for legacy validators; adds a signingTime attribute.
    Pkcs7,
}

/// Options for one signature.
#[derive(Debug, Clone)]
pub struct SignOptions {
    signing_time: DateTime<Utc>,
    field_name: Option<String>,
    reason: Option<String>,
    location: Option<String>,
    contact: Option<String>,
    name: Option<String>,
    sub_filter: SubFilter,
    page: usize,
    limits: Limits,
    stamp: Option<(Stamp, Placement)>,
    certify: Option<CertificationLevel>,
    lock_fields: bool,
}

/// Certification level of a certification (DocMDP) signature
/// (ISO 32000-2 §12.8.2.2): which later changes keep it valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificationLevel {
    /// P=1: no changes at all (only validation data and document timestamps).
    NoChanges,
    /// P=2: filling in forms and signing.
    FormFilling,
    /// P=3: as P=2, plus annotations.
    Annotations,
}

impl SignOptions {
    /// Options with the signing time (written as `/M`). Time is an input: the
    /// crate never reads the clock while signing.
    pub fn new(signing_time: DateTime<Utc>) -> Self {
        SignOptions {
            signing_time,
            field_name: None,
            reason: None,
            location: None,
            contact: None,
            name: None,
            sub_filter: SubFilter::Pades,
            page: 0,
            limits: Limits::default(),
            stamp: None,
            certify: None,
            lock_fields: false,
        }
    }
    /// Name of the new signature field (default: `Signature1`, `Signature2`, …).
    pub fn field_name(mut self, name: impl Into<String>) -> Self {
        self.field_name = Some(name.into());
        self
    }
    /// `/Reason`.
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
    /// `/Location`.
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }
    /// `/ContactInfo`.
    pub fn contact(mut self, contact: impl Into<String>) -> Self {
        self.contact = Some(contact.into());
        self
    }
    /// `/Name`; defaults to the certificate's common name. Verifiers take the
    /// signer's identity from the certificate, never from this.
    pub fn signer_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// The `/SubFilter`.
    pub fn sub_filter(mut self, sub_filter: SubFilter) -> Self {
        self.sub_filter = sub_filter;
        self
    }
    /// Page (0-based) that carries the signature widget (default 0).
    pub fn page(mut self, page: usize) -> Self {
        self.page = page;
        self
    }
    /// Show a visible stamp at `placement` (the default is an invisible
    /// signature on the first page).
    pub fn stamp(mut self, stamp: Stamp, placement: Placement) -> Self {
        self.stamp = Some((stamp, placement));
        self
    }
    /// Make this a certification signature (must be the document's first).
    pub fn certify(mut self, level: CertificationLevel) -> Self {
        self.certify = Some(level);
        self
    }
    /// Lock every form field after this signature (FieldMDP `/All`).
    pub fn lock_fields(mut self, lock: bool) -> Self {
        self.lock_fields = lock;
        self
    }
    /// Resource limits for reading the input.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// A signature reserved in a document, waiting for its signature value.
///
/// Phase one ([`PreparedSignature::prepare`]) builds the update with
/// placeholders and hashes the signed byte ranges; [`message`](Self::message)
/// is what the signer must sign. Phase two ([`finish`](Self::finish)) embeds
/// the signature value. Between the phases nothing is held but the update and
/// the signed attributes, so a remote service or an approval step can sign.
#[derive(Debug)]
pub struct PreparedSignature {
    update: Vec<u8>,
    contents_at: usize,
    contents_len: usize,
    attrs: SetOfVec<Attribute>,
    message: Vec<u8>,
    algorithm: SignatureAlgorithm,
    chain_der: Vec<Vec<u8>>,
    field_name: String,
    max_signature_len: usize,
}

impl PreparedSignature {
    /// Reserve a signature in `pdf` for a signer with this chain and algorithm.
    pub fn prepare(
        pdf: &[u8],
        chain: &[Certificate],
        algorithm: SignatureAlgorithm,
        opts: &SignOptions,
    ) -> Result<Self, SignError> {
        let signer_cert = chain.first().ok_or(SignerError::EmptyChain)?;
        let chain_der: Vec<Vec<u8>> = chain.iter().map(|c| c.der().to_vec()).collect();
        let hash = algorithm.hash();
        let rsa_bytes = rsa_modulus_len(signer_cert).unwrap_or(512);
        let max_signature_len = algorithm.max_signature_len(rsa_bytes);
        // Size the /Contents from a dry run with a worst-case signature value.
        let signing_time = match opts.sub_filter {
            SubFilter::Pkcs7 => Some(opts.signing_time),
            SubFilter::Pades => None,
        };
        let dry_attrs =
            cms::signed_attributes(&vec![0u8; hash.len()], signer_cert.der(), signing_time)?;
        let dry = cms::assemble(
            dry_attrs,
            algorithm,
            &vec![0xffu8; max_signature_len],
            &chain_der,
        )?;
        let capacity = dry.len() + 64;

        // The original bytes open the signed range: hash them beside the
        // parsing and building of the update (a second thread on large files).
        let (hasher, field) = alg::hash_while(hash, &[pdf], || -> Result<_, SignError> {
            let doc = Document::open(pdf, opts.limits)?;
            let default_name = signer_cert.common_name();
            let target = match opts.stamp.as_ref().map(|(_, p)| p) {
                None => Target::New {
                    page: opts.page,
                    rect: None,
                },
                Some(Placement::Rect { page, rect }) => Target::New {
                    page: *page,
                    rect: Some(*rect),
                },
                Some(Placement::Anchor {
                    marker,
                    page,
                    width,
                    height,
                }) => Target::Anchor {
                    marker: marker.clone(),
                    page: *page,
                    w: *width,
                    h: *height,
                },
                Some(Placement::Field(name)) => Target::Existing(name.clone()),
            };
            let appearance: Option<sigfield::AppearanceBuilder<'_>> =
                opts.stamp.as_ref().map(|(stamp, _)| {
                    let (lines, bold) = stamp.lines(opts.signing_time, default_name.as_deref());
                    let b: sigfield::AppearanceBuilder<'_> = Box::new(move |rect, alloc| {
                        let (qr, qr_width) = match stamp.qr_modules() {
                            Some((m, w)) => (Some(m), w),
                            None => (None, 0),
                        };
                        crate::pdf::stamp::draw(
                            &crate::pdf::stamp::StampSpec {
                                rect,
                                lines: &lines,
                                bold_lines: &bold,
                                qr,
                                qr_width,
                                image: stamp.image_ref(),
                                border: stamp.has_border(),
                            },
                            alloc,
                        )
                    });
                    b
                });
            let field = sigfield::prepare_field(
                &doc,
                FieldParams {
                    field_name: opts.field_name.as_deref(),
                    sub_filter: match opts.sub_filter {
                        SubFilter::Pades => "ETSI.CAdES.detached",
                        SubFilter::Pkcs7 => "adbe.pkcs7.detached",
                    },
                    signing_time: opts.signing_time,
                    name: opts.name.as_deref().or(default_name.as_deref()),
                    reason: opts.reason.as_deref(),
                    location: opts.location.as_deref(),
                    contact: opts.contact.as_deref(),
                    contents_capacity: capacity,
                    iso_32002: algorithm == SignatureAlgorithm::Ed25519,
                    target,
                    appearance,
                    certify: opts.certify.map(|c| match c {
                        CertificationLevel::NoChanges => 1,
                        CertificationLevel::FormFilling => 2,
                        CertificationLevel::Annotations => 3,
                    }),
                    lock_fields: opts.lock_fields,
                },
            )?;
            Ok(field)
        });
        let field = field?;
        let mut update = field.update;
        let base = pdf.len();
        let b = base + field.contents_at;
        let c = b + field.contents_len;
        let d = base + update.len() - c;
        for (i, v) in [b, c, d].into_iter().enumerate() {
            let text = v.to_string();
            let at = field.byterange_at + i * (BYTERANGE_DIGITS + 1);
            if text.len() > BYTERANGE_DIGITS {
                return Err(PdfError::LimitExceeded {
                    limit: crate::pdf::Limit::FileSize,
                    max: 9_999_999_999,
                }
                .into());
            }
            if let Some(slot) = update.get_mut(at..at + text.len()) {
                slot.copy_from_slice(text.as_bytes());
            }
        }
        let mut h = hasher;
        h.update(update.get(..field.contents_at).unwrap_or_default());
        h.update(
            update
                .get(field.contents_at + field.contents_len..)
                .unwrap_or_default(),
        );
        let digest = h.finish();
        let attrs = cms::signed_attributes(&digest, signer_cert.der(), signing_time)?;
        let message = cms::signed_attributes_der(&attrs)?;
        Ok(PreparedSignature {
            update,
            contents_at: field.contents_at,
            contents_len: field.contents_len,
            attrs,
            message,
            algorithm,
            chain_der,
            field_name: field.field_name,
            max_signature_len,
        })
    }

    /// The bytes the signer must sign: the DER of the signed attributes.
    pub fn message(&self) -> &[u8] {
        &self.message
    }

    /// Name of the signature field this signature fills.
    pub fn field_name(&self) -> &str {
        &self.field_name
    }

    /// Embed the signature value; returns the bytes to append to the original
    /// PDF.
    pub fn finish(mut self, signature: &[u8]) -> Result<Vec<u8>, SignError> {
        if signature.len() > self.max_signature_len {
            return Err(SignError::SignatureTooLong {
                len: signature.len(),
                algorithm: self.algorithm,
            });
        }
        let der = cms::assemble(self.attrs, self.algorithm, signature, &self.chain_der)?;
        let reserved = (self.contents_len - 2) / 2;
        if der.len() > reserved {
            return Err(SignError::ContentsTooSmall {
                needed: der.len(),
                reserved,
            });
        }
        let hex = crate::pdf::object::hex_upper(&der);
        let start = self.contents_at + 1;
        if let Some(slot) = self.update.get_mut(start..start + hex.len()) {
            slot.copy_from_slice(hex.as_bytes());
        }
        Ok(self.update)
    }
}

fn rsa_modulus_len(cert: &Certificate) -> Option<usize> {
    use rsa::traits::PublicKeyParts;
    use spki::DecodePublicKey;
    let spki = cert.spki_der().ok()?;
    rsa::PublicKey::from_public_key_der(&spki)
        .ok()
        .map(|k| k.size())
}

/// Sign `pdf` with `signer`; returns only the incremental update, which the
/// caller appends to the original bytes (see [`sign_into`] and [`sign_file`]).
pub fn sign_update(
    pdf: &[u8],
    signer: &dyn Signer,
    opts: &SignOptions,
) -> Result<Vec<u8>, SignError> {
    let prepared =
        PreparedSignature::prepare(pdf, signer.certificate_chain(), signer.algorithm(), opts)?;
    let signature = signer.sign(prepared.message())?;
    prepared.finish(&signature)
}

/// Sign `pdf` with `signer`; returns the signed file (the original bytes
/// followed by the incremental update).
pub fn sign_pdf(pdf: &[u8], signer: &dyn Signer, opts: &SignOptions) -> Result<Vec<u8>, SignError> {
    // Copying a large input into the returned buffer is the one pass the
    // update does not need: it runs beside the signing (which hashes on a
    // thread of its own), so the wall time stays that of the hash.
    let (out, update) = alg::copy_while(pdf, UPDATE_RESERVE, || sign_update(pdf, signer, opts));
    let update = update?;
    let mut out = out;
    out.extend_from_slice(&update);
    Ok(out)
}

/// Room reserved after the copied input for the update (a stamp with an
/// image may need more; the buffer then grows once).
const UPDATE_RESERVE: usize = 256 << 10;

/// Sign `pdf` and write the signed file to `out` without building a second
/// copy of the document in memory.
pub fn sign_into(
    pdf: &[u8],
    signer: &dyn Signer,
    opts: &SignOptions,
    out: &mut dyn std::io::Write,
) -> Result<(), SignError> {
    let update = sign_update(pdf, signer, opts)?;
    out.write_all(pdf).map_err(SignError::Io)?;
    out.write_all(&update).map_err(SignError::Io)?;
    out.flush().map_err(SignError::Io)
}

/// Sign the file at `input` into `output`. The input is read once; the output
/// is written to a temporary file beside it and renamed, so a failure leaves
/// no partial output. Peak memory is the input size plus the update.
pub fn sign_file(
    input: &std::path::Path,
    output: &std::path::Path,
    signer: &dyn Signer,
    opts: &SignOptions,
) -> Result<(), SignError> {
    let same = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(SignError::SameFile);
    }
    let pdf = std::fs::read(input).map_err(SignError::Io)?;
    let update = sign_update(&pdf, signer, opts)?;
    write_atomically(output, &[&pdf, &update]).map_err(SignError::Io)
}

/// Write `parts` to a temporary file beside `path`, sync, then rename.
pub(crate) fn write_atomically(path: &std::path::Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"))?;
    let tmp = dir.join(format!(
        ".{}.surat-tmp-{}-{:?}",
        name.to_string_lossy(),
        std::process::id(),
        std::thread::current().id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        for p in parts {
            f.write_all(p)?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
