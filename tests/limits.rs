//! Resource limits: hostile structures must end promptly with an error or a
//! not-valid report that names the limit or the problem, never a panic, a
//! hang or an out-of-memory.
//!
//! Each case runs in a child process (this test binary re-invoked with
//! `SURAT_LIMIT_CASE` set), so that its peak memory (VmHWM) and time are
//! measured on their own; the parent asserts both and prints the figures.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::*;
use surat::Limits;
use surat::verify::{Check, Verdict, Verifier};

/// A one-revision classic PDF from object bodies (object `n` is `objs[n-1]`).
fn classic(objs: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut at = Vec::new();
    for (i, body) in objs.iter().enumerate() {
        at.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let x = out.len();
    writeln!(out, "xref\n0 {}\n0000000000 65535 f ", objs.len() + 1).unwrap();
    for o in at {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<</Size {} /Root 1 0 R{trailer_extra}>>\nstartxref\n{x}\n%%EOF\n",
        objs.len() + 1
    )
    .unwrap();
    out
}

fn basic_objs() -> Vec<Vec<u8>> {
    vec![
        b"<</Type /Catalog /Pages 2 0 R>>".to_vec(),
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>".to_vec(),
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>".to_vec(),
    ]
}

/// zlib of `total` zero bytes, compressed in 1 MiB chunks.
fn zlib_zeros(total: usize) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    let mut left = total;
    while left > 0 {
        let n = left.min(chunk.len());
        e.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    e.finish().unwrap()
}

/// A file whose catalog lives in an object stream (object 10) with
/// `stream_dict` and `data`, indexed by a cross-reference stream.
fn objstm_file(stream_dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let at10 = out.len();
    writeln!(out, "10 0 obj\n{stream_dict}\nstream").unwrap();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let x = out.len();
    // Rows (W [1 4 2]) for objects 0..=12: 1 and 11 in stream 10.
    let mut rows = Vec::new();
    let row = |t: u8, a: u32, b: u16| {
        let mut r = vec![t];
        r.extend_from_slice(&a.to_be_bytes());
        r.extend_from_slice(&b.to_be_bytes());
        r
    };
    for n in 0..=12u32 {
        rows.extend(match n {
            1 => row(2, 10, 0),
            11 => row(2, 10, 1),
            10 => row(1, at10 as u32, 0),
            12 => row(1, x as u32, 0),
            _ => row(0, 0, 0),
        });
    }
    write!(
        out,
        "12 0 obj\n<</Type /XRef /Size 13 /W [1 4 2] /Root 1 0 R /Length {}>>\nstream\n",
        rows.len()
    )
    .unwrap();
    out.extend_from_slice(&rows);
    writeln!(out, "\nendstream\nendobj\nstartxref\n{x}\n%%EOF").unwrap();
    out
}

/// A file whose only cross-reference data is an xref stream with `dict`
/// (without `/Length`) and `data`.
fn xref_stream_file(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n1 0 obj\n<</Type /Catalog>>\nendobj\n".to_vec();
    let x = out.len();
    writeln!(out, "2 0 obj\n<<{dict} /Length {}>>\nstream", data.len()).unwrap();
    out.extend_from_slice(data);
    writeln!(out, "\nendstream\nendobj\nstartxref\n{x}\n%%EOF").unwrap();
    out
}

/// Five object streams of `mib` MiB each (under the per-stream limit), each
/// holding one node of a field tree, so that the walk decodes them in turn.
fn total_bomb(mib: usize) -> Vec<u8> {
    // Five object streams of 20 MiB each (under the per-stream
    // limit), each holding one node of the field tree; the total limit
    // is set to 64 MiB for this case (`max_total`).
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut rows = Vec::new();
    let row = |t: u8, a: u32, b: u16| {
        let mut r = vec![t];
        r.extend_from_slice(&a.to_be_bytes());
        r.extend_from_slice(&b.to_be_bytes());
        r
    };
    let mut stm_at = Vec::new();
    for k in 0..5u32 {
        stm_at.push(out.len());
        // Object 2+k (a field) at the start of the stream, then zeros.
        let num = 2 + k;
        let next = if k < 4 {
            format!("/Kids [{} 0 R]", num + 1)
        } else {
            String::new()
        };
        let head = format!("{num} 0 ");
        let obj = format!("<</T (f{k}) {next}>>");
        let mut plain = head.clone().into_bytes();
        plain.extend_from_slice(obj.as_bytes());
        let first = head.len();
        let zz = {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(&plain).unwrap();
            e.write_all(&[b' '; 16]).unwrap();
            // Followed by the zero mass, compressed in the same stream.
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..mib {
                e.write_all(&chunk).unwrap();
            }
            e.finish().unwrap()
        };
        write!(
                    out,
                    "{} 0 obj\n<</Type /ObjStm /N 1 /First {first} /Filter /FlateDecode /Length {}>>\nstream\n",
                    20 + k,
                    zz.len()
                )
                .unwrap();
        out.extend_from_slice(&zz);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    let cat_at = out.len();
    out.extend_from_slice(b"1 0 obj\n<</Type /Catalog /AcroForm <</Fields [2 0 R]>>>>\nendobj\n");
    let x = out.len();
    for n in 0..=25u32 {
        rows.extend(match n {
            1 => row(1, cat_at as u32, 0),
            2..=6 => row(2, 20 + (n - 2), 0),
            20..=24 => row(1, stm_at[(n - 20) as usize] as u32, 0),
            25 => row(1, x as u32, 0),
            _ => row(0, 0, 0),
        });
    }
    write!(
        out,
        "25 0 obj\n<</Type /XRef /Size 26 /W [1 4 2] /Root 1 0 R /Length {}>>\nstream\n",
        rows.len()
    )
    .unwrap();
    out.extend_from_slice(&rows);
    writeln!(out, "\nendstream\nendobj\nstartxref\n{x}\n%%EOF").unwrap();
    out
}

/// A signed file whose form has `fields` text fields, then `revisions`
/// updates that each rewrite the page or (`catalog`) the catalog unchanged.
fn many_revisions(fields: usize, revisions: usize, catalog: bool) -> Vec<u8> {
    let mut o = basic_objs();
    let refs: String = (0..fields).map(|i| format!("{} 0 R ", 4 + i)).collect();
    o[0] = format!("<</Type /Catalog /Pages 2 0 R /AcroForm <</Fields [{refs}]>>>>").into_bytes();
    for i in 0..fields {
        o.push(format!("<</FT /Tx /T (f{i}) /V (x)>>").into_bytes());
    }
    let mut pdf = surat::sign::sign_pdf(
        &classic(&o, ""),
        &signer("ed25519"),
        &surat::sign::SignOptions::new(t_valid()),
    )
    .unwrap();
    let at = pdf.windows(8).rposition(|w| w == b"\n1 0 obj").unwrap() + 8;
    let len = pdf[at..].windows(6).position(|w| w == b"endobj").unwrap();
    let signed_catalog = pdf[at..at + len].to_vec();
    for k in 0..revisions {
        pdf = if catalog {
            append_update(&pdf, 1, &signed_catalog)
        } else {
            let page = format!(
                "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 {}]>>",
                843 + k
            );
            append_update(&pdf, 3, page.as_bytes())
        };
    }
    pdf
}

struct LimitCase {
    name: &'static str,
    build: fn() -> Vec<u8>,
    /// Substring of the error or of the report.
    expect: &'static str,
}

/// Cases that run with a smaller total decompression budget.
fn limits_for(name: &str) -> Limits {
    let mut l = Limits::default();
    if name == "flate-bomb-total-over-streams" {
        l.max_decompressed_total = 64 << 20;
    }
    l
}

const CASES: &[LimitCase] = &[
    LimitCase {
        name: "nested-arrays-100k-in-catalog",
        build: || {
            let mut o = basic_objs();
            let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
            o[0] = format!("<</Type /Catalog /Pages 2 0 R /X {deep}>>").into_bytes();
            classic(&o, "")
        },
        expect: "limit exceeded: nesting depth",
    },
    LimitCase {
        name: "nested-dicts-100k-in-trailer",
        build: || {
            let deep = format!("{}{}", "<</A ".repeat(100_000), ">>".repeat(100_000));
            classic(&basic_objs(), &format!(" /X {deep}"))
        },
        expect: "limit exceeded: nesting depth",
    },
    LimitCase {
        name: "nested-arrays-100k-in-signed-file",
        build: || {
            let signed = surat::sign::sign_pdf(
                &classic_pdf(1),
                &signer("ed25519"),
                &surat::sign::SignOptions::new(t_valid()),
            )
            .unwrap();
            let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
            append_update(&signed, 3, format!("<</Type /Font /X {deep}>>").as_bytes())
        },
        expect: "limit exceeded: nesting depth",
    },
    LimitCase {
        // Reading a dictionary, and comparing two versions of it key by
        // key, must stay linear in its size: here 200,000 keys (a catalog
        // with as many entries as an old file's named destinations), signed,
        // then changed in one key by a later update.
        name: "catalog-with-200k-keys-changed-after-signing",
        build: || {
            let keys: String = (0..200_000).map(|i| format!("/D{i} {i} ")).collect();
            let mut o = basic_objs();
            o[0] = format!("<</Type /Catalog /Pages 2 0 R {keys}>>").into_bytes();
            let signed = surat::sign::sign_pdf(
                &classic(&o, ""),
                &signer("ed25519"),
                &surat::sign::SignOptions::new(t_valid()),
            )
            .unwrap();
            // The signed catalog (the last body of object 1), with one value
            // changed.
            let at = signed.windows(8).rposition(|w| w == b"\n1 0 obj").unwrap() + 8;
            let len = signed[at..]
                .windows(6)
                .position(|w| w == b"endobj")
                .unwrap();
            let catalog =
                String::from_utf8_lossy(&signed[at..at + len]).replace("/D7 7/", "/D7 8/");
            append_update(&signed, 1, catalog.trim().as_bytes())
        },
        expect: "/D7",
    },
    LimitCase {
        // The form is walked again only in revisions that change what the
        // last walk read: 990 updates of the page cost no walk of the
        // 60,000 fields each (before, every revision walked them all, and
        // every lookup searched every section).
        name: "form-of-60k-fields-then-990-updates",
        build: || many_revisions(60_000, 990, false),
        expect: "later revisions made changes",
    },
    LimitCase {
        // Updates that each rewrite the catalog make every revision walk
        // the form again: the walks share one budget of nodes.
        name: "form-of-60k-fields-catalog-rewritten-990-times",
        build: || many_revisions(60_000, 990, true),
        expect: "limit exceeded: tree size",
    },
    LimitCase {
        // Each signature's widget names its page: the page tree is walked
        // once per revision, not once per signature (before, 10,000
        // widgets on a 10,000-page tree took 67 s in a release build).
        name: "signature-widgets-10k-on-10k-pages",
        build: || {
            let n = 10_000;
            let kids: String = (0..n).map(|i| format!("{} 0 R ", 3 + i)).collect();
            let fields: String = (0..n).map(|i| format!("{} 0 R ", 3 + n + i)).collect();
            let mut o = vec![
                format!("<</Type /Catalog /Pages 2 0 R /AcroForm <</Fields [{fields}]>>>>"),
                format!("<</Type /Pages /Kids [{kids}] /Count {n}>>"),
            ];
            for _ in 0..n {
                o.push("<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>".into());
            }
            for i in 0..n {
                o.push(format!(
                    "<</FT /Sig /T (s{i}) /V {} 0 R /Subtype /Widget /Rect [0 0 9 9] /P {} 0 R>>",
                    100_000 + i,
                    2 + n
                ));
            }
            let o: Vec<Vec<u8>> = o.into_iter().map(String::into_bytes).collect();
            classic(&o, "")
        },
        expect: "signature value refers to a missing object",
    },
    LimitCase {
        name: "prev-cycle",
        build: || {
            // Two sections whose /Prev point at each other.
            let mut out = b"%PDF-1.7\n1 0 obj\n<</Type /Catalog>>\nendobj\n".to_vec();
            let a = out.len();
            let a_len = format!("xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<</Size 2 /Root 1 0 R /Prev {:010}>>\n", 0).len();
            let b = a + a_len;
            writeln!(out, "xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<</Size 2 /Root 1 0 R /Prev {b:010}>>").unwrap();
            assert_eq!(out.len(), b);
            writeln!(out, "xref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 2 /Root 1 0 R /Prev {a}>>\nstartxref\n{b}\n%%EOF").unwrap();
            out
        },
        expect: "/Prev chain loops",
    },
    LimitCase {
        name: "prev-self-loop",
        build: || {
            let mut out = b"%PDF-1.7\n1 0 obj\n<</Type /Catalog>>\nendobj\n".to_vec();
            let a = out.len();
            writeln!(out, "xref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 2 /Root 1 0 R /Prev {a}>>\nstartxref\n{a}\n%%EOF").unwrap();
            out
        },
        expect: "/Prev chain loops",
    },
    LimitCase {
        name: "object-stream-length-cycle",
        build: || {
            // The object stream's /Length is object 11, which lives in the
            // object stream itself.
            let body = b"1 0 11 32 <</Type /Catalog>>     60";
            let mut d = body.to_vec();
            d.resize(60, b' ');
            objstm_file("<</Type /ObjStm /N 2 /First 10 /Length 11 0 R>>", &d)
        },
        expect: "limit exceeded: reference chain length",
    },
    LimitCase {
        name: "reference-chain-1000",
        build: || {
            let mut o = basic_objs();
            o[0] = b"<</Type /Catalog /Pages 2 0 R /AcroForm 4 0 R>>".to_vec();
            for i in 4..1004 {
                o.push(format!("{} 0 R", i + 1).into_bytes());
            }
            o.push(b"<</Fields []>>".to_vec());
            classic(&o, "")
        },
        expect: "limit exceeded: reference chain length",
    },
    LimitCase {
        name: "flate-bomb-1gib-object-stream",
        build: || {
            let z = zlib_zeros(1 << 30);
            objstm_file(
                &format!(
                    "<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {}>>",
                    z.len()
                ),
                &z,
            )
        },
        expect: "limit exceeded: decompressed stream size",
    },
    LimitCase {
        name: "flate-bomb-1gib-xref-stream",
        build: || {
            let z = zlib_zeros(1 << 30);
            xref_stream_file(
                "/Type /XRef /Size 3 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode",
                &z,
            )
        },
        expect: "limit exceeded: decompressed stream size",
    },
    LimitCase {
        name: "flate-bomb-total-over-streams",
        // 5 × 20 MiB with the total limit set to 64 MiB (`limits_for`).
        build: || total_bomb(20),
        expect: "limit exceeded: total decompressed size",
    },
    LimitCase {
        name: "flate-total-default-limits",
        // 5 × 60 MiB with the default limits (64 MiB per stream, 128 MiB in
        // total): decoded object streams are cached, so this measures how
        // much the default total budget lets a file keep resident.
        build: || total_bomb(60),
        expect: "limit exceeded: total decompressed size",
    },
    LimitCase {
        name: "xref-stream-huge-w",
        build: || {
            xref_stream_file(
                "/Type /XRef /Size 3 /W [1 4611686018427387904 2] /Root 1 0 R",
                &[0; 21],
            )
        },
        expect: "bad /W",
    },
    LimitCase {
        name: "xref-stream-w-9",
        build: || xref_stream_file("/Type /XRef /Size 3 /W [1 9 2] /Root 1 0 R", &[0; 36]),
        expect: "bad /W",
    },
    LimitCase {
        name: "xref-stream-w-zero",
        build: || xref_stream_file("/Type /XRef /Size 3 /W [0 0 0] /Root 1 0 R", &[0; 36]),
        expect: "empty /W",
    },
    LimitCase {
        name: "xref-stream-index-near-u32-max",
        build: || {
            xref_stream_file(
                "/Type /XRef /Size 3 /W [1 4 2] /Index [4294967294 3] /Root 1 0 R",
                &[
                    1, 0, 0, 0, 9, 0, 0, 1, 0, 0, 0, 9, 0, 0, 1, 0, 0, 0, 9, 0, 0,
                ],
            )
        },
        expect: "object number out of range",
    },
    LimitCase {
        name: "xref-stream-index-huge-count",
        build: || {
            xref_stream_file(
                "/Type /XRef /Size 3 /W [1 4 2] /Index [0 4294967295] /Root 1 0 R",
                &[0; 21],
            )
        },
        expect: "xref stream shorter than its /Index says",
    },
    LimitCase {
        name: "xref-table-subsection-near-u32-max",
        build: || {
            let mut out = b"%PDF-1.7\n1 0 obj\n<</Type /Catalog>>\nendobj\n".to_vec();
            let x = out.len();
            writeln!(out, "xref\n4294967294 3\n0000000009 00000 n \n0000000009 00000 n \n0000000009 00000 n \ntrailer\n<</Size 2 /Root 1 0 R>>\nstartxref\n{x}\n%%EOF").unwrap();
            out
        },
        expect: "xref subsection larger than the file or the object limit",
    },
    LimitCase {
        name: "xref-table-subsection-huge-count",
        build: || {
            let mut out = b"%PDF-1.7\n1 0 obj\n<</Type /Catalog>>\nendobj\n".to_vec();
            let x = out.len();
            writeln!(out, "xref\n0 4294967295\n0000000000 65535 f \ntrailer\n<</Size 2 /Root 1 0 R>>\nstartxref\n{x}\n%%EOF").unwrap();
            out
        },
        expect: "xref subsection larger than the file or the object limit",
    },
    LimitCase {
        name: "trailer-size-huge",
        build: || classic(&basic_objs(), "").replace_size(),
        expect: "limit exceeded: object count",
    },
    LimitCase {
        name: "revisions-2000",
        build: || {
            let mut pdf = classic(&basic_objs(), "");
            for _ in 0..2000 {
                pdf = append_update(
                    &pdf,
                    3,
                    b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>",
                );
            }
            pdf
        },
        expect: "limit exceeded: revision count",
    },
    LimitCase {
        name: "field-tree-200k-nodes",
        build: || {
            let refs = "5 0 R ".repeat(200_000);
            let mut o = basic_objs();
            o[0] = b"<</Type /Catalog /Pages 2 0 R /AcroForm <</Fields 4 0 R>>>>".to_vec();
            o.push(format!("[{refs}]").into_bytes());
            o.push(b"<</T (x) /FT /Sig /V 6 0 R>>".to_vec());
            classic(&o, "")
        },
        expect: "limit exceeded: tree size",
    },
    LimitCase {
        name: "page-tree-kids-cycle",
        build: || {
            // Pages whose /Kids contain themselves: signing must stop.
            let mut o = basic_objs();
            o[1] = b"<</Type /Pages /Kids [2 0 R 2 0 R] /Count 2>>".to_vec();
            classic(&o, "")
        },
        expect: "no signature found",
    },
];

trait ReplaceSize {
    fn replace_size(self) -> Vec<u8>;
}

impl ReplaceSize for Vec<u8> {
    fn replace_size(self) -> Vec<u8> {
        let s = String::from_utf8_lossy(&self).replace("/Size 4 ", "/Size 99999999999 ");
        s.into_bytes()
    }
}

/// Run one case: verify (and, for the page-tree cycle, sign) and assert the
/// outcome names the problem. Returns the text of the outcome.
fn run_case(c: &LimitCase, pdf: &[u8]) -> String {
    let mut opts = surat::verify::VerifyOptions::default();
    opts.limits = limits_for(c.name);
    let got = Verifier::new(trust())
        .at(t_valid())
        .options(opts)
        .verify(pdf);
    let text = match &got {
        Ok(r) => {
            assert_ne!(r.verdict, Verdict::Valid, "{}: valid", c.name);
            let mut t = r.problems.join("; ");
            for s in &r.signatures {
                t.push_str(&s.reasons.join("; "));
                t.push_str(&s.change_notes.join("; "));
                if let Check::Failed(m) = &s.integrity {
                    t.push_str(m);
                }
            }
            t
        }
        Err(e) => e.to_string(),
    };
    assert!(
        text.contains(c.expect),
        "{}: expected {:?} in {text:?}",
        c.name,
        c.expect
    );
    if c.name == "page-tree-kids-cycle" {
        let r = surat::sign::sign_pdf(
            pdf,
            &signer("ed25519"),
            &surat::sign::SignOptions::new(t_valid()).page(5),
        );
        let e = r.expect_err("no page 5 in a cyclic tree").to_string();
        assert!(
            e.contains("tree size") || e.contains("does not exist"),
            "{e}"
        );
        return e;
    }
    text
}

fn vm_hwm_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The child side: run the case named by `SURAT_LIMIT_CASE`, print figures.
#[test]
fn limit_case_child() {
    let Ok(name) = std::env::var("SURAT_LIMIT_CASE") else {
        return;
    };
    let c = CASES.iter().find(|c| c.name == name).unwrap();
    let pdf = (c.build)();
    let t = Instant::now();
    let text = run_case(c, &pdf);
    println!(
        "SURAT_FIGURES case={} file_bytes={} verify_ms={} vmhwm_kib={} outcome={:?}",
        c.name,
        pdf.len(),
        t.elapsed().as_millis(),
        vm_hwm_kib().unwrap_or(0),
        text.chars().take(120).collect::<String>()
    );
}

/// The parent side: every case, each in its own process, within 256 MiB of
/// peak memory and a time bound.
#[test]
fn every_limit_case_is_prompt_and_bounded() {
    if std::env::var("SURAT_LIMIT_CASE").is_ok() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut failures = Vec::new();
    for c in CASES {
        let t = Instant::now();
        let out = std::process::Command::new(&exe)
            .args([
                "limit_case_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("SURAT_LIMIT_CASE", c.name)
            .output()
            .unwrap();
        let elapsed = t.elapsed();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout
            .lines()
            .find(|l| l.contains("SURAT_FIGURES"))
            .map(str::to_string);
        eprintln!(
            "{}",
            line.clone()
                .unwrap_or_else(|| format!("{}: no figures", c.name))
        );
        if !out.status.success() || line.is_none() {
            failures.push(format!(
                "{}: child failed: {}\n{}",
                c.name,
                stdout,
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let kib: u64 = line
            .as_deref()
            .and_then(|l| l.split("vmhwm_kib=").nth(1))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        // Decoded object streams are cached, so a file may keep up to
        // `max_decompressed_total` (default 128 MiB) resident plus the stream
        // being decoded: every case, that one included, stays under 256 MiB.
        let bound = 256 * 1024;
        if kib == 0 || kib > bound {
            failures.push(format!("{}: peak memory {kib} KiB", c.name));
        }
        // Generous: debug-ish test builds on a shared 2-core machine.
        if elapsed > Duration::from_secs(120) {
            failures.push(format!("{}: took {elapsed:?}", c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The limits are configurable: a small file-size limit refuses the file.
#[test]
fn file_size_limit_is_enforced() {
    let pdf = classic_pdf(1);
    let mut limits = Limits::default();
    limits.max_file_size = 100;
    let opts = {
        let mut o = surat::verify::VerifyOptions::default();
        o.limits = limits;
        o
    };
    let e = Verifier::new(trust())
        .options(opts)
        .at(t_valid())
        .verify(&pdf)
        .unwrap_err();
    assert!(e.to_string().contains("limit exceeded: file size"), "{e}");
}
