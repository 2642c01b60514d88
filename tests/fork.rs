//! A process forked after surat started its helper threads has none of
//! them: large files must still sign and verify there (on the calling
//! thread) instead of waiting for ever for a helper that does not exist.
//! This is what a Python wrapper using `multiprocessing` with the `fork`
//! start method does.

#![cfg(target_os = "linux")]

mod common;

use std::time::{Duration, Instant};

use surat::sign::{SignOptions, sign_pdf};
use surat::verify::{Verdict, Verifier};

#[test]
fn a_forked_child_signs_and_verifies_large_files() {
    // Over 1 MiB, so signing and verifying use the helper threads.
    let pdf = common::classic_pdf(5_000);
    assert!(pdf.len() > 1 << 20);
    let opts = SignOptions::new(common::t_valid());
    let signer = common::signer("p256");
    let verifier = Verifier::new(common::trust()).at(common::t_valid());
    let signed = sign_pdf(&pdf, &signer, &opts).unwrap();
    assert_eq!(verifier.verify(&signed).unwrap().verdict, Verdict::Valid);

    // SAFETY: the child only signs, verifies and exits; glibc makes malloc
    // usable after fork, and the child prints nothing.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let ok = sign_pdf(&pdf, &signer, &opts)
            .ok()
            .and_then(|again| verifier.verify(&again).ok())
            .is_some_and(|r| r.verdict == Verdict::Valid)
            && verifier
                .verify(&signed)
                .is_ok_and(|r| r.verdict == Verdict::Valid);
        // SAFETY: ends the child without running the parent's destructors.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let started = Instant::now();
    let mut status = 0;
    loop {
        // SAFETY: waits for our own child.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            break;
        }
        assert_eq!(r, 0, "waitpid failed");
        if started.elapsed() > Duration::from_secs(60) {
            // SAFETY: our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            panic!("the forked child hung signing or verifying a large file");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the forked child did not sign and verify (status {status:#x})"
    );
}
