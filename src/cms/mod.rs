//! CMS SignedData (RFC 5652) for PDF signatures: the detached profile of
//! ISO 32000-2 §12.8.3.3 / ETSI EN 319 142-1 (PAdES), building and parsing.

pub(crate) mod alg;
pub(crate) mod der_walk;

use chrono::{DateTime, Utc};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{
    ID_AA_SIGNING_CERTIFICATE_V_2, ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA,
    ID_SIGNING_TIME,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use alg::{HashAlg, SignatureAlgorithm};

/// Why a CMS structure was refused (SECURITY-RULES rule 9).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CmsError {
    /// Not DER, truncated, or not the expected ASN.1 structure.
    #[error("malformed CMS: {0}")]
    Malformed(&'static str),
    /// The ContentInfo is not SignedData.
    #[error("CMS content is not SignedData")]
    NotSignedData,
    /// Bytes other than zero padding follow the CMS.
    #[error("non-zero bytes after the CMS structure")]
    TrailingData,
    /// Not exactly one SignerInfo.
    #[error("expected exactly one SignerInfo, found {0}")]
    SignerCount(usize),
    /// The signature embeds content although it must be detached.
    #[error("eContent present in a detached signature")]
    EContentPresent,
    /// The encapsulated content type or the contentType attribute is not id-data.
    #[error("content type is not id-data")]
    WrongContentType,
    /// SignerInfo has no signed attributes.
    #[error("no signed attributes")]
    NoSignedAttributes,
    /// The signed attributes are not DER-encoded.
    #[error("signed attributes are not DER-encoded")]
    NonDerSignedAttributes,
    /// A required attribute is missing.
    #[error("signed attribute {0} is missing")]
    MissingAttribute(&'static str),
    /// An attribute type occurs twice or has several values.
    #[error("signed attribute {0} is repeated or multi-valued")]
    RepeatedAttribute(String),
    /// Encoding failed while building.
    #[error("CMS encoding failed")]
    Encode,
}

fn malformed(what: &'static str) -> impl Fn(der::Error) -> CmsError {
    move |_| CmsError::Malformed(what)
}

/// ESSCertIDv2 (RFC 5035 §3).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// IssuerSerial (RFC 5035 §4).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct IssuerSerial {
    pub issuer: Vec<GeneralName>,
    pub serial_number: SerialNumber,
}

/// SigningCertificateV2 (RFC 5035 §3).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, CmsError> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(|_| CmsError::Encode)?;
    Ok(Attribute { oid, values })
}

/// Build the signed attributes; their DER (tag SET) is what gets signed.
pub(crate) fn signed_attributes(
    document_digest: &[u8],
    signer_cert_der: &[u8],
    signing_time: Option<DateTime<Utc>>,
) -> Result<SetOfVec<Attribute>, CmsError> {
    let cert = Certificate::from_der(signer_cert_der).map_err(|_| CmsError::Encode)?;
    let enc = |e: der::Error| -> CmsError {
        let _ = e;
        CmsError::Encode
    };
    let mut attrs = SetOfVec::new();
    attrs
        .insert(attribute(
            ID_CONTENT_TYPE,
            Any::encode_from(&ID_DATA).map_err(enc)?,
        )?)
        .map_err(enc)?;
    let md = OctetString::new(document_digest.to_vec()).map_err(enc)?;
    attrs
        .insert(attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&md).map_err(enc)?,
        )?)
        .map_err(enc)?;
    // ESS signing-certificate-v2 with SHA-256 (the DEFAULT, so omitted).
    let sc = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(HashAlg::Sha256.digest(signer_cert_der)).map_err(enc)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    cert.tbs_certificate().issuer().clone(),
                )],
                serial_number: cert.tbs_certificate().serial_number().clone(),
            }),
        }],
        policies: None,
    };
    attrs
        .insert(attribute(
            ID_AA_SIGNING_CERTIFICATE_V_2,
            Any::encode_from(&sc).map_err(enc)?,
        )?)
        .map_err(enc)?;
    if let Some(t) = signing_time {
        let secs = u64::try_from(t.timestamp()).map_err(|_| CmsError::Encode)?;
        let time = Time::try_from(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
            .map_err(enc)?;
        attrs
            .insert(attribute(
                ID_SIGNING_TIME,
                Any::encode_from(&time).map_err(enc)?,
            )?)
            .map_err(enc)?;
    }
    Ok(attrs)
}

/// DER of the signed attributes as a SET: the message a signer signs.
pub(crate) fn signed_attributes_der(attrs: &SetOfVec<Attribute>) -> Result<Vec<u8>, CmsError> {
    attrs.to_der().map_err(|_| CmsError::Encode)
}

