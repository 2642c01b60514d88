//! Algorithm identifiers and the signature verification primitive shared by
//! CMS signer verification and certificate path validation.
//!
//! Allow-list (SECURITY-RULES rule 12): SHA-256/384/512; RSA ≥ 2048 bits with
//! PKCS#1 v1.5 (the rsa crate compares the whole encoded block) or PSS with
//! consistent parameters; ECDSA on P-256/P-384 with named curves and strict
//! DER signatures; Ed25519 per RFC 8419 with `verify_strict` and weak keys
//! rejected.

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5912, rfc8410};
use der::asn1::{AnyRef, Null};
use der::{Decode, Encode, Sequence, Tagged};
use serde::Serialize;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::hazmat::PrehashVerifier;
use spki::{AlgorithmIdentifierOwned, DecodePublicKey};

/// A signature algorithm for signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// Ed25519 (RFC 8032), in CMS per RFC 8419 with SHA-512 as digest.
    Ed25519,
    /// ECDSA on NIST P-256 with SHA-256.
    EcdsaP256Sha256,
    /// ECDSA on NIST P-384 with SHA-384.
    EcdsaP384Sha384,
    /// RSA PKCS#1 v1.5 with SHA-256.
    RsaPkcs1Sha256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    RsaPssSha256,
}

impl SignatureAlgorithm {
    /// The digest used over the document and the signed attributes.
    pub(crate) fn hash(self) -> HashAlg {
        match self {
            SignatureAlgorithm::Ed25519 => HashAlg::Sha512,
            SignatureAlgorithm::EcdsaP384Sha384 => HashAlg::Sha384,
            _ => HashAlg::Sha256,
        }
    }

    /// The `signatureAlgorithm` of a SignerInfo.
    pub(crate) fn identifier(self) -> Result<AlgorithmIdentifierOwned, der::Error> {
        Ok(match self {
            SignatureAlgorithm::Ed25519 => AlgorithmIdentifierOwned {
                oid: rfc8410::ID_ED_25519,
                parameters: None,
            },
            SignatureAlgorithm::EcdsaP256Sha256 => AlgorithmIdentifierOwned {
                oid: rfc5912::ECDSA_WITH_SHA_256,
                parameters: None,
            },
            SignatureAlgorithm::EcdsaP384Sha384 => AlgorithmIdentifierOwned {
                oid: rfc5912::ECDSA_WITH_SHA_384,
                parameters: None,
            },
            SignatureAlgorithm::RsaPkcs1Sha256 => AlgorithmIdentifierOwned {
                oid: rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                parameters: Some(der::Any::encode_from(&Null)?),
            },
            SignatureAlgorithm::RsaPssSha256 => AlgorithmIdentifierOwned {
                oid: rfc5912::ID_RSASSA_PSS,
                parameters: Some(der::Any::from_der(&pss_params_sha256()?)?),
            },
        })
    }

    /// Largest signature this algorithm produces for a key of `rsa_bytes`.
    pub(crate) fn max_signature_len(self, rsa_bytes: usize) -> usize {
        match self {
            SignatureAlgorithm::Ed25519 => 64,
            SignatureAlgorithm::EcdsaP256Sha256 => 72,
            SignatureAlgorithm::EcdsaP384Sha384 => 104,
            SignatureAlgorithm::RsaPkcs1Sha256 | SignatureAlgorithm::RsaPssSha256 => rsa_bytes,
        }
    }
}

impl std::fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignatureAlgorithm::Ed25519 => "Ed25519",
            SignatureAlgorithm::EcdsaP256Sha256 => "ECDSA P-256 SHA-256",
            SignatureAlgorithm::EcdsaP384Sha384 => "ECDSA P-384 SHA-384",
            SignatureAlgorithm::RsaPkcs1Sha256 => "RSA PKCS#1 v1.5 SHA-256",
            SignatureAlgorithm::RsaPssSha256 => "RSA-PSS SHA-256",
        })
    }
}

/// A digest algorithm on the allow-list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum HashAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlg {
    pub(crate) fn oid(self) -> ObjectIdentifier {
        match self {
            HashAlg::Sha256 => rfc5912::ID_SHA_256,
            HashAlg::Sha384 => rfc5912::ID_SHA_384,
            HashAlg::Sha512 => rfc5912::ID_SHA_512,
        }
    }
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            rfc5912::ID_SHA_256 => Some(HashAlg::Sha256),
            rfc5912::ID_SHA_384 => Some(HashAlg::Sha384),
            rfc5912::ID_SHA_512 => Some(HashAlg::Sha512),
            _ => None,
        }
    }
    pub(crate) fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }
    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = Hasher::new(self);
        h.update(data);
        h.finish()
    }
    pub(crate) fn len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }
}

