//! Verifying signed PDFs: [`Verifier`] produces a [`Report`] that states,
//! per signature, integrity, signature validity, signer identity, trust,
//! coverage and later changes, and one verdict per signature and document.
//!
//! `Err` only means the input could not be read at all; a bad signature is
//! data in the report. The defence rules of the project's security contract
//! (`SECURITY-RULES.md`) are implemented here and in the PDF layer.

mod early;
mod report;

pub use report::{
    Check, Coverage, LaterChanges, Placement, Report, SignatureReport, SignerIdentity, Verdict,
};

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::cert::{self, Certificate, TrustStore, UsagePolicy};
use crate::cms::alg::{self, HashAlg};
use crate::cms::{self, ParsedCms, SignerId};
use crate::pdf::diff::{self, ChangeKind};
use crate::pdf::{Dict, Document, Limit, Limits, Object, PdfError, Ref};
use early::EarlyDigest;

/// Why verification could not run at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The input is not a readable PDF.
    #[error("unreadable PDF: {0}")]
    Pdf(#[from] PdfError),
}

/// Options for verification.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// Resource limits.
    pub limits: Limits,
    /// Which extended key usages a signer certificate may have.
    pub usage: UsagePolicy,
    /// Accept annotations added after an approval signature (default: no).
    pub allow_annotations: bool,
    /// Accept form filling after an approval signature (default: no; a
    /// changed form value is how shadow "replace" attacks show other content).
    /// Certification signatures decide this themselves through `/P`.
    pub allow_form_filling: bool,
}

/// Verifies signed PDFs against a set of trust anchors.
#[derive(Debug, Clone)]
pub struct Verifier {
    trust: TrustStore,
    at: Option<DateTime<Utc>>,
    options: VerifyOptions,
    links: std::sync::Arc<cert::LinkCache>,
}

/// A signature found through the form.
struct Found {
    field: String,
    sig: Ref,
    widget: Dict,
    /// End offset of the newest revision in which the field points to `sig`.
    last_seen: usize,
}

/// What the checks of one document's signatures share.
struct Shared<'e, 'a> {
    /// Ends of the revisions that the signatures checked so far cover.
    claimed: HashSet<usize>,
    /// Page indexes by revision end: one walk of the page tree per
    /// revision, however many signature widgets point into it.
    pages: HashMap<usize, HashMap<Ref, usize>>,
    /// The digest started before the revision index was read.
    early: &'e EarlyDigest<'a>,
}

impl Verifier {
    /// A verifier trusting `trust`.
    pub fn new(trust: TrustStore) -> Self {
        Verifier {
            trust,
            at: None,
            options: VerifyOptions::default(),
            links: std::sync::Arc::default(),
        }
    }

    /// Validate certificates at `time` (default: the system clock when
    /// [`verify`](Self::verify) is called). Without a trusted timestamp, the
    /// claimed signing time proves nothing, so it is never used for this.
    pub fn at(mut self, time: DateTime<Utc>) -> Self {
        self.at = Some(time);
        self
    }

    /// Set the options.
    pub fn options(mut self, options: VerifyOptions) -> Self {
        self.options = options;
        self
    }

    /// Verify every signature of `pdf`.
    pub fn verify(&self, pdf: &[u8]) -> Result<Report, VerifyError> {
        // A large file's last signature is hashed from the start, on a
        // helper, while the revision index is read (see `early`).
        let early = EarlyDigest::new(pdf);
        let ((), report) = alg::beside(
            pdf.len() >= alg::BACKGROUND_MIN,
            || early.run(),
            || {
                let report = self.verify_with(pdf, &early);
                early.stop();
                report
            },
        );
        report
    }

    fn verify_with(&self, pdf: &[u8], early: &EarlyDigest<'_>) -> Result<Report, VerifyError> {
        let at = self.at.unwrap_or_else(Utc::now);
        let doc = Document::open(pdf, self.options.limits)?;
        let file_len = pdf.len();
        let ends = doc.revision_ends();
        let mut problems = Vec::new();
        if doc.trailing_garbage > 0 {
            problems.push(format!(
                "{} bytes of data follow the final %%EOF outside any revision",
                doc.trailing_garbage
            ));
        }
        if doc
            .trailer(file_len)
            .is_some_and(|t| t.contains(b"Encrypt"))
        {
            problems.push("encrypted documents are not verified yet".into());
        }

        // Rule 2: signatures are found through the form, in every revision.
        let mut found: Vec<Found> = Vec::new();
        let mut views = ends.clone();
        if views.last() != Some(&file_len) {
            views.push(file_len);
        }
        let mut by_sig: HashMap<Ref, usize> = HashMap::new();
        fields_in_each_view(&doc, &views, |end, fields| {
            for (field, sig, widget) in fields {
                match by_sig.get(sig).and_then(|&i| found.get_mut(i)) {
                    Some(f) => {
                        f.last_seen = end;
                        f.field.clone_from(field);
                        f.widget.clone_from(widget);
                    }
                    None => {
                        by_sig.insert(*sig, found.len());
                        found.push(Found {
                            field: field.clone(),
                            sig: *sig,
                            widget: widget.clone(),
                            last_seen: end,
                        });
                    }
                }
            }
        })?;
        let final_view = *views.last().unwrap_or(&file_len);
        let certification = certification_of(&doc, final_view)?;

        let mut signatures = Vec::new();
        let mut shared = Shared {
            claimed: HashSet::new(),
            pages: HashMap::new(),
            early,
        };
        for f in &found {
            let mut rep = self.check_signature(&doc, f, at, &ends, certification, &mut shared)?;
            if f.last_seen != final_view {
                rep.reasons.push(
                    "signature was detached from its field in a later revision (stripped)".into(),
                );
                rep.verdict = Verdict::Invalid;
            }
            signatures.push(rep);
        }
        signatures.sort_by_key(|s| s.byte_range.map_or(u64::MAX, |b| b[2] + b[3]));

        // Rule 8: a certification signature must be the first one.
        if let Some((cert_ref, _)) = certification {
            let sorted_first_sig = signatures.first().map(|s| s.field.clone());
            let cert_field = found
                .iter()
                .find(|f| f.sig == cert_ref)
                .map(|f| f.field.clone());
            if cert_field.is_none() || cert_field != sorted_first_sig {
                problems.push("the certification signature is not the first signature".into());
            }
        }

        let verdict =
            if !problems.is_empty() || signatures.iter().any(|s| s.verdict == Verdict::Invalid) {
                Verdict::Invalid
            } else if signatures.is_empty() {
                problems.push("no signature found".into());
                Verdict::Indeterminate
            } else if signatures.iter().all(|s| s.verdict == Verdict::Valid) {
                Verdict::Valid
            } else {
                Verdict::Indeterminate
            };
        Ok(Report {
            format: 1,
            verdict,
            revisions: ends.len(),
            file_size: file_len as u64,
            validation_time: at,
            signatures,
            problems,
        })
    }