/// Assemble the ContentInfo once the signature value is known.
pub(crate) fn assemble(
    attrs: SetOfVec<Attribute>,
    algorithm: SignatureAlgorithm,
    signature: &[u8],
    chain_der: &[Vec<u8>],
) -> Result<Vec<u8>, CmsError> {
    let enc = |_e: der::Error| CmsError::Encode;
    let signer = chain_der.first().ok_or(CmsError::Encode)?;
    let signer = Certificate::from_der(signer).map_err(enc)?;
    let hash = algorithm.hash();
    let mut certs = SetOfVec::new();
    for der in chain_der {
        let c = Certificate::from_der(der).map_err(enc)?;
        certs
            .insert(CertificateChoices::Certificate(c))
            .map_err(enc)?;
    }
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms.insert(hash.identifier()).map_err(enc)?;
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: signer.tbs_certificate().issuer().clone(),
            serial_number: signer.tbs_certificate().serial_number().clone(),
        }),
        digest_alg: hash.identifier(),
        signed_attrs: Some(attrs),
        signature_algorithm: algorithm.identifier().map_err(enc)?,
        signature: OctetString::new(signature.to_vec()).map_err(enc)?,
        unsigned_attrs: None,
    };
    let mut infos = SetOfVec::new();
    infos.insert(info).map_err(enc)?;
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(infos),
    };
    let ci = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(enc)?,
    };
    ci.to_der().map_err(enc)
}

/// How the signer certificate is identified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SignerId {
    IssuerSerial {
        issuer_der: Vec<u8>,
        serial: Vec<u8>,
    },
    SubjectKeyId(Vec<u8>),
}

/// A parsed, structurally checked SignedData.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCms {
    pub digest_alg: AlgorithmIdentifierOwned,
    pub signature_alg: AlgorithmIdentifierOwned,
    /// Signed attributes exactly as received, with the SET tag (0x31).
    pub signed_attrs: Vec<u8>,
    pub message_digest: Vec<u8>,
    pub signing_certificate_v2: Option<SigningCertificateV2>,
    pub signing_time: Option<DateTime<Utc>>,
    /// Certificates exactly as received.
    pub certificates: Vec<Vec<u8>>,
    /// The envelope came in BER (indefinite lengths) and was read in its
    /// DER form.
    pub ber_envelope: bool,
    pub sid: SignerId,
    pub signature: Vec<u8>,
}

