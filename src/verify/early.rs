//! The digest of the last signature, started before the revision index is
//! read.
//!
//! On a large file verification has a serial start (reading the
//! cross-reference sections, finding the signatures through the form,
//! parsing the CMS) before it knows which bytes to hash; the helper thread
//! would idle through it. So a helper job reads the file's last
//! `/ByteRange` and the `/Contents` gap it names straight from the tail,
//! takes the digest algorithm from that CMS, and hashes those ranges at
//! once.
//!
//! That guess follows none of the verifier's rules, and it needs none: the
//! digest is handed out only for exactly the algorithm and ranges that the
//! checks of a signature found by the rules ask for ([`EarlyDigest::take`]),
//! and it is the digest of those bytes, computed by the same code. A
//! signature that asks for anything else is hashed as before.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::cms::alg::{HashAlg, Hasher};
use crate::pdf::Object;
use crate::pdf::parse::Parser;

/// How far from the end of the file the last `/ByteRange` is looked for.
/// Signing writes the signature dictionary into the last update; what may
/// follow it there (widget, appearance with its image and font, the
/// cross-reference section) is far smaller than this.
const TAIL: usize = 1 << 20;

/// The largest `/Contents` gap the guess decodes (in hexadecimal digits):
/// signatures with their chains and revocation data fit in far less, and a
/// decoy cannot make the guess hold more than this.
const MAX_GAP: usize = 1 << 20;

/// Bytes hashed between two looks at the stop flag.
const STEP: usize = 1 << 20;

/// What one early job hashes: the digest algorithm and the two ranges
/// `..first_end` and `second_start..second_end` of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ranges {
    pub alg: HashAlg,
    pub first_end: usize,
    pub second_start: usize,
    pub second_end: usize,
}

#[derive(Debug)]
enum State {
    /// Not started.
    Idle,
    /// Reading the tail; the guess is not known yet.
    Guessing,
    /// Hashing these ranges.
    Hashing(Ranges),
    /// Done: the ranges and their digest (`None` when there was no guess or
    /// the job was stopped).
    Ready(Option<(Ranges, Vec<u8>)>),
    /// Taken, or stopped before it started.
    Gone,
}

/// One early digest over `data`, shared by the helper job that computes it
/// and the verification that may take it.
pub(super) struct EarlyDigest<'a> {
    data: &'a [u8],
    state: Mutex<State>,
    changed: Condvar,
    stop: AtomicBool,
}

impl<'a> EarlyDigest<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        EarlyDigest {
            data,
            state: Mutex::new(State::Idle),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, state: State) {
        *self.lock() = state;
        self.changed.notify_all();
    }

    /// The helper job: guess the ranges, then hash them. Does nothing once
    /// [`EarlyDigest::stop`] has run.
    pub(super) fn run(&self) {
        {
            let mut s = self.lock();
            if !matches!(*s, State::Idle) {
                return;
            }
            *s = State::Guessing;
        }
        let Some(ranges) = guess(self.data) else {
            self.set(State::Ready(None));
            return;
        };
        self.set(State::Hashing(ranges));
        let digest = self.hash(ranges);
        self.set(State::Ready(digest.map(|d| (ranges, d))));
    }

    /// The digest of `ranges`, or `None` if the stop flag went up first.
    fn hash(&self, r: Ranges) -> Option<Vec<u8>> {
        let first = self.data.get(..r.first_end)?;
        let second = self.data.get(r.second_start..r.second_end)?;
        let mut h = Hasher::new(r.alg);
        for part in [first, second] {
            for piece in part.chunks(STEP) {
                if self.stop.load(Ordering::Relaxed) {
                    return None;
                }
                h.update(piece);
            }
        }
        Some(h.finish())
    }

    /// The digest of exactly `want`, if the early job computed (or is
    /// computing) it; `None` sends the caller to hash the ranges itself.
    ///
    /// Waits only for a job that is running: one still queued is cancelled
    /// instead (so a thread of the pool never waits for a job that no
    /// thread may be free to run). A job hashing other ranges is left to
    /// finish for another signature. The digest is handed out once.
    pub(super) fn take(&self, want: Ranges) -> Option<Vec<u8>> {
        let mut s = self.lock();
        loop {
            match &*s {
                State::Idle => {
                    *s = State::Gone;
                    return None;
                }
                State::Guessing => {}
                State::Hashing(r) if *r == want => {}
                State::Hashing(_) | State::Gone | State::Ready(None) => return None,
                State::Ready(Some((r, _))) => {
                    if *r != want {
                        return None;
                    }
                    let State::Ready(Some((_, digest))) = std::mem::replace(&mut *s, State::Gone)
                    else {
                        return None;
                    };
                    return Some(digest);
                }
            }
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Stop the job: one not started will not start, one hashing ends
    /// within [`STEP`] bytes.
    pub(super) fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        let mut s = self.lock();
        if matches!(*s, State::Idle) {
            *s = State::Gone;
        }
    }
}

