//! Built-in signers over keys held in memory: Ed25519, ECDSA P-256/P-384 and
//! RSA, loaded from PKCS#8 (PEM or DER) or from a PKCS#12 file.

use const_oid::db::{rfc5912, rfc8410};
use der::Decode;
use pkcs8::{DecodePrivateKey, PrivateKeyInfoRef};
use sha2::Sha256;
use signature::Signer as _;
use spki::EncodePublicKey;

use super::{SignatureAlgorithm, Signer, SignerError};
use crate::cert::Certificate;

enum Key {
    Ed25519(Box<ed25519_dalek::SigningKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Rsa {
        key: Box<rsa::PrivateKey>,
        pss: bool,
    },
}

/// A signer over a private key held in memory.
pub struct KeySigner {
    key: Key,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for KeySigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySigner")
            .field("algorithm", &self.algorithm())
            .field("chain", &self.chain)
            .finish_non_exhaustive()
    }
}

impl KeySigner {
    /// A signer from a PKCS#8 DER private key and its chain (signer first).
    /// Fails if the key does not match the first certificate.
    pub fn from_pkcs8_der(key_der: &[u8], chain: Vec<Certificate>) -> Result<Self, SignerError> {
        let info =
            PrivateKeyInfoRef::from_der(key_der).map_err(|_| SignerError::BadKey("not PKCS#8"))?;
        let oid = info.algorithm.oid;
        let key = if oid == rfc8410::ID_ED_25519 {
            Key::Ed25519(Box::new(
                ed25519_dalek::SigningKey::from_pkcs8_der(key_der)
                    .map_err(|_| SignerError::BadKey("Ed25519 PKCS#8"))?,
            ))
        } else if oid == rfc5912::ID_EC_PUBLIC_KEY {
            let curve = info
                .algorithm
                .parameters
                .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok());
            match curve {
                Some(c) if c == rfc5912::SECP_256_R_1 => Key::P256(
                    p256::ecdsa::SigningKey::from_pkcs8_der(key_der)
                        .map_err(|_| SignerError::BadKey("P-256 PKCS#8"))?,
                ),
                Some(c) if c == rfc5912::SECP_384_R_1 => Key::P384(
                    p384::ecdsa::SigningKey::from_pkcs8_der(key_der)
                        .map_err(|_| SignerError::BadKey("P-384 PKCS#8"))?,
                ),
                other => {
                    return Err(SignerError::UnsupportedKey(format!(
                        "EC curve {}",
                        other
                            .map_or_else(|| "(explicit parameters)".to_string(), |o| o.to_string())
                    )));
                }
            }
        } else if oid == rfc5912::RSA_ENCRYPTION {
            let key = rsa::PrivateKey::from_pkcs8_der(key_der)
                .map_err(|_| SignerError::BadKey("RSA PKCS#8"))?;
            use rsa::traits::PublicKeyParts;
            if key.size() < 256 {
                return Err(SignerError::UnsupportedKey(
                    "RSA shorter than 2048 bits".into(),
                ));
            }
            Key::Rsa {
                key: Box::new(key),
                pss: false,
            }
        } else {
            return Err(SignerError::UnsupportedKey(oid.to_string()));
        };
        let signer = KeySigner { key, chain };
        signer.check_matches()?;
        Ok(signer)
    }

    /// A signer from a PEM private key (`BEGIN PRIVATE KEY`, PKCS#8) and a PEM
    /// certificate chain (signer first).
    pub fn from_pem(key_pem: &[u8], chain_pem: &[u8]) -> Result<Self, SignerError> {
        let text =
            std::str::from_utf8(key_pem).map_err(|_| SignerError::BadKey("PEM is not text"))?;
        let (label, doc) = pkcs8::SecretDocument::from_pem(text)
            .map_err(|_| SignerError::BadKey("malformed PEM"))?;
        if label != "PRIVATE KEY" {
            return Err(SignerError::BadKey(
                "expected an unencrypted PKCS#8 `PRIVATE KEY` PEM block",
            ));
        }
        let chain = Certificate::from_pem(chain_pem)?;
        Self::from_pkcs8_der(doc.as_bytes(), chain)
    }

    /// A signer from a PKCS#12 (`.p12`/`.pfx`) file, as Indonesian CAs hand
    /// out certificates. The chain is taken from the file, signer first.
    pub fn from_pkcs12(data: &[u8], passphrase: &str) -> Result<Self, SignerError> {
        let store = p12_keystore::KeyStore::from_pkcs12(
            data,
            passphrase,
            p12_keystore::Pkcs12ImportPolicy::Relaxed,
        )
        .map_err(|_| SignerError::Pkcs12)?;
        let (_, chain) = store.private_key_chain().ok_or(SignerError::Pkcs12NoKey)?;
        let certs: Vec<Certificate> = chain
            .certs()
            .iter()
            .map(|c| Certificate::from_der(c.as_der()))
            .collect::<Result<_, _>>()?;
        if certs.is_empty() {
            return Err(SignerError::Pkcs12NoKey);
        }
        Self::from_pkcs8_der(chain.key().as_der(), certs)
    }

    /// Use RSASSA-PSS instead of PKCS#1 v1.5 (RSA keys only; no effect otherwise).
    pub fn with_rsa_pss(mut self) -> Self {
        if let Key::Rsa { pss, .. } = &mut self.key {
            *pss = true;
        }
        self
    }

    /// Append certificates (intermediates) to the chain sent with signatures.
    pub fn with_extra_certificates(mut self, certs: Vec<Certificate>) -> Self {
        for c in certs {
            if !self.chain.contains(&c) {
                self.chain.push(c);
            }
        }
        self
    }

    fn public_spki(&self) -> Result<Vec<u8>, SignerError> {
        let der = match &self.key {
            Key::Ed25519(k) => k.verifying_key().to_public_key_der(),
            Key::P256(k) => k.verifying_key().to_public_key_der(),
            Key::P384(k) => k.verifying_key().to_public_key_der(),
            Key::Rsa { key, .. } => key.to_public_key().to_public_key_der(),
        }
        .map_err(|_| SignerError::BadKey("cannot encode public key"))?;
        Ok(der.as_bytes().to_vec())
    }

    fn check_matches(&self) -> Result<(), SignerError> {
        let cert = self.chain.first().ok_or(SignerError::EmptyChain)?;
        let cert_spki = cert.spki_der()?;
        if normalize_spki(&cert_spki) != normalize_spki(&self.public_spki()?) {
            return Err(SignerError::KeyMismatch);
        }
        Ok(())
    }
}