/// An incremental hasher for any allowed digest.
pub(crate) enum Hasher {
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
}

impl Hasher {
    pub(crate) fn new(alg: HashAlg) -> Self {
        match alg {
            HashAlg::Sha256 => Hasher::Sha256(Sha256::new()),
            HashAlg::Sha384 => Hasher::Sha384(Sha384::new()),
            HashAlg::Sha512 => Hasher::Sha512(Sha512::new()),
        }
    }
    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }
    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// Hash `parts` with `alg` while `work` runs on the calling thread.
///
/// Signing has two passes that grow with the file: the digest of the
/// original bytes and the parsing that prepares the update. They are
/// independent, so a large input is hashed on a second core beside `work`
/// (see [`beside`]). The result is the same either way. Verification, whose
/// parsing pass is larger than the hash, uses [`hash_sharing`].
pub(crate) fn hash_while<T>(
    alg: HashAlg,
    parts: &[&[u8]],
    work: impl FnOnce() -> T,
) -> (Hasher, T) {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    beside(total >= BACKGROUND_MIN, || hash_parts(alg, parts), work)
}

/// The hash of `parts` one after the other.
fn hash_parts(alg: HashAlg, parts: &[&[u8]]) -> Hasher {
    let mut h = Hasher::new(alg);
    for p in parts {
        h.update(p);
    }
    h
}

/// The digest of `parts` with `alg` (unless `known` has it already) while
/// the calling thread runs `work`, which is handed `share`: work that
/// threads split among themselves, such as
/// [`crate::pdf::document::ScanJob::run`]. For a large input the digest is
/// taken on a second thread, which takes its share of `share` as soon as
/// the digest is done, so both cores stay busy until the work is; `work`
/// calls `share` for the calling thread's share when it sees fit. Returns
/// the digest, what the hashing thread's `share` returned, and `work`'s
/// result.
pub(crate) fn hash_sharing<S: Send, T>(
    alg: HashAlg,
    parts: &[&[u8]],
    known: impl Fn() -> Option<Vec<u8>> + Sync,
    share: impl Fn() -> S + Sync,
    work: impl FnOnce(&dyn Fn() -> S) -> T,
) -> (Vec<u8>, S, T) {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let share = &share;
    let digest = || known().unwrap_or_else(|| hash_parts(alg, parts).finish());
    let hash_then_share = || (digest(), share());
    let ((d, theirs), out) = beside(total >= BACKGROUND_MIN, hash_then_share, || work(share));
    (d, theirs, out)
}

/// `data` copied into a new buffer with `reserve` bytes to spare, made
/// while `work` runs on the calling thread (beside it for large inputs).
///
/// The copy of a large input costs what its hash costs, mostly in faulting
/// in the new buffer's pages, and that cost varies from run to run. So above
/// [`SHARED_COPY_MIN`] the copy is split into pieces that the helper takes
/// from the start, and the calling thread takes what is left as soon as
/// `work` (which waits for the hash) returns: the two passes end together
/// instead of the slower one alone deciding the time.
pub(crate) fn copy_while<T>(data: &[u8], reserve: usize, work: impl FnOnce() -> T) -> (Vec<u8>, T) {
    let len = data.len();
    if len < SHARED_COPY_MIN {
        let copy = || {
            let mut out = Vec::with_capacity(len.saturating_add(reserve));
            out.extend_from_slice(data);
            out
        };
        return beside(len >= BACKGROUND_MIN, copy, work);
    }
    // A zeroed block this large comes from the allocator as fresh pages of
    // the kernel's, not written until the pieces are copied into them.
    let mut out = vec![0u8; len.saturating_add(reserve)];
    let result = {
        let to = out.get_mut(..len).unwrap_or_default();
        // Reversed, so that pieces are taken from the start of the file.
        let pieces: Vec<(&mut [u8], &[u8])> = to
            .chunks_mut(COPY_PIECE)
            .zip(data.chunks(COPY_PIECE))
            .rev()
            .collect();
        let pieces = std::sync::Mutex::new(pieces);
        let copy = || {
            loop {
                let next = pieces
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .pop();
                let Some((to, from)) = next else { return };
                to.copy_from_slice(from);
            }
        };
        let ((), result) = beside(true, copy, || {
            let result = work();
            copy();
            result
        });
        result
    };
    out.truncate(len);
    (out, result)
}