/// Parse the CMS at the front of `data`; anything after it must be zeros.
pub(crate) fn parse(data: &[u8]) -> Result<ParsedCms, CmsError> {
    // BER is tolerated in the envelope only (indefinite lengths, as
    // streaming writers emit): the typed decoding reads its DER form, while
    // the signed attributes and certificates are taken as received below and
    // must be DER themselves.
    let (outer, rest) =
        der_walk::read_ber(data).map_err(|_| CmsError::Malformed("not a DER structure"))?;
    if rest.iter().any(|&b| b != 0) {
        return Err(CmsError::TrailingData);
    }
    let der_form;
    let mut ber_envelope = false;
    let decoded = match ContentInfo::from_der(outer.whole) {
        Ok(ci) => Ok(ci),
        Err(e) => match der_walk::to_der(outer.whole) {
            Ok(d) if d != outer.whole => {
                der_form = d;
                ber_envelope = true;
                ContentInfo::from_der(&der_form)
            }
            _ => Err(e),
        },
    };
    let ci = decoded.map_err(malformed("ContentInfo"))?;
    if ci.content_type != ID_SIGNED_DATA {
        return Err(CmsError::NotSignedData);
    }
    let sd: SignedData = ci.content.decode_as().map_err(malformed("SignedData"))?;
    if sd.encap_content_info.econtent_type != ID_DATA {
        return Err(CmsError::WrongContentType);
    }
    if sd.encap_content_info.econtent.is_some() {
        return Err(CmsError::EContentPresent);
    }
    let n = sd.signer_infos.0.len();
    let info = match sd.signer_infos.0.as_slice() {
        [one] => one,
        _ => return Err(CmsError::SignerCount(n)),
    };
    let raw = RawParts::locate(outer.whole)?;
    let signed_attrs = raw.signed_attrs.ok_or(CmsError::NoSignedAttributes)?;
    let attrs = info
        .signed_attrs
        .as_ref()
        .ok_or(CmsError::NoSignedAttributes)?;
    // Received bytes must be the DER encoding (sorted, minimal).
    if attrs
        .to_der()
        .map_err(|_| CmsError::NonDerSignedAttributes)?
        != signed_attrs
    {
        return Err(CmsError::NonDerSignedAttributes);
    }
    let mut seen = std::collections::HashSet::new();
    for a in attrs.iter() {
        if !seen.insert(a.oid) || a.values.len() != 1 {
            return Err(CmsError::RepeatedAttribute(a.oid.to_string()));
        }
    }
    let value = |oid: ObjectIdentifier| {
        attrs
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.get(0))
    };
    let ct: ObjectIdentifier = value(ID_CONTENT_TYPE)
        .ok_or(CmsError::MissingAttribute("contentType"))?
        .decode_as()
        .map_err(malformed("contentType"))?;
    if ct != ID_DATA {
        return Err(CmsError::WrongContentType);
    }
    let md: OctetString = value(ID_MESSAGE_DIGEST)
        .ok_or(CmsError::MissingAttribute("messageDigest"))?
        .decode_as()
        .map_err(malformed("messageDigest"))?;
    let signing_certificate_v2 = match value(ID_AA_SIGNING_CERTIFICATE_V_2) {
        None => None,
        Some(v) => Some(
            v.decode_as::<SigningCertificateV2>()
                .map_err(malformed("signingCertificateV2"))?,
        ),
    };
    let signing_time = match value(ID_SIGNING_TIME) {
        None => None,
        Some(v) => {
            let t: Time = v.decode_as().map_err(malformed("signingTime"))?;
            let secs = t.to_unix_duration().as_secs();
            DateTime::<Utc>::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0)
        }
    };
    let sid = match &info.sid {
        SignerIdentifier::IssuerAndSerialNumber(is) => SignerId::IssuerSerial {
            issuer_der: is.issuer.to_der().map_err(malformed("issuer"))?,
            serial: is.serial_number.as_bytes().to_vec(),
        },
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            SignerId::SubjectKeyId(ski.0.as_bytes().to_vec())
        }
    };
    Ok(ParsedCms {
        digest_alg: info.digest_alg.clone(),
        signature_alg: info.signature_algorithm.clone(),
        signed_attrs,
        message_digest: md.as_bytes().to_vec(),
        signing_certificate_v2,
        signing_time,
        certificates: raw.certificates,
        ber_envelope,
        sid,
        signature: info.signature.as_bytes().to_vec(),
    })
}

/// Raw slices of a SignedData located with the DER walker (indefinite
/// lengths allowed, so a BER envelope is walked as received).
struct RawParts {
    signed_attrs: Option<Vec<u8>>,
    certificates: Vec<Vec<u8>>,
}

impl RawParts {
    fn locate(content_info: &[u8]) -> Result<Self, CmsError> {
        use der_walk::{children_ber as children, read_ber as read};
        let bad = |_| CmsError::Malformed("SignedData layout");
        let (ci, _) = read(content_info).map_err(bad)?;
        let ci_parts = children(ci.value).map_err(bad)?;
        let explicit = ci_parts
            .get(1)
            .filter(|t| t.tag == 0xa0)
            .ok_or(CmsError::Malformed("content"))?;
        let (sd, _) = read(explicit.value).map_err(bad)?;
        let parts = children(sd.value).map_err(bad)?;
        let mut certificates = Vec::new();
        let mut signer_infos = None;
        // version, digestAlgorithms, encapContentInfo, [0] certs?, [1] crls?, signerInfos
        for p in parts.iter().skip(3) {
            match p.tag {
                0xa0 => {
                    for c in children(p.value).map_err(bad)? {
                        if c.tag == 0x30 {
                            certificates.push(c.whole.to_vec());
                        }
                    }
                }
                0xa1 => {}
                0x31 => signer_infos = Some(p.value),
                _ => return Err(CmsError::Malformed("unexpected element in SignedData")),
            }
        }
        let infos =
            children(signer_infos.ok_or(CmsError::Malformed("no signerInfos"))?).map_err(bad)?;
        let first = infos.first().ok_or(CmsError::SignerCount(0))?;
        let fields = children(first.value).map_err(bad)?;
        // version, sid, digestAlgorithm, [0] signedAttrs?
        let signed_attrs = fields.get(3).filter(|t| t.tag == 0xa0).map(|t| {
            let mut v = t.whole.to_vec();
            if let Some(tag) = v.first_mut() {
                *tag = 0x31;
            }
            v
        });
        Ok(RawParts {
            signed_attrs,
            certificates,
        })
    }
}