    /// Check the signature `f`; `shared` is what the checks of the
    /// document's signatures share.
    fn check_signature(
        &self,
        doc: &Document<'_>,
        f: &Found,
        at: DateTime<Utc>,
        ends: &[usize],
        certification: Option<(Ref, u8)>,
        shared: &mut Shared<'_, '_>,
    ) -> Result<SignatureReport, VerifyError> {
        let visible = placement(&f.widget, |p| {
            let index = shared
                .pages
                .entry(f.last_seen)
                .or_insert_with(|| page_indexes(doc, f.last_seen));
            index.get(&p).copied()
        });
        let mut rep = SignatureReport {
            field: f.field.clone(),
            sub_filter: None,
            byte_range: None,
            revision: None,
            algorithm: None,
            claimed_signing_time: None,
            certification: certification.filter(|(r, _)| *r == f.sig).map(|(_, p)| p),
            integrity: Check::NotChecked("signature structure invalid".into()),
            signature: Check::NotChecked("signature structure invalid".into()),
            signer: None,
            signer_binding: Check::NotChecked("signature structure invalid".into()),
            trust: Check::NotChecked("signature structure invalid".into()),
            coverage: Coverage::Unknown,
            later_changes: LaterChanges::NotAnalysed,
            change_notes: Vec::new(),
            visible,
            warnings: Vec::new(),
            verdict: Verdict::Invalid,
            reasons: Vec::new(),
        };
        let data = doc.data;
        let file_len = data.len() as u64;
        // The signature dictionary as the final document shows it.
        let view = f.last_seen;
        let loaded = match doc.get(f.sig, view) {
            Ok(Some(l)) => l,
            Ok(None) => {
                rep.reasons
                    .push("signature value refers to a missing object".into());
                return Ok(rep);
            }
            Err(e) => {
                rep.reasons
                    .push(format!("signature dictionary unreadable: {e}"));
                return Ok(rep);
            }
        };
        let Some(sd) = loaded.value.as_dict().cloned() else {
            rep.reasons
                .push("signature value is not a dictionary".into());
            return Ok(rep);
        };
        let Some(sig_offset) = loaded.offset else {
            rep.reasons
                .push("signature dictionary is inside an object stream, so its /Contents gap cannot be checked".into());
            return Ok(rep);
        };
        rep.sub_filter = sd
            .name(b"SubFilter")
            .map(|s| String::from_utf8_lossy(s).into_owned());
        rep.claimed_signing_time = sd
            .get(b"M")
            .and_then(Object::as_str)
            .and_then(|s| parse_pdf_date(&s.bytes));
        let pades = match sd.name(b"SubFilter") {
            Some(b"ETSI.CAdES.detached") => true,
            Some(b"adbe.pkcs7.detached") => false,
            Some(b"ETSI.RFC3161") => {
                rep.reasons
                    .push("document timestamps are not verified yet".into());
                rep.verdict = Verdict::Indeterminate;
                return Ok(rep);
            }
            other => {
                rep.reasons.push(format!(
                    "unsupported /SubFilter {}",
                    other.map_or_else(
                        || "(missing)".into(),
                        |s| String::from_utf8_lossy(s).into_owned()
                    )
                ));
                return Ok(rep);
            }
        };

        // Rule 3: four integers, 0 = a < b < c, d > 0, c + d ≤ file length.
        let Some(br) = byte_range(&sd) else {
            rep.reasons
                .push("/ByteRange is missing or not four non-negative integers".into());
            return Ok(rep);
        };
        rep.byte_range = Some(br);
        let [a, b, c, d] = br;
        let covered_end = c.checked_add(d);
        if a != 0 || b == 0 || c <= b || d == 0 || covered_end.is_none_or(|e| e > file_len) {
            rep.reasons.push(format!(
                "/ByteRange {br:?} is not a valid range over this file"
            ));
            return Ok(rep);
        }
        let (b_us, c_us, end_us) = match (
            usize::try_from(b),
            usize::try_from(c),
            covered_end.and_then(|e| usize::try_from(e).ok()),
        ) {
            (Ok(b), Ok(c), Some(e)) => (b, c, e),
            _ => {
                rep.reasons.push("/ByteRange out of range".into());
                return Ok(rep);
            }
        };
        // Rule 4: the gap is exactly this dictionary's hex /Contents token.
        let Some(contents) = sd.get(b"Contents").and_then(Object::as_str) else {
            rep.reasons
                .push("/Contents is missing or not a string".into());
            return Ok(rep);
        };
        if !contents.hex || contents.span != Some((b_us, c_us)) {
            rep.reasons
                .push("the unsigned gap is not exactly the hexadecimal /Contents string of this signature".into());
            return Ok(rep);
        }
        if sig_offset >= b_us {
            rep.reasons
                .push("the signature dictionary does not start before the signed gap".into());
            return Ok(rep);
        }
        // Rule 5: the signed prefix ends at a revision boundary of the chain.
        let revision_idx = ends
            .iter()
            .position(|&e| e == end_us || eof_without_eol(doc, e) == Some(end_us));
        let Some(revision_idx) = revision_idx else {
            rep.coverage = Coverage::Partial;
            rep.reasons.push("the signed bytes do not end at a revision boundary (%%EOF of a cross-reference section)".into());
            return Ok(rep);
        };
        let signed_end = ends.get(revision_idx).copied().unwrap_or(end_us);
        rep.revision = Some(revision_idx + 1);
        // Two signatures over one revision cannot both hold: each covers the
        // other's /Contents, and whichever was written last changed bytes
        // the other had signed. Refusing the second also bounds the hashing
        // a hostile file can ask for: one pass per revision, however many
        // signature dictionaries it carries.
        if !shared.claimed.insert(signed_end) {
            rep.reasons.push(
                "another signature already covers exactly this revision; two cannot both be valid"
                    .into(),
            );
            return Ok(rep);
        }
        if let Err(why) = prefix_fits_chain(doc, signed_end) {
            rep.reasons.push(why);
            return Ok(rep);
        }
        // The signature dictionary belongs to the signed revision, unchanged.
        let entry_signed = doc.lookup(f.sig.num, signed_end).map(|(_, e)| e);
        let entry_final = doc.lookup(f.sig.num, view).map(|(_, e)| e);
        if entry_signed.is_none() || entry_signed != entry_final {
            rep.reasons
                .push("the signature dictionary was redefined after the signed revision".into());
            return Ok(rep);
        }
        rep.coverage = if end_us == data.len() || signed_end == data.len() {
            Coverage::WholeFile
        } else {
            Coverage::WholeRevision
        };

        // CMS (rule 9) and integrity.
        let parsed = match cms::parse(&contents.bytes) {
            Ok(p) => p,
            Err(e) => {
                rep.reasons.push(format!("CMS refused: {e}"));
                return Ok(rep);
            }
        };
        if let Some(t) = parsed.signing_time {
            rep.claimed_signing_time.get_or_insert(t);
        }
        let scheme = match alg::scheme_for_cms(&parsed.digest_alg, &parsed.signature_alg) {
            Ok(s) => s,
            Err(e) => {
                rep.reasons.push(format!("algorithm refused: {e}"));
                return Ok(rep);
            }
        };
        rep.algorithm = Some(scheme.name());
        let hash = HashAlg::from_oid(&parsed.digest_alg.oid).unwrap_or(HashAlg::Sha256);
        // The digest of the signed ranges and the audit's pass over the
        // signed revision are independent: for a large file they share both
        // cores (the hashing thread joins the pass when the digest is done).
        let ranges = [
            data.get(..b_us).unwrap_or_default(),
            data.get(c_us..end_us).unwrap_or_default(),
        ];
        let job = doc.scan_job(signed_end);
        let wanted = early::Ranges {
            alg: hash,
            first_end: b_us,
            second_start: c_us,
            second_end: end_us,
        };
        let (digest, theirs, (signer_checks, mine)) = alg::hash_sharing(
            hash,
            &ranges,
            || shared.early.take(wanted),
            || job.run(),
            |share| {
                // What needs neither the digest nor the document first.
                let checks = self.check_signer(&parsed, scheme, pades, at);
                let mut mine = share();
                doc.skim_deferred(&job, &mut mine);
                (checks, mine)
            },
        );
        doc.finish_scan(job, [mine, theirs]);
        // Shadow-attack preparations in the signed revision: flagged.
        let warnings = diff::audit_revision(doc, signed_end)
            .unwrap_or_else(|e| vec![format!("the signed revision could not be audited: {e}")]);
        // Rule 7: judge later revisions.
        let changes = (signed_end < data.len()).then(|| {
            diff::analyse(doc, signed_end, data.len(), certification.is_some()).unwrap_or_else(
                |e| diff::Changes {
                    kind: ChangeKind::Other,
                    notes: vec![format!("a later revision could not be analysed: {e}")],
                },
            )
        });
        rep.warnings = warnings;
        if parsed.ber_envelope {
            rep.warnings.push(
                "the CMS envelope is BER (indefinite lengths), read in its DER form; its signed attributes and certificates are DER as received".into(),
            );
        }
        rep.integrity = if digest == parsed.message_digest {
            Check::Passed
        } else {
            Check::Failed(
                "the digest of the signed byte ranges differs from the signed messageDigest".into(),
            )
        };

        match signer_checks {
            Some(c) => {
                rep.signer = Some(c.identity);
                rep.signer_binding = c.binding;
                rep.signature = c.signature;
                rep.trust = c.trust;
            }
            None => {
                rep.signature =
                    Check::Failed("the signer certificate is not in the signature".into());
                rep.reasons
                    .push("the signer certificate is not in the signature".into());
                return Ok(rep);
            }
        }

        if let Some(changes) = changes {
            rep.later_changes = match changes.kind {
                ChangeKind::None => LaterChanges::None,
                ChangeKind::ValidationData => LaterChanges::ValidationDataOnly,
                ChangeKind::Signatures => LaterChanges::SignaturesOnly,
                ChangeKind::FormFilling => LaterChanges::FormFilling,
                ChangeKind::Annotations => LaterChanges::Annotations,
                ChangeKind::Other => LaterChanges::Other,
            };
            rep.change_notes = changes.notes;
        } else {
            rep.later_changes = LaterChanges::None;
        }
        let mut allowed = match certification {
            Some((_, 1)) => LaterChanges::ValidationDataOnly,
            Some((_, 3)) => LaterChanges::Annotations,
            Some(_) => LaterChanges::FormFilling,
            None if self.options.allow_annotations => LaterChanges::Annotations,
            None if self.options.allow_form_filling => LaterChanges::FormFilling,
            None => LaterChanges::SignaturesOnly,
        };
        // A FieldMDP transform (field locking) forbids filling locked fields.
        if locks_fields(doc, &sd, view) && allowed > LaterChanges::SignaturesOnly {
            allowed = LaterChanges::SignaturesOnly;
        }

        for (check, what) in [
            (&rep.integrity, "integrity"),
            (&rep.signature, "signature"),
            (&rep.signer_binding, "signer binding"),
        ] {
            if let Check::Failed(r) | Check::NotChecked(r) = check {
                rep.reasons.push(format!("{what}: {r}"));
            }
        }
        if rep.later_changes > allowed {
            let level = certification.map_or_else(
                || "an approval signature".to_string(),
                |(_, p)| format!("certification level P={p}"),
            );
            rep.reasons.push(format!(
                "later revisions made changes ({:?}) that {level} does not allow",
                rep.later_changes
            ));
        }
        rep.verdict = if !rep.reasons.is_empty() {
            Verdict::Invalid
        } else if let Check::Failed(r) = &rep.trust {
            rep.reasons.push(format!("trust: {r}"));
            Verdict::Indeterminate
        } else {
            Verdict::Valid
        };
        Ok(rep)
    }