/// Inputs from this size are copied in shared pieces by [`copy_while`].
/// Allocators hand out blocks this large as fresh, zeroed pages (glibc maps
/// every block above 32 MiB anew), so the zeroed buffer costs nothing until
/// it is written; below it, zeroing could be a pass of its own.
const SHARED_COPY_MIN: usize = 32 << 20;

/// The pieces [`copy_while`] shares: a few dozen for a 100 MB file, so that
/// the two threads end close together and taking one costs nothing.
const COPY_PIECE: usize = 2 << 20;

/// Inputs at least this large get their second pass on a second thread;
/// below it a thread costs more than it saves.
pub(crate) const BACKGROUND_MIN: usize = 1 << 20;

/// Run `background` on a helper thread while `work` runs on this one, when
/// `large` and the process has two cores or more; otherwise (or if no
/// helper thread can be started) one after the other.
///
/// The helpers are a pool, one thread per core, started on first use and
/// asleep between calls, rather than a thread spawned per call: Linux often
/// places a new thread on its parent's core, where it waits until the load
/// balancer moves it (1 to 4 ms in our measurements, the time SHA-256 takes
/// over 6 MB), while a thread woken from sleep goes to an idle core.
pub(crate) fn beside<A: Send, T>(
    large: bool,
    background: impl Fn() -> A + Sync,
    work: impl FnOnce() -> T,
) -> (A, T) {
    let Some(pool) = large.then(helpers).flatten() else {
        let out = work();
        return (background(), out);
    };
    let background = &background;
    let mut slot = None;
    let out = pool.in_place_scope(|s| {
        let slot = &mut slot;
        s.spawn(move |_| *slot = Some(background()));
        work()
    });
    // The scope ends only when the spawned job has run (a panic in it
    // propagates from the scope), so `slot` is filled.
    (slot.unwrap_or_else(background), out)
}

/// The helper threads of [`beside`], or `None` with fewer than two cores,
/// when no thread can be started, or in a process forked after the pool
/// started (which has none of its threads: a job sent there would never
/// run, and the caller would wait for ever).
fn helpers() -> Option<&'static rayon_core::ThreadPool> {
    type Pool = Option<(u32, rayon_core::ThreadPool)>;
    static POOL: std::sync::OnceLock<Pool> = std::sync::OnceLock::new();
    let (pid, pool) = POOL
        .get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
            (cores >= 2)
                .then(|| {
                    rayon_core::ThreadPoolBuilder::new()
                        .num_threads(cores)
                        .thread_name(|i| format!("surat-helper-{i}"))
                        .build()
                        .ok()
                })
                .flatten()
                .map(|pool| (std::process::id(), pool))
        })
        .as_ref()?;
    (*pid == std::process::id()).then_some(pool)
}

/// A verification scheme resolved from algorithm identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    RsaPkcs1(HashAlg),
    RsaPss { hash: HashAlg, salt: usize },
    Ecdsa(HashAlg),
    Ed25519,
}

impl Scheme {
    pub(crate) fn name(self) -> String {
        match self {
            Scheme::RsaPkcs1(h) => format!("RSA PKCS#1 v1.5 with {h:?}"),
            Scheme::RsaPss { hash, .. } => format!("RSA-PSS with {hash:?}"),
            Scheme::Ecdsa(h) => format!("ECDSA with {h:?}"),
            Scheme::Ed25519 => "Ed25519".to_string(),
        }
    }
}