/// The ranges of the last `/ByteRange` in the file's tail: `[0 b c d]`
/// whose gap `b..c` is a hexadecimal string holding a CMS with a digest
/// algorithm on the allow-list.
fn guess(data: &[u8]) -> Option<Ranges> {
    let from = data.len().saturating_sub(TAIL);
    let at = from + memchr::memmem::rfind(data.get(from..)?, b"/ByteRange")?;
    let mut p = Parser::new(data, at + b"/ByteRange".len(), 1);
    let Ok(Object::Array(items)) = p.parse_object() else {
        return None;
    };
    let [
        Object::Int(0),
        Object::Int(b),
        Object::Int(c),
        Object::Int(d),
    ] = items.as_slice()
    else {
        return None;
    };
    let first_end = usize::try_from(*b).ok()?;
    let second_start = usize::try_from(*c).ok()?;
    let second_end = second_start.checked_add(usize::try_from(*d).ok()?)?;
    if first_end == 0
        || second_start <= first_end
        || second_start - first_end > MAX_GAP
        || second_end > data.len()
    {
        return None;
    }
    let mut q = Parser::new(data, first_end, 1);
    let Ok(Object::Str(contents)) = q.parse_object() else {
        return None;
    };
    if !contents.hex || contents.span != Some((first_end, second_start)) {
        return None;
    }
    let parsed = crate::cms::parse(&contents.bytes).ok()?;
    Some(Ranges {
        alg: HashAlg::from_oid(&parsed.digest_alg.oid)?,
        first_end,
        second_start,
        second_end,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::sign::{KeySigner, SignOptions, sign_pdf};
    use chrono::TimeZone;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/pki/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub(in crate::verify) fn signer(name: &str) -> KeySigner {
        KeySigner::from_pem(
            &fixture(&format!("{name}.key")),
            &fixture(&format!("{name}.pem")),
        )
        .unwrap()
        .with_extra_certificates(crate::cert::Certificate::from_pem(&fixture("inter.pem")).unwrap())
    }

    pub(in crate::verify) fn trust() -> crate::cert::TrustStore {
        crate::cert::TrustStore::from_pem(&fixture("root.pem")).unwrap()
    }

    pub(in crate::verify) fn at() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc.with_ymd_and_hms(2027, 6, 1, 8, 0, 0).unwrap()
    }

    /// A one-page PDF with a stream of `filler` bytes.
    pub(in crate::verify) fn pdf_with(filler: usize) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        let content = b"BT /F1 12 Tf 72 720 Td (Surat) Tj ET";
        let filler_data: Vec<u8> = (0..filler).map(|i| (i * 7 % 251) as u8).collect();
        let bodies: Vec<Vec<u8>> = vec![
            b"<</Type /Catalog /Pages 2 0 R>>".to_vec(),
            b"<</Type /Pages /Kids [3 0 R] /Count 1>>".to_vec(),
            b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</XObject <</X 5 0 R>>>>>>".to_vec(),
            [format!("<</Length {}>>\nstream\n", content.len()).as_bytes(), content, b"\nendstream"].concat(),
            [format!("<</Type /XObject /Subtype /Image /Width 1 /Height {filler} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {filler}>>\nstream\n").as_bytes(), &filler_data, b"\nendstream"].concat(),
        ];
        for (i, b) in bodies.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(b);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", bodies.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<</Size {} /Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
                bodies.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    /// Signed with Ed25519 (SHA-512), then with P-256 (SHA-256).
    pub(in crate::verify) fn signed_twice(filler: usize) -> Vec<u8> {
        let opts = SignOptions::new(at());
        let once = sign_pdf(&pdf_with(filler), &signer("ed25519"), &opts).unwrap();
        sign_pdf(&once, &signer("p256"), &opts).unwrap()
    }

    fn ranges_of(data: &[u8]) -> Vec<[u64; 4]> {
        let report = crate::verify::Verifier::new(trust())
            .at(at())
            .verify(data)
            .unwrap();
        assert_eq!(report.verdict, crate::verify::Verdict::Valid);
        report
            .signatures
            .iter()
            .map(|s| s.byte_range.unwrap())
            .collect()
    }

    fn wanted(alg: HashAlg, [_, b, c, d]: [u64; 4]) -> Ranges {
        Ranges {
            alg,
            first_end: b as usize,
            second_start: c as usize,
            second_end: (c + d) as usize,
        }
    }

    fn direct(data: &[u8], r: Ranges) -> Vec<u8> {
        let mut h = Hasher::new(r.alg);
        h.update(&data[..r.first_end]);
        h.update(&data[r.second_start..r.second_end]);
        h.finish()
    }

    #[test]
    fn the_digest_is_handed_out_once_and_only_for_the_ranges_hashed() {
        let data = signed_twice(3000);
        let ranges = ranges_of(&data);
        let last = wanted(HashAlg::Sha256, ranges[1]);
        let first = wanted(HashAlg::Sha512, ranges[0]);
        assert_eq!(guess(&data), Some(last));
        let early = EarlyDigest::new(&data);
        early.run();
        // Any other request finds nothing and leaves the digest in place.
        let mut others = vec![
            first,
            Ranges {
                alg: HashAlg::Sha512,
                ..last
            },
        ];
        for delta in [1usize, usize::MAX] {
            let shift = |v: usize| v.wrapping_add(delta);
            others.push(Ranges {
                first_end: shift(last.first_end),
                ..last
            });
            others.push(Ranges {
                second_start: shift(last.second_start),
                ..last
            });
            others.push(Ranges {
                second_end: shift(last.second_end),
                ..last
            });
        }
        for o in others {
            assert_eq!(early.take(o), None, "{o:?}");
        }
        assert_eq!(early.take(last), Some(direct(&data, last)));
        assert_eq!(early.take(last), None);
    }

    #[test]
    fn a_job_stopped_or_taken_before_it_starts_does_nothing() {
        let data = signed_twice(10);
        let last = wanted(HashAlg::Sha256, ranges_of(&data)[1]);
        let early = EarlyDigest::new(&data);
        early.stop();
        early.run();
        assert!(matches!(*early.lock(), State::Gone));
        assert_eq!(early.take(last), None);
        let early = EarlyDigest::new(&data);
        assert_eq!(early.take(last), None);
        early.run();
        assert!(matches!(*early.lock(), State::Gone));
    }

    #[test]
    fn a_take_waits_for_the_running_job() {
        let data = signed_twice(STEP * 2);
        let last = wanted(HashAlg::Sha256, ranges_of(&data)[1]);
        let early = EarlyDigest::new(&data);
        std::thread::scope(|s| {
            s.spawn(|| early.run());
            // Until the job has started, a take would cancel it.
            while matches!(*early.lock(), State::Idle) {
                std::thread::yield_now();
            }
            assert_eq!(early.take(last), Some(direct(&data, last)));
        });
    }

    #[test]
    fn a_stopped_job_ends_early_and_hands_out_nothing() {
        let data = signed_twice(STEP * 8);
        let last = wanted(HashAlg::Sha256, ranges_of(&data)[1]);
        let early = EarlyDigest::new(&data);
        early.stop.store(true, Ordering::Relaxed);
        early.run();
        assert!(matches!(*early.lock(), State::Ready(None)));
        assert_eq!(early.take(last), None);
    }

    #[test]
    fn tails_without_a_usable_byte_range_give_no_guess() {
        let data = signed_twice(10);
        assert_eq!(guess(&pdf_with(10)), None);
        let at = memchr::memmem::rfind(&data, b"/ByteRange").unwrap();
        for (from, to) in [
            (&b"/ByteRange [0 "[..], &b"/ByteRange [1 "[..]),
            (b"/ByteRange [", b"/ByteRange ("),
        ] {
            let mut d = data.clone();
            d[at..at + from.len()].copy_from_slice(to);
            assert_eq!(guess(&d), None);
        }
        // A /Contents that is not one hexadecimal string.
        let gap = guess(&data).unwrap().first_end;
        let mut d = data.clone();
        d[gap] = b'(';
        assert_eq!(guess(&d), None);
        // A CMS that does not parse.
        let mut d = data.clone();
        d[gap + 1..gap + 5].copy_from_slice(b"FFFF");
        assert_eq!(guess(&d), None);
    }
}