    /// Rule 11 and the cryptographic checks, which need neither the digest
    /// nor the document: the signer certificate the SignerInfo names (`None`
    /// when the signature does not carry it), its binding, the signature
    /// value over the signed attributes and the path to a trust anchor.
    fn check_signer(
        &self,
        parsed: &ParsedCms,
        scheme: alg::Scheme,
        pades: bool,
        at: DateTime<Utc>,
    ) -> Option<SignerChecks> {
        // Rule 11: the signer certificate is the one the SignerInfo names.
        let certs: Vec<Certificate> = parsed
            .certificates
            .iter()
            .filter_map(|d| Certificate::from_der(d).ok())
            .collect();
        let signer = select_signer(parsed, &certs)?;
        let identity = SignerIdentity {
            subject: signer.subject().to_string(),
            common_name: signer.common_name(),
            issuer: signer.issuer().to_string(),
            serial: signer.serial_hex().to_string(),
        };
        let signature = match signer
            .spki_der()
            .map_err(|e| e.to_string())
            .and_then(|spki| {
                alg::verify(scheme, &spki, &parsed.signed_attrs, &parsed.signature)
                    .map_err(|e| e.to_string())
            }) {
            Ok(()) => Check::Passed,
            Err(e) => Check::Failed(e),
        };
        let intermediates: Vec<Certificate> =
            certs.iter().filter(|c| *c != signer).cloned().collect();
        let trust = match cert::validate_path(
            signer,
            &intermediates,
            &self.trust,
            at,
            self.options.usage,
            &self.links,
        ) {
            Ok(_) => Check::Passed,
            Err(e) => Check::Failed(e.to_string()),
        };
        Some(SignerChecks {
            identity,
            binding: binding(parsed, signer, pades),
            signature,
            trust,
        })
    }
}