/// Why an algorithm or a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AlgorithmError {
    /// The algorithm is not on the allow-list.
    #[error("algorithm {0} is not allowed")]
    NotAllowed(String),
    /// Parameters are inconsistent or malformed.
    #[error("inconsistent algorithm parameters: {0}")]
    BadParameters(&'static str),
    /// The public key is malformed, weak or of the wrong type.
    #[error("unusable public key: {0}")]
    BadKey(&'static str),
    /// The signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
}

/// Resolve the scheme of a CMS SignerInfo (digestAlgorithm + signatureAlgorithm).
pub(crate) fn scheme_for_cms(
    digest: &AlgorithmIdentifierOwned,
    sig: &AlgorithmIdentifierOwned,
) -> Result<Scheme, AlgorithmError> {
    let hash = HashAlg::from_oid(&digest.oid)
        .ok_or_else(|| AlgorithmError::NotAllowed(format!("digest {}", digest.oid)))?;
    if !params_absent_or_null(digest) {
        return Err(AlgorithmError::BadParameters("digest algorithm parameters"));
    }
    let scheme = match sig.oid {
        rfc5912::RSA_ENCRYPTION => {
            if !params_absent_or_null(sig) {
                return Err(AlgorithmError::BadParameters("rsaEncryption parameters"));
            }
            Scheme::RsaPkcs1(hash)
        }
        _ => scheme_for_x509(sig)?,
    };
    let declared = match scheme {
        Scheme::RsaPkcs1(h) | Scheme::Ecdsa(h) | Scheme::RsaPss { hash: h, .. } => h,
        // RFC 8419 §3: with signed attributes, the digest is SHA-512.
        Scheme::Ed25519 => HashAlg::Sha512,
    };
    if declared != hash {
        return Err(AlgorithmError::BadParameters(
            "digestAlgorithm does not match the signature algorithm",
        ));
    }
    Ok(scheme)
}

/// Resolve the scheme of a certificate's signatureAlgorithm.
pub(crate) fn scheme_for_x509(sig: &AlgorithmIdentifierOwned) -> Result<Scheme, AlgorithmError> {
    let null_ok = |s: Scheme| {
        if params_absent_or_null(sig) {
            Ok(s)
        } else {
            Err(AlgorithmError::BadParameters("RSA signature parameters"))
        }
    };
    let absent = |s: Scheme| {
        if sig.parameters.is_none() {
            Ok(s)
        } else {
            Err(AlgorithmError::BadParameters("parameters must be absent"))
        }
    };
    match sig.oid {
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION => null_ok(Scheme::RsaPkcs1(HashAlg::Sha256)),
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION => null_ok(Scheme::RsaPkcs1(HashAlg::Sha384)),
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION => null_ok(Scheme::RsaPkcs1(HashAlg::Sha512)),
        rfc5912::ECDSA_WITH_SHA_256 => absent(Scheme::Ecdsa(HashAlg::Sha256)),
        rfc5912::ECDSA_WITH_SHA_384 => absent(Scheme::Ecdsa(HashAlg::Sha384)),
        rfc5912::ECDSA_WITH_SHA_512 => absent(Scheme::Ecdsa(HashAlg::Sha512)),
        rfc8410::ID_ED_25519 => absent(Scheme::Ed25519),
        rfc5912::ID_RSASSA_PSS => pss_scheme(sig),
        other => Err(AlgorithmError::NotAllowed(oid_name(&other))),
    }
}

fn oid_name(oid: &ObjectIdentifier) -> String {
    const_oid::db::DB
        .by_oid(oid)
        .map_or_else(|| oid.to_string(), str::to_string)
}

fn params_absent_or_null(alg: &AlgorithmIdentifierOwned) -> bool {
    match &alg.parameters {
        None => true,
        Some(p) => p.tag() == der::Tag::Null && p.value().is_empty(),
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1), with every field explicit.
#[derive(Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mgf: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_len: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

fn pss_params_sha256() -> Result<Vec<u8>, der::Error> {
    let hash = HashAlg::Sha256.identifier();
    PssParams {
        hash: Some(hash.clone()),
        mgf: Some(AlgorithmIdentifierOwned {
            oid: rfc5912::ID_MGF_1,
            parameters: Some(der::Any::encode_from(&hash)?),
        }),
        salt_len: Some(32),
        trailer: None,
    }
    .to_der()
}

fn pss_scheme(sig: &AlgorithmIdentifierOwned) -> Result<Scheme, AlgorithmError> {
    let bad = AlgorithmError::BadParameters("RSASSA-PSS parameters");
    let params = sig.parameters.as_ref().ok_or(bad.clone())?;
    let der = params.to_der().map_err(|_| bad.clone())?;
    let p = PssParams::from_der(&der).map_err(|_| bad.clone())?;
    // Defaults are SHA-1, which is not allowed: every field must be present.
    let hash_id = p
        .hash
        .ok_or(AlgorithmError::NotAllowed("PSS with SHA-1".into()))?;
    let hash = HashAlg::from_oid(&hash_id.oid)
        .ok_or_else(|| AlgorithmError::NotAllowed(format!("PSS digest {}", hash_id.oid)))?;
    let mgf = p
        .mgf
        .ok_or(AlgorithmError::NotAllowed("PSS MGF1 with SHA-1".into()))?;
    if mgf.oid != rfc5912::ID_MGF_1 {
        return Err(bad);
    }
    let mgf_hash: AlgorithmIdentifierOwned = mgf
        .parameters
        .as_ref()
        .and_then(|a| a.decode_as().ok())
        .ok_or(bad.clone())?;
    if HashAlg::from_oid(&mgf_hash.oid) != Some(hash) {
        return Err(AlgorithmError::BadParameters(
            "PSS MGF1 digest differs from the message digest",
        ));
    }
    if p.trailer.is_some_and(|t| t != 1) {
        return Err(bad);
    }
    let salt = usize::try_from(p.salt_len.unwrap_or(20)).map_err(|_| bad.clone())?;
    if salt > 512 {
        return Err(bad);
    }
    Ok(Scheme::RsaPss { hash, salt })
}

/// Verify `signature` over `message` with the key in `spki_der`.
pub(crate) fn verify(
    scheme: Scheme,
    spki_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), AlgorithmError> {
    match scheme {
        Scheme::Ed25519 => {
            let key = ed25519_dalek::VerifyingKey::from_public_key_der(spki_der)
                .map_err(|_| AlgorithmError::BadKey("not an Ed25519 key"))?;
            if key.is_weak() {
                return Err(AlgorithmError::BadKey("weak (small-order) Ed25519 key"));
            }
            let sig = ed25519_dalek::Signature::from_slice(signature)
                .map_err(|_| AlgorithmError::BadSignature)?;
            key.verify_strict(message, &sig)
                .map_err(|_| AlgorithmError::BadSignature)
        }
        Scheme::Ecdsa(hash) => {
            let digest = hash.digest(message);
            let curve = ec_curve(spki_der)?;
            if curve == rfc5912::SECP_256_R_1 {
                let key = p256::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                    .map_err(|_| AlgorithmError::BadKey("invalid P-256 key"))?;
                let sig = p256::ecdsa::Signature::from_der(signature)
                    .map_err(|_| AlgorithmError::BadSignature)?;
                key.verify_prehash(&digest, &sig)
                    .map_err(|_| AlgorithmError::BadSignature)
            } else if curve == rfc5912::SECP_384_R_1 {
                let key = p384::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                    .map_err(|_| AlgorithmError::BadKey("invalid P-384 key"))?;
                let sig = p384::ecdsa::Signature::from_der(signature)
                    .map_err(|_| AlgorithmError::BadSignature)?;
                key.verify_prehash(&digest, &sig)
                    .map_err(|_| AlgorithmError::BadSignature)
            } else {
                Err(AlgorithmError::NotAllowed(format!("curve {curve}")))
            }
        }
        Scheme::RsaPkcs1(hash) => {
            let key = rsa_key(spki_der)?;
            let sig = rsa::pkcs1v15::Signature::try_from(signature)
                .map_err(|_| AlgorithmError::BadSignature)?;
            use signature::Verifier;
            let r = match hash {
                HashAlg::Sha256 => {
                    rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key).verify(message, &sig)
                }
                HashAlg::Sha384 => {
                    rsa::pkcs1v15::VerifyingKey::<Sha384>::new(key).verify(message, &sig)
                }
                HashAlg::Sha512 => {
                    rsa::pkcs1v15::VerifyingKey::<Sha512>::new(key).verify(message, &sig)
                }
            };
            r.map_err(|_| AlgorithmError::BadSignature)
        }
        Scheme::RsaPss { hash, salt } => {
            let key = rsa_key(spki_der)?;
            let sig = rsa::pss::Signature::try_from(signature)
                .map_err(|_| AlgorithmError::BadSignature)?;
            use signature::Verifier;
            let r = match hash {
                HashAlg::Sha256 => rsa::pss::VerifyingKey::<Sha256>::new_with_salt_len(key, salt)
                    .verify(message, &sig),
                HashAlg::Sha384 => rsa::pss::VerifyingKey::<Sha384>::new_with_salt_len(key, salt)
                    .verify(message, &sig),
                HashAlg::Sha512 => rsa::pss::VerifyingKey::<Sha512>::new_with_salt_len(key, salt)
                    .verify(message, &sig),
            };
            r.map_err(|_| AlgorithmError::BadSignature)
        }
    }
}

fn rsa_key(spki_der: &[u8]) -> Result<rsa::PublicKey, AlgorithmError> {
    use rsa::traits::PublicKeyParts;
    let key = rsa::PublicKey::from_public_key_der(spki_der)
        .map_err(|_| AlgorithmError::BadKey("not an RSA key"))?;
    if key.size() < 256 {
        return Err(AlgorithmError::NotAllowed(
            "RSA key shorter than 2048 bits".into(),
        ));
    }
    Ok(key)
}

/// The named curve of an EC SubjectPublicKeyInfo; explicit parameters are refused.
fn ec_curve(spki_der: &[u8]) -> Result<ObjectIdentifier, AlgorithmError> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(spki_der)
        .map_err(|_| AlgorithmError::BadKey("malformed SubjectPublicKeyInfo"))?;
    if spki.algorithm.oid != rfc5912::ID_EC_PUBLIC_KEY {
        return Err(AlgorithmError::BadKey("not an EC key"));
    }
    let params: Option<AnyRef<'_>> = spki.algorithm.parameters;
    params
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        .ok_or(AlgorithmError::BadKey("EC key without a named curve"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pss_parameters_roundtrip_to_the_same_scheme() {
        let id = SignatureAlgorithm::RsaPssSha256.identifier().unwrap();
        assert_eq!(
            scheme_for_x509(&id).unwrap(),
            Scheme::RsaPss {
                hash: HashAlg::Sha256,
                salt: 32
            }
        );
    }

    #[test]
    fn sha1_is_refused() {
        let id = AlgorithmIdentifierOwned {
            oid: rfc5912::SHA_1_WITH_RSA_ENCRYPTION,
            parameters: None,
        };
        assert!(matches!(
            scheme_for_x509(&id),
            Err(AlgorithmError::NotAllowed(_))
        ));
    }

    #[test]
    fn cms_digest_must_match() {
        let sig = SignatureAlgorithm::Ed25519.identifier().unwrap();
        assert!(scheme_for_cms(&HashAlg::Sha256.identifier(), &sig).is_err());
        assert_eq!(
            scheme_for_cms(&HashAlg::Sha512.identifier(), &sig).unwrap(),
            Scheme::Ed25519
        );
    }

    #[test]
    fn helpers_serve_many_callers_at_once() {
        // Large enough for the helper threads; more callers than helpers.
        let data: Vec<u8> = (0..BACKGROUND_MIN * 2 + 12_345)
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        let (head, tail) = data.split_at(1000);
        let want = HashAlg::Sha256.digest(&data);
        std::thread::scope(|s| {
            let callers: Vec<_> = (0..6)
                .map(|k| {
                    let (data, want) = (&data, &want);
                    s.spawn(move || {
                        let (h, w) = hash_while(HashAlg::Sha256, &[head, tail], || k * 2);
                        assert_eq!(&h.finish(), want);
                        assert_eq!(w, k * 2);
                        let (copy, w) = copy_while(data, 7, || k);
                        assert_eq!(&copy, data);
                        assert!(copy.capacity() >= data.len() + 7);
                        assert_eq!(w, k);
                    })
                })
                .collect();
            for c in callers {
                c.join().unwrap();
            }
        });
        // Callers that are themselves threads of another pool (an
        // application's rayon pool, say) wait for the helpers without
        // deadlock.
        let theirs = rayon_core::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        theirs.scope(|s| {
            for k in 0..4 {
                let (head, tail, want) = (head, tail, &want);
                s.spawn(move |_| {
                    let (h, w) = hash_while(HashAlg::Sha256, &[head, tail], || k);
                    assert_eq!(&h.finish(), want);
                    assert_eq!(w, k);
                });
            }
        });
    }

    #[test]
    fn large_copies_are_shared_in_pieces_and_exact() {
        // Past the shared-copy size, with a last piece shorter than the rest.
        let data: Vec<u8> = (0..SHARED_COPY_MIN + COPY_PIECE / 3 + 5)
            .map(|i| (i * 131 % 253) as u8)
            .collect();
        let (copy, w) = copy_while(&data, 1000, || "work");
        assert_eq!(w, "work");
        assert_eq!(copy.len(), data.len());
        assert!(copy == data);
        assert!(copy.capacity() >= data.len() + 1000);
    }

    #[test]
    fn a_panic_on_a_helper_reaches_the_caller_and_the_helpers_go_on() {
        let panicked = std::panic::catch_unwind(|| {
            beside(true, || -> u8 { panic!("helper job fails") }, || 1)
        });
        assert!(panicked.is_err());
        let data = vec![7u8; BACKGROUND_MIN + 1];
        let (h, w) = hash_while(HashAlg::Sha512, &[&data], || "after");
        assert_eq!(h.finish(), HashAlg::Sha512.digest(&data));
        assert_eq!(w, "after");
    }
}