/// Compare keys by their algorithm OID and key bits (RSA parameters may be
/// NULL or absent depending on the encoder).
fn normalize_spki(der: &[u8]) -> Option<(String, Vec<u8>)> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der).ok()?;
    Some((
        spki.algorithm.oid.to_string(),
        spki.subject_public_key.raw_bytes().to_vec(),
    ))
}

impl Signer for KeySigner {
    fn algorithm(&self) -> SignatureAlgorithm {
        match &self.key {
            Key::Ed25519(_) => SignatureAlgorithm::Ed25519,
            Key::P256(_) => SignatureAlgorithm::EcdsaP256Sha256,
            Key::P384(_) => SignatureAlgorithm::EcdsaP384Sha384,
            Key::Rsa { pss: false, .. } => SignatureAlgorithm::RsaPkcs1Sha256,
            Key::Rsa { pss: true, .. } => SignatureAlgorithm::RsaPssSha256,
        }
    }

    fn certificate_chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        let backend = |e: signature::Error| SignerError::Backend(Box::new(e));
        Ok(match &self.key {
            Key::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
            Key::P256(k) => {
                let s: p256::ecdsa::Signature = k.try_sign(message).map_err(backend)?;
                s.to_der().as_bytes().to_vec()
            }
            Key::P384(k) => {
                let s: p384::ecdsa::Signature = k.try_sign(message).map_err(backend)?;
                s.to_der().as_bytes().to_vec()
            }
            Key::Rsa { key, pss: false } => {
                let k = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.as_ref().clone());
                let s = k.try_sign(message).map_err(backend)?;
                Box::<[u8]>::from(s).into_vec()
            }
            Key::Rsa { key, pss: true } => {
                let k = rsa::pss::SigningKey::<Sha256>::new(key.as_ref().clone());
                let s = k.try_sign(message).map_err(backend)?;
                Box::<[u8]>::from(s).into_vec()
            }
        })
    }
}