/// What [`Verifier::check_signer`] found.
struct SignerChecks {
    identity: SignerIdentity,
    binding: Check,
    signature: Check,
    trust: Check,
}

/// One revision of a file, as listed by [`inspect`].
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct RevisionInfo {
    /// Offset of the cross-reference section.
    pub xref_offset: u64,
    /// `table`, `stream` or `hybrid` (a table with `/XRefStm`).
    pub xref_kind: &'static str,
    /// Offset just after the revision's `%%EOF` line.
    pub end: u64,
    /// Objects the section lists.
    pub objects: usize,
}

/// The structure of a signed PDF, without judging trust.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Inspection {
    /// Cross-reference sections in file order.
    pub revisions: Vec<RevisionInfo>,
    /// Signatures, checked for integrity and signature math only (trust is
    /// evaluated against an empty store and always fails).
    pub signatures: Vec<SignatureReport>,
}

/// List revisions and signatures of `pdf` without a trust decision.
pub fn inspect(pdf: &[u8], limits: Limits) -> Result<Inspection, VerifyError> {
    let doc = Document::open(pdf, limits)?;
    let mut revisions: Vec<RevisionInfo> = doc
        .sections
        .iter()
        .map(|s| RevisionInfo {
            xref_offset: s.offset as u64,
            xref_kind: match (s.kind, s.hybrid) {
                (crate::pdf::document::SectionKind::Table, false) => "table",
                (crate::pdf::document::SectionKind::Table, true) => "hybrid",
                (crate::pdf::document::SectionKind::Stream, _) => "stream",
            },
            end: s.end as u64,
            objects: s.entries.len(),
        })
        .collect();
    revisions.sort_by_key(|r| r.end);
    drop(doc);
    let opts = VerifyOptions {
        limits,
        ..VerifyOptions::default()
    };
    let report = Verifier::new(TrustStore::new()).options(opts).verify(pdf)?;
    Ok(Inspection {
        revisions,
        signatures: report.signatures,
    })
}

fn eof_without_eol(doc: &Document<'_>, end: usize) -> Option<usize> {
    doc.sections
        .iter()
        .find(|s| s.end == end)
        .and_then(|s| s.eof_at)
}

/// Rule 5: the prefix ending at `end` parses on its own with the sections of
/// the chain that lie in it, its final `startxref` naming the newest of them.
fn prefix_fits_chain(doc: &Document<'_>, end: usize) -> Result<(), String> {
    let closing = doc
        .sections
        .iter()
        .find(|s| s.end == end && s.eof_at.is_some())
        .ok_or("the signed revision does not end with a cross-reference section")?;
    let declared = closing
        .startxref
        .and_then(|v| usize::try_from(v).ok())
        .ok_or("the signed revision has no startxref")?;
    // The chain from the declared section must be exactly the sections in the prefix.
    let start = doc
        .sections
        .iter()
        .position(|s| s.offset == declared)
        .ok_or("the signed revision's startxref does not point into the /Prev chain")?;
    let from_declared: Vec<usize> = doc.sections.iter().skip(start).map(|s| s.offset).collect();
    let mut in_prefix: Vec<usize> = doc
        .sections
        .iter()
        .filter(|s| s.end <= end)
        .map(|s| s.offset)
        .collect();
    let mut chain = from_declared;
    chain.sort_unstable();
    in_prefix.sort_unstable();
    if chain != in_prefix {
        return Err(
            "the signed revision's cross-reference chain differs from the sections it contains"
                .into(),
        );
    }
    Ok(())
}

