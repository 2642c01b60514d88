use crate::cert::{Certificate, TrustStore, UsagePolicy};
use crate::pdf::document::ScanPart;
use crate::pdf::{Document, Limits, Ref};

/// Parse one PDF object from the start of `data`; `true` if it parsed.
///
/// # Panics
///
/// If the parser's skim mode (used to audit whole revisions) disagrees with
/// the full parse: another error, end, reference list or `/Length`.
pub fn parse_object(data: &[u8]) -> bool {
    let max_depth = Limits::default().max_depth;
    if let Err(e) = crate::pdf::parse::skim_matches_parse(data, max_depth) {
        panic!("skim and parse disagree: {e}");
    }
    crate::pdf::parse::Parser::new(data, 0, max_depth)
        .parse_object()
        .is_ok()
}

/// Open the revision index of `data` and load every object that any
/// cross-reference section lists, as seen by the revision ending with
/// that section; then scan every revision (the shadow-attack audit's pass).
/// Returns the revision ends (file offsets, ascending).
///
/// # Panics
///
/// On a broken invariant: skimming an in-use object (the audit's pass) and
/// parsing it disagree on whether it reads, on its header numbers or on
/// where it ends; or the revision ends are not strictly increasing, not
/// inside the input, or not each right after a `%%EOF` marker and at most
/// one end-of-line (boundaries come from `startxref` and `/Prev`, so a
/// `%%EOF` inside a string or a stream never moves them).
pub fn revisions(data: &[u8], limits: Limits) -> Result<Vec<usize>, crate::PdfError> {
    let doc = Document::open(data, limits)?;
    let mut refs = Vec::new();
    for s in &doc.sections {
        for (num, e) in s.entries.iter() {
            let r = Ref {
                num,
                generation: e.generation(),
            };
            // Errors in single objects are expected on hostile input.
            let _ = doc.get(r, s.end);
            if let crate::pdf::document::Entry::InUse { offset, .. } = e {
                let parsed = doc
                    .parse_indirect_at(offset, 0)
                    .map(|(n, g, _, after)| (n, g, after));
                let skimmed = doc.skim_indirect_at(offset, &mut refs, &mut Vec::new());
                assert!(
                    parsed.is_ok() == skimmed.is_ok()
                        && parsed.as_ref().ok() == skimmed.as_ref().ok(),
                    "object at {offset}: parsed {parsed:?}, skimmed {skimmed:?}"
                );
            }
        }
    }
    let ends = doc.revision_ends();
    for w in ends.windows(2) {
        assert!(w[0] < w[1], "revision ends not increasing: {ends:?}");
    }
    for &end in &ends {
        let head = data
            .get(..end)
            .unwrap_or_else(|| panic!("revision end {end} past the input"));
        let head = head
            .strip_suffix(b"\r\n")
            .or_else(|| head.strip_suffix(b"\n"))
            .or_else(|| head.strip_suffix(b"\r"))
            .unwrap_or(head);
        assert!(
            head.ends_with(b"%%EOF"),
            "revision end {end} is not after %%EOF"
        );
        if let Ok(scan) = doc.scan(end) {
            // Chunks taken in another order by two threads give the same
            // scan as one thread taking them in turn.
            let other = Document::open(data, limits)?;
            let job = other.scan_job(end);
            let mut parts = [ScanPart::default(), ScanPart::default()];
            let mut scratch = (Vec::new(), Vec::new());
            for i in (0..job.chunk_count()).rev() {
                job.run_chunk(i, &mut parts[i % 2], &mut scratch);
            }
            let split = other.finish_scan(job, parts);
            assert!(
                *split == *scan,
                "revision {end}: scan in chunks {split:?}, in one pass {scan:?}"
            );
        }
    }
    Ok(ends)
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

/// A fixed organisation for the journal target: `kadis` over `kabid1`
/// (over `staf1`) and `kabid2`, and `tu` (the registry clerk) under
/// `kadis`; one definitive assignment each, valid from 2024-01-01, held
/// with the Ed25519 key whose seed is the assignment's index byte (1..=5).
struct JournalFixture {
    org: crate::disposition::Org,
    keys: crate::disposition::KeyRing,
    signing: Vec<(crate::disposition::AssignmentId, ed25519_dalek::SigningKey)>,
}

impl JournalFixture {
    const MEMBERS: [(&'static str, Option<&'static str>); 5] = [
        ("kadis", None),
        ("tu", Some("kadis")),
        ("kabid1", Some("kadis")),
        ("kabid2", Some("kadis")),
        ("staf1", Some("kabid1")),
    ];

    fn new() -> Result<Self, crate::disposition::DispositionError> {
        use crate::disposition::{
            Assignment, AssignmentId, AssignmentKind, KeyRing, Org, PositionId,
        };
        let from =
            chrono::DateTime::<chrono::Utc>::from_timestamp(1_704_067_200, 0).unwrap_or_default();
        let mut org = Org::new();
        let mut keys = KeyRing::new();
        let mut signing = Vec::new();
        for (seed, (pos, parent)) in (1u8..).zip(Self::MEMBERS) {
            let parent = parent.map(PositionId::new).transpose()?;
            org.add_position(PositionId::new(pos)?, pos, parent.as_ref())?;
            let id = AssignmentId::new(pos)?;
            org.add_assignment(Assignment::new(
                id.clone(),
                PositionId::new(pos)?,
                AssignmentKind::Definitive,
                pos,
                from,
            ))?;
            let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
            keys.add(id.clone(), key.verifying_key());
            signing.push((id, key));
        }
        Ok(Self { org, keys, signing })
    }

    fn key(&self, actor: &crate::disposition::AssignmentId) -> Option<&ed25519_dalek::SigningKey> {
        self.signing
            .iter()
            .find(|(id, _)| id == actor)
            .map(|(_, k)| k)
    }
}

/// Journal limits for fuzzing: 16 KiB lines, 4,096 entries.
fn journal_limits() -> crate::disposition::Limits {
    crate::disposition::Limits::default()
        .max_line_bytes(16 << 10)
        .max_entries(4096)
}

/// What [`journal`] found in an input that parsed.
#[derive(Debug)]
pub struct JournalRun {
    /// Entries read.
    pub entries: usize,
    /// Whether the journal verified against the fixed organisation and keys.
    pub verified: bool,
    /// Events the rules accepted when replayed with the fixture's keys.
    pub replayed: usize,
}

/// The disposition journal parser and verifier over arbitrary bytes, with
/// the invariants a fuzzer should check.
///
/// Parses `data` as JSON lines; when that succeeds, verifies it against a
/// fixed organisation and key ring, then records every entry's event again
/// with the fixture's key for its actor, so the disposition rules see
/// arbitrary events under valid signatures.
///
/// # Panics
///
/// On a broken invariant (that is the finding): an accepted journal does
/// not write back to exactly its input, or a journal built by
/// `Journal::record` does not import and verify to the same tree.
pub fn journal(data: &[u8]) -> Result<JournalRun, crate::disposition::JournalError> {
    use crate::disposition::{Journal, parse_json_lines, verify};
    let limits = journal_limits();
    let raw = parse_json_lines(data, limits)?;
    let mut back = Vec::with_capacity(data.len());
    for e in raw.entries() {
        back.extend_from_slice(e.canonical_bytes());
        back.push(b'\n');
    }
    assert!(
        back == data,
        "an accepted journal does not write back to its input"
    );
    let fx = JournalFixture::new()
        .map_err(|source| crate::disposition::JournalError::Rule { index: 0, source })?;
    let verified = match verify(&raw, &fx.org, &fx.keys) {
        Ok(j) => {
            assert!(
                j.to_json_lines() == data,
                "a verified journal exports other bytes"
            );
            true
        }
        Err(_) => false,
    };
    let mut replay = Journal::with_limits(limits);
    for e in raw.entries() {
        if let Some(key) = fx.key(e.actor()) {
            // Rule violations are expected; the entry is then not recorded.
            let _ = replay.record(&fx.org, key, e.actor(), e.at(), e.event().clone());
        }
    }
    let exported = replay.to_json_lines();
    let again = parse_json_lines(&exported, limits)
        .unwrap_or_else(|e| panic!("a recorded journal does not parse: {e}"));
    let checked = verify(&again, &fx.org, &fx.keys)
        .unwrap_or_else(|e| panic!("a recorded journal does not verify: {e}"));
    assert!(
        checked.tree() == replay.tree(),
        "verify folds to another tree"
    );
    Ok(JournalRun {
        entries: raw.entries().len(),
        verified,
        replayed: replay.entries().len(),
    })
}

/// A small valid journal over the [`journal`] fixture (registration, read,
/// forward, read, report, complete): the fuzz seed.
pub fn journal_sample() -> Vec<u8> {
    use crate::disposition::{
        Event, Forward, Instruction, Journal, PositionId, RecipientId, Registration, Report, Role,
        Sha256Hash,
    };
    let Ok(fx) = JournalFixture::new() else {
        return Vec::new();
    };
    let Ok(kadis) = PositionId::new("kadis") else {
        return Vec::new();
    };
    let t0 = 1_736_150_400; // 2025-01-06T08:00:00Z
    let at = |m: i64| chrono::DateTime::from_timestamp(t0 + 60 * m, 0).unwrap_or_default();
    let (Ok(kabid1), Ok(kabid2)) = (PositionId::new("kabid1"), PositionId::new("kabid2")) else {
        return Vec::new();
    };
    let k1 = RecipientId::new(1);
    let events = [
        (
            "tu",
            Event::Register(
                Registration::new("SM/0001/2025", Sha256Hash::digest(b"surat masuk"), kadis)
                    .sender("Kementerian Komunikasi dan Digital")
                    .subject("Undangan Rapat"),
            ),
        ),
        (
            "kadis",
            Event::Read {
                recipient: RecipientId::ROOT,
            },
        ),
        (
            "kadis",
            Event::Forward(
                Forward::new(RecipientId::ROOT)
                    .to(kabid1, Role::Leading)
                    .to(kabid2, Role::Supporting)
                    .instruction(Instruction::FollowUp),
            ),
        ),
        ("kabid1", Event::Read { recipient: k1 }),
        ("kabid1", Event::Report(Report::new(k1, "Sudah dikerjakan"))),
        (
            "kabid1",
            Event::Complete {
                recipient: k1,
                note: None,
            },
        ),
    ];
    let mut j = Journal::with_limits(journal_limits());
    for (m, (actor, ev)) in (1..).zip(events) {
        let Some((id, key)) = fx.signing.iter().find(|(id, _)| id.as_str() == actor) else {
            return Vec::new();
        };
        if j.record(&fx.org, key, id, at(m), ev).is_err() {
            return Vec::new();
        }
    }
    j.to_json_lines()
}