/// ISO 32000-2 §12.8.1: the byte range as four non-negative integers.
fn byte_range(sd: &Dict) -> Option<[u64; 4]> {
    let arr = sd.get(b"ByteRange")?.as_array()?;
    let v: Vec<u64> = arr
        .iter()
        .map(|o| match o {
            Object::Int(i) => u64::try_from(*i).ok(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match v.as_slice() {
        [a, b, c, d] => Some([*a, *b, *c, *d]),
        _ => None,
    }
}

fn select_signer<'c>(parsed: &ParsedCms, certs: &'c [Certificate]) -> Option<&'c Certificate> {
    certs.iter().find(|c| {
        let i = c.info();
        match &parsed.sid {
            SignerId::IssuerSerial { issuer_der, serial } => {
                i.issuer_raw == *issuer_der && i.serial_raw == *serial
            }
            SignerId::SubjectKeyId(ski) => i.subject_key_id.as_ref() == Some(ski),
        }
    })
}

/// signingCertificateV2 must name the signer certificate (rule 9, and
/// certificate substitution).
fn binding(parsed: &ParsedCms, signer: &Certificate, pades: bool) -> Check {
    let Some(sc) = &parsed.signing_certificate_v2 else {
        return if pades {
            Check::Failed("a PAdES signature must carry signingCertificateV2".into())
        } else {
            // Optional in adbe.pkcs7.detached, but without it nothing ties
            // the signature to this certificate rather than another one
            // with the same key (certificate substitution).
            Check::NotChecked(
                "no signingCertificateV2 attribute: nothing binds the signer certificate to the signature (optional for adbe.pkcs7.detached, required here)".into(),
            )
        };
    };
    let Some(first) = sc.certs.first() else {
        return Check::Failed("signingCertificateV2 is empty".into());
    };
    let hash = match &first.hash_algorithm {
        None => HashAlg::Sha256,
        Some(a) => match HashAlg::from_oid(&a.oid) {
            Some(h) => h,
            None => {
                return Check::Failed(format!("signingCertificateV2 digest {} not allowed", a.oid));
            }
        },
    };
    if hash.digest(signer.der()) != first.cert_hash.as_bytes() {
        return Check::Failed("signingCertificateV2 names a different certificate".into());
    }
    if let Some(is) = &first.issuer_serial
        && is.serial_number.as_bytes() != signer.info().serial_raw.as_slice()
    {
        return Check::Failed(
            "signingCertificateV2 serial differs from the signer certificate".into(),
        );
    }
    Check::Passed
}

/// Signature fields with a value: (full name, value reference, widget
/// dictionary).
type SigFields = Vec<(String, Ref, Dict)>;

/// Hand `each` the signature fields of every revision in `views` (ends in
/// increasing order), as [`signature_fields`] finds them there.
///
/// A revision that lists none of the objects the previous walk read, under
/// the same /Root, has the same fields: it is not walked again, so that many
/// small updates do not each cost a walk of a large form. The walks that are
/// needed share one budget of nodes.
fn fields_in_each_view(
    doc: &Document<'_>,
    views: &[usize],
    mut each: impl FnMut(usize, &SigFields),
) -> Result<(), VerifyError> {
    let mut budget = doc.limits.max_tree_nodes.saturating_mul(FORM_WALKS);
    let mut last: Option<(usize, Option<Object>, SigFields, HashSet<u32>)> = None;
    for &end in views {
        let root = doc.trailer(end).and_then(|t| t.get(b"Root")).cloned();
        match &mut last {
            Some((seen_at, seen_root, _, read))
                if *seen_root == root && !doc.changes_any(*seen_at, end, read) =>
            {
                *seen_at = end;
            }
            _ => {
                let (fields, read) = doc.recording(|| signature_fields(doc, end, &mut budget));
                last = Some((end, root, fields?, read));
            }
        }
        if let Some((_, _, fields, _)) = &last {
            each(end, fields);
        }
    }
    Ok(())
}

/// How many walks of a form of `max_tree_nodes` nodes the revisions of one
/// document may cost together.
const FORM_WALKS: usize = 10;

/// Walk `/AcroForm /Fields` of the revision ending at `end`: every signature
/// field with a value. Each node walked counts against `budget` (shared by
/// the walks of all revisions), and the walk stops with a limit error when
/// it is spent or one walk exceeds `max_tree_nodes`.
fn signature_fields(
    doc: &Document<'_>,
    end: usize,
    budget: &mut usize,
) -> Result<SigFields, VerifyError> {
    let mut out = Vec::new();
    let Some(trailer) = doc.trailer(end) else {
        return Ok(out);
    };
    let Some(catalog) = doc.resolve_dict(trailer.get(b"Root").unwrap_or(&Object::Null), end)?
    else {
        return Ok(out);
    };
    let Some(acro) = doc.resolve_dict(catalog.get(b"AcroForm").unwrap_or(&Object::Null), end)?
    else {
        return Ok(out);
    };
    let fields = doc.resolve(acro.get(b"Fields").unwrap_or(&Object::Null), end)?;
    // (node, inherited name, inherited FT, depth)
    let mut stack: Vec<(Object, String, Option<Vec<u8>>, usize)> = fields
        .as_array()
        .unwrap_or_default()
        .iter()
        .rev()
        .map(|o| (o.clone(), String::new(), None, 0))
        .collect();
    let mut visited = 0usize;
    let mut seen: HashSet<Ref> = HashSet::new();
    while let Some((node, prefix, ft, depth)) = stack.pop() {
        visited += 1;
        *budget = budget.saturating_sub(1);
        if *budget == 0 {
            return Err(PdfError::LimitExceeded {
                limit: Limit::TreeSize,
                max: doc.limits.max_tree_nodes.saturating_mul(FORM_WALKS) as u64,
            }
            .into());
        }
        if visited > doc.limits.max_tree_nodes || depth > doc.limits.max_depth {
            return Err(PdfError::LimitExceeded {
                limit: Limit::TreeSize,
                max: doc.limits.max_tree_nodes as u64,
            }
            .into());
        }
        if let Object::Ref(r) = node
            && !seen.insert(r)
        {
            continue; // a cycle or a shared node
        }
        let Some(d) = doc.resolve_dict(&node, end)? else {
            continue;
        };
        let partial = d.get(b"T").and_then(Object::as_str).map(|s| s.to_text());
        let name = match (&partial, prefix.is_empty()) {
            (Some(p), true) => p.clone(),
            (Some(p), false) => format!("{prefix}.{p}"),
            (None, _) => prefix.clone(),
        };
        let ft = d.name(b"FT").map(<[u8]>::to_vec).or(ft);
        if let Some(kids) = d.get(b"Kids") {
            let kids = doc.resolve(kids, end)?;
            // Errors (limits included) propagate: a kid that cannot be read
            // must not silently end the walk (rule 15).
            let mut has_field_kids = false;
            for k in kids.as_array().unwrap_or_default() {
                if doc
                    .resolve_dict(k, end)?
                    .is_some_and(|kd| kd.contains(b"T"))
                {
                    has_field_kids = true;
                    break;
                }
            }
            if has_field_kids {
                for k in kids.as_array().unwrap_or_default().iter().rev() {
                    stack.push((k.clone(), name.clone(), ft.clone(), depth + 1));
                }
                continue;
            }
        }
        if ft.as_deref() == Some(b"Sig") {
            match d.get(b"V") {
                Some(Object::Ref(r)) => out.push((name, *r, d.clone())),
                Some(Object::Dict(_)) => {
                    // A direct signature dictionary cannot be located; report
                    // it through a reference that resolves to nothing.
                    out.push((
                        name,
                        Ref {
                            num: u32::MAX,
                            generation: 0,
                        },
                        d.clone(),
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Whether the signature dictionary carries a FieldMDP transform (§12.8.2.3).
fn locks_fields(doc: &Document<'_>, sd: &Dict, end: usize) -> bool {
    let Ok(refs) = doc.resolve(sd.get(b"Reference").unwrap_or(&Object::Null), end) else {
        return true;
    };
    refs.as_array().unwrap_or_default().iter().any(|r| {
        doc.resolve_dict(r, end)
            .ok()
            .flatten()
            .is_some_and(|d| d.name(b"TransformMethod") == Some(b"FieldMDP"))
    })
}

/// The certification signature (DocMDP, ISO 32000-2 §12.8.2.2) and its `/P`.
fn certification_of(doc: &Document<'_>, end: usize) -> Result<Option<(Ref, u8)>, VerifyError> {
    let Some(trailer) = doc.trailer(end) else {
        return Ok(None);
    };
    let Some(catalog) = doc.resolve_dict(trailer.get(b"Root").unwrap_or(&Object::Null), end)?
    else {
        return Ok(None);
    };
    let Some(perms) = doc.resolve_dict(catalog.get(b"Perms").unwrap_or(&Object::Null), end)? else {
        return Ok(None);
    };
    let Some(Object::Ref(sig)) = perms.get(b"DocMDP") else {
        return Ok(None);
    };
    let sd = doc
        .resolve_dict(&Object::Ref(*sig), end)?
        .unwrap_or_default();
    let mut p = 2u8;
    if let Some(refs) = sd
        .get(b"Reference")
        .map(|r| doc.resolve(r, end))
        .transpose()?
    {
        for r in refs.as_array().unwrap_or_default() {
            let Some(rd) = doc.resolve_dict(r, end)? else {
                continue;
            };
            if rd.name(b"TransformMethod") == Some(b"DocMDP") {
                let params =
                    doc.resolve_dict(rd.get(b"TransformParams").unwrap_or(&Object::Null), end)?;
                if let Some(v) = params.and_then(|t| t.int(b"P")) {
                    p = u8::try_from(v.clamp(1, 3)).unwrap_or(2);
                }
            }
        }
    }
    Ok(Some((*sig, p)))
}

/// Where the widget `widget` shows, with `page_of` giving the index of a
/// page object.
fn placement(widget: &Dict, page_of: impl FnOnce(Ref) -> Option<usize>) -> Option<Placement> {
    let rect: Vec<f64> = widget
        .get(b"Rect")?
        .as_array()?
        .iter()
        .filter_map(Object::as_number)
        .collect();
    let [x1, y1, x2, y2] = rect.as_slice() else {
        return None;
    };
    if (x2 - x1).abs() < f64::EPSILON || (y2 - y1).abs() < f64::EPSILON {
        return None;
    }
    let page = widget.get(b"P").and_then(Object::as_ref).and_then(page_of);
    Some(Placement {
        page,
        rect: [*x1, *y1, *x2, *y2],
    })
}

/// The index of every page object of the revision ending at `end`, in
/// document order (a page listed twice keeps its first index). A walk that
/// stops (a node that cannot be read, more than `max_tree_nodes` nodes)
/// keeps the pages it reached before.
fn page_indexes(doc: &Document<'_>, end: usize) -> HashMap<Ref, usize> {
    let mut index = HashMap::new();
    let root = doc
        .trailer(end)
        .and_then(|t| t.get(b"Root"))
        .and_then(|r| doc.resolve_dict(r, end).ok().flatten());
    let Some(top) = root.as_ref().and_then(|c| c.get(b"Pages")?.as_ref()) else {
        return index;
    };
    let mut stack = vec![top];
    let mut pages = 0usize;
    let mut visited = 0usize;
    while let Some(r) = stack.pop() {
        visited += 1;
        if visited > doc.limits.max_tree_nodes {
            break;
        }
        let Some(d) = doc.resolve_dict(&Object::Ref(r), end).ok().flatten() else {
            break;
        };
        if let Some(kids) = d.get(b"Kids") {
            let Ok(kids) = doc.resolve(kids, end) else {
                break;
            };
            for k in kids
                .as_array()
                .unwrap_or_default()
                .iter()
                .rev()
                .filter_map(Object::as_ref)
            {
                stack.push(k);
            }
        } else {
            index.entry(r).or_insert(pages);
            pages += 1;
        }
    }
    index
}

/// Parse a PDF date `D:YYYYMMDDHHmmSS(Z|+HH'mm')` (ISO 32000-2 §7.9.4).
pub(crate) fn parse_pdf_date(b: &[u8]) -> Option<DateTime<Utc>> {
    let s = std::str::from_utf8(b).ok()?;
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let num = |from: usize, len: usize, default: u32| -> Option<u32> {
        match digits.get(from..from + len) {
            Some(t) => t.parse().ok(),
            None => Some(default),
        }
    };
    let year = i32::try_from(num(0, 4, 0)?).ok()?;
    let naive = chrono::NaiveDate::from_ymd_opt(year, num(4, 2, 1)?, num(6, 2, 1)?)?.and_hms_opt(
        num(8, 2, 0)?,
        num(10, 2, 0)?,
        num(12, 2, 0)?,
    )?;
    let rest = s.get(digits.len()..).unwrap_or("");
    let offset_secs = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let t: String = rest.chars().filter(char::is_ascii_digit).collect();
            let hh: i64 = t.get(0..2).and_then(|x| x.parse().ok()).unwrap_or(0);
            let mm: i64 = t.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
            let v = hh * 3600 + mm * 60;
            if sign == '+' { v } else { -v }
        }
        _ => 0,
    };
    let t = naive.and_utc() - chrono::Duration::seconds(offset_secs);
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// One update of [`revisions_doc`]: what it rewrites.
    #[derive(Debug, Clone)]
    enum Update {
        /// The page, with another /MediaBox.
        Page,
        /// The catalog, unchanged.
        Catalog,
        /// Field `k` (of the fields so far) without /V.
        Detach(usize),
        /// Field `k` with /V pointing at another object.
        Repoint(usize),
        /// A new signature field, added to /Fields.
        AddField,
        /// /Fields as an indirect array without its first field.
        IndirectFields,
        /// A new catalog (another object number) without a form.
        NewRootNoForm,
        /// An object nobody refers to.
        Unrelated,
    }

    /// A file of signature fields under `updates`, each a classic update:
    /// catalog 1, pages 2, page 3, AcroForm 4, fields 10…
    fn revisions_doc(updates: &[Update]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut fields: Vec<u32> = vec![10, 11];
        let field = |n: u32, v: u32| format!("<</FT /Sig /T (f{n}) /V {v} 0 R>>");
        let form = |fs: &[u32]| {
            let refs: String = fs.iter().map(|n| format!("{n} 0 R ")).collect();
            format!("<</Fields [{refs}] /SigFlags 3>>")
        };
        let mut objects: Vec<(u32, String)> = vec![
            (1, "<</Type /Catalog /Pages 2 0 R /AcroForm 4 0 R>>".into()),
            (2, "<</Type /Pages /Kids [3 0 R] /Count 1>>".into()),
            (
                3,
                "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>".into(),
            ),
            (4, form(&fields)),
            (10, field(10, 100)),
            (11, field(11, 101)),
        ];
        let mut prev: Option<usize> = None;
        let mut root = 1;
        let mut next = 12u32;
        for (i, u) in std::iter::once(None)
            .chain(updates.iter().map(Some))
            .enumerate()
        {
            match u {
                None => {}
                Some(Update::Page) => {
                    objects = vec![(
                        3,
                        format!(
                            "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 {}]>>",
                            842 + i
                        ),
                    )];
                }
                Some(Update::Catalog) => {
                    objects = vec![(1, "<</Type /Catalog /Pages 2 0 R /AcroForm 4 0 R>>".into())];
                }
                Some(Update::Detach(k)) => {
                    let n = fields[k % fields.len()];
                    objects = vec![(n, format!("<</FT /Sig /T (f{n})>>"))];
                }
                Some(Update::Repoint(k)) => {
                    let n = fields[k % fields.len()];
                    objects = vec![(n, field(n, 200 + i as u32))];
                }
                Some(Update::AddField) => {
                    fields.push(next);
                    objects = vec![(next, field(next, 300 + i as u32)), (4, form(&fields))];
                    next += 1;
                }
                Some(Update::IndirectFields) => {
                    let rest: String = fields.iter().skip(1).map(|n| format!("{n} 0 R ")).collect();
                    objects = vec![
                        (next, format!("[{rest}]")),
                        (4, format!("<</Fields {next} 0 R /SigFlags 3>>")),
                    ];
                    next += 1;
                }
                Some(Update::NewRootNoForm) => {
                    root = next;
                    objects = vec![(next, "<</Type /Catalog /Pages 2 0 R>>".into())];
                    next += 1;
                }
                Some(Update::Unrelated) => {
                    objects = vec![(next, "<</X 1>>".into())];
                    next += 1;
                }
            }
            let mut offsets = Vec::new();
            for (n, body) in &objects {
                offsets.push((*n, out.len()));
                write!(out, "{n} 0 obj\n{body}\nendobj\n").unwrap();
            }
            offsets.sort_unstable();
            let xref = out.len();
            out.extend_from_slice(b"xref\n");
            if prev.is_none() {
                out.extend_from_slice(b"0 1\n0000000000 65535 f \n");
            }
            for (n, at) in &offsets {
                write!(out, "{n} 1\n{at:010} 00000 n \n").unwrap();
            }
            let prev_key = prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
            write!(
                out,
                "trailer\n<</Size 400 /Root {root} 0 R{prev_key}>>\nstartxref\n{xref}\n%%EOF\n"
            )
            .unwrap();
            prev = Some(xref);
        }
        out
    }

    fn update() -> impl proptest::strategy::Strategy<Value = Update> {
        use proptest::prelude::*;
        prop_oneof![
            3 => Just(Update::Page),
            2 => Just(Update::Catalog),
            1 => (0usize..8).prop_map(Update::Detach),
            1 => (0usize..8).prop_map(Update::Repoint),
            1 => Just(Update::AddField),
            1 => Just(Update::IndirectFields),
            1 => Just(Update::NewRootNoForm),
            2 => Just(Update::Unrelated),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
        /// Skipping the walk of revisions that change nothing it read gives,
        /// revision by revision, the fields a walk of each would find (up
        /// to 14 sections, past the point where lookups use their index).
        #[test]
        fn fields_per_revision_match_a_walk_of_each(
            updates in proptest::collection::vec(update(), 0..13),
        ) {
            let pdf = revisions_doc(&updates);
            let doc = Document::open(&pdf, Limits::default()).unwrap();
            let views = doc.revision_ends();
            proptest::prop_assert_eq!(views.len(), updates.len() + 1);
            let mut shared = Vec::new();
            fields_in_each_view(&doc, &views, |end, f| shared.push((end, f.clone()))).unwrap();
            let mut each = Vec::new();
            for &end in &views {
                let mut budget = usize::MAX;
                each.push((end, signature_fields(&doc, end, &mut budget).unwrap()));
            }
            proptest::prop_assert_eq!(shared, each);
        }
    }

    /// Signed twice, large enough for the helper threads.
    fn large_signed_twice() -> &'static [u8] {
        static PDF: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        PDF.get_or_init(|| early::tests::signed_twice(alg::BACKGROUND_MIN + 4096))
    }

    #[derive(Debug, Clone)]
    enum Edit {
        /// Byte `at` (from the end when `from_end`) set to `to`.
        Set { at: usize, from_end: bool, to: u8 },
        /// The last signature's `/ByteRange [0 b c d] /Contents <…>` copied
        /// after the file, `b` shifted by `shift`.
        Decoy { shift: i64, pad: bool },
    }

    fn edit() -> impl proptest::strategy::Strategy<Value = Edit> {
        use proptest::prelude::*;
        prop_oneof![
            2 => (0usize..usize::MAX, any::<u8>()).prop_map(|(at, to)| Edit::Set { at, from_end: false, to }),
            3 => (0usize..12_000, any::<u8>()).prop_map(|(at, to)| Edit::Set { at, from_end: true, to }),
            1 => (-2i64..3, any::<bool>()).prop_map(|(shift, pad)| Edit::Decoy { shift, pad }),
        ]
    }

    fn apply(pdf: &[u8], e: &Edit) -> Vec<u8> {
        let mut out = pdf.to_vec();
        match *e {
            Edit::Set { at, from_end, to } => {
                let i = if from_end {
                    out.len() - 1 - at % out.len()
                } else {
                    at % out.len()
                };
                out[i] = to;
            }
            Edit::Decoy { shift, pad } => {
                let start = memchr::memmem::rfind(pdf, b"/ByteRange").unwrap();
                let end = start + memchr::memmem::find(&pdf[start..], b">").unwrap() + 1;
                let text = String::from_utf8_lossy(&pdf[start..end]).into_owned();
                let mut nums = text["/ByteRange [".len()..]
                    .split(']')
                    .next()
                    .unwrap()
                    .split_whitespace();
                let b: i64 = nums.nth(1).unwrap().parse().unwrap();
                let decoy = text.replacen(&format!(" {b} "), &format!(" {} ", b + shift), 1);
                if pad {
                    out.extend_from_slice(b"\n%");
                }
                out.extend_from_slice(decoy.as_bytes());
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// The digest started early changes no report: verification gives
        /// the same result with it, with it computed before verification
        /// starts (so that it is certainly offered), and without it, on a
        /// large file signed twice under edits that hit its signatures,
        /// its tail, or copy the last /ByteRange after the end as a decoy.
        #[test]
        fn the_early_digest_changes_no_report(edits in proptest::collection::vec(edit(), 0..3)) {
            let mut pdf = large_signed_twice().to_vec();
            for e in &edits {
                pdf = apply(&pdf, e);
            }
            let v = Verifier::new(early::tests::trust()).at(early::tests::at());
            let without = EarlyDigest::new(&pdf);
            without.stop();
            let ready = EarlyDigest::new(&pdf);
            ready.run();
            let a = format!("{:?}", v.verify(&pdf));
            let b = format!("{:?}", v.verify_with(&pdf, &without));
            let c = format!("{:?}", v.verify_with(&pdf, &ready));
            proptest::prop_assert_eq!(&a, &b);
            proptest::prop_assert_eq!(&b, &c);
            if edits.is_empty() {
                proptest::prop_assert!(a.contains("verdict: Valid"), "{}", a);
            }
        }
    }

    #[test]
    fn large_files_verify_from_many_threads_at_once() {
        // More callers than helper threads, each starting an early digest
        // and a shared audit pass; and callers that are threads of another
        // pool. None may wait for a job that no thread is free to run.
        let pdf = large_signed_twice();
        let v = Verifier::new(early::tests::trust()).at(early::tests::at());
        let check = || {
            let r = v.verify(pdf).unwrap();
            assert_eq!(r.verdict, Verdict::Valid, "{r:?}");
            assert_eq!(r.signatures.len(), 2);
        };
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(check);
            }
        });
        let theirs = rayon_core::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        theirs.scope(|s| {
            for _ in 0..4 {
                s.spawn(|_| check());
            }
        });
    }

    #[test]
    fn pdf_dates() {
        let t = parse_pdf_date(b"D:20261122183000+07'00'").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-22T11:30:00+00:00");
        assert!(parse_pdf_date(b"D:2026").is_some());
        assert!(parse_pdf_date(b"garbage").is_none());
    }
}
