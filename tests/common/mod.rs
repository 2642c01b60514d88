//! Shared test helpers: the committed test PKI, fixed times, and small PDFs
//! written the way different producers write them.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use surat::cert::{Certificate, TrustStore};
use surat::sign::KeySigner;

pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

pub fn read_fixture(path: &str) -> Vec<u8> {
    std::fs::read(fixture(path)).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A time inside the validity of the test PKI.
pub fn t_valid() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 6, 1, 8, 0, 0).unwrap()
}

/// A time after every test certificate expired.
pub fn t_expired() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2045, 1, 1, 0, 0, 0).unwrap()
}

pub fn trust() -> TrustStore {
    TrustStore::from_pem(&read_fixture("pki/root.pem")).unwrap()
}

/// A signer from the test PKI: `ed25519`, `p256`, `rsa`, `nosign`, `evil`.
pub fn signer(name: &str) -> KeySigner {
    let key = read_fixture(&format!("pki/{name}.key"));
    let cert = read_fixture(&format!("pki/{name}.pem"));
    let s = KeySigner::from_pem(&key, &cert).unwrap();
    let issuer = if name == "evil" {
        "pki/evilroot.pem"
    } else {
        "pki/inter.pem"
    };
    s.with_extra_certificates(Certificate::from_pem(&read_fixture(issuer)).unwrap())
}

pub const ALGORITHMS: [&str; 3] = ["ed25519", "p256", "rsa"];

fn content(i: usize) -> Vec<u8> {
    format!("BT /F1 24 Tf 72 720 Td (Surat Dinas halaman {i}) Tj ET").into_bytes()
}

/// The text of page `i` as a compressed content stream: three times `bytes`
/// of lines of words picked by a fixed generator, which compress to about
/// 0.8 × `bytes` (the verifier never inflates them). One compressor `z`
/// serves every page: a new one costs more than its page.
fn long_content(z: &mut flate2::Compress, i: usize, bytes: usize) -> Vec<u8> {
    const WORDS: [&str; 16] = [
        "surat",
        "dinas",
        "kepala",
        "bagian",
        "umum",
        "nomor",
        "perihal",
        "lampiran",
        "dengan",
        "hormat",
        "sehubungan",
        "kegiatan",
        "pelaksanaan",
        "tahun",
        "anggaran",
        "kabupaten",
    ];
    let mut state = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut text = format!("BT /F1 11 Tf 72 800 Td 14 TL (Halaman {i}) Tj\n").into_bytes();
    while text.len() < bytes * 3 {
        text.extend_from_slice(b"T* (");
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.extend_from_slice(WORDS[(state >> 60) as usize].as_bytes());
            text.push(b' ');
        }
        text.extend_from_slice(b") Tj\n");
    }
    text.extend_from_slice(b"ET");
    z.reset();
    let mut out = Vec::with_capacity(text.len() + 64);
    let status = z.compress_vec(&text, &mut out, flate2::FlushCompress::Finish);
    assert_eq!(status.unwrap(), flate2::Status::StreamEnd);
    out
}

/// Objects of a document with `pages` pages: catalog 1, pages 2, font 3,
/// then page/content pairs. With `page_bytes` > 0 each content stream is
/// compressed text made from it (see `long_content`); otherwise one short
/// line.
fn objects(pages: usize, page_bytes: usize) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut v: Vec<(Vec<u8>, Option<Vec<u8>>)> = vec![
        (b"<</Type /Catalog /Pages 2 0 R>>".to_vec(), None),
        (
            format!("<</Type /Pages /Kids [{}] /Count {pages}>>", kids.join(" ")).into_bytes(),
            None,
        ),
        (
            b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>".to_vec(),
            None,
        ),
    ];
    let mut z = flate2::Compress::new(flate2::Compression::fast(), true);
    for i in 0..pages {
        let page = format!(
            "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595.303937007874 841.889764] /Contents {} 0 R /Resources <</Font <</F1 3 0 R>>>>>>",
            5 + 2 * i
        );
        v.push((page.into_bytes(), None));
        if page_bytes > 0 {
            let c = long_content(&mut z, i + 1, page_bytes);
            let dict = format!("<</Filter /FlateDecode /Length {}>>", c.len());
            v.push((dict.into_bytes(), Some(c)));
        } else {
            let c = content(i + 1);
            v.push((format!("<</Length {}>>", c.len()).into_bytes(), Some(c)));
        }
    }
    v
}

/// A PDF 1.4 with a classic cross-reference table.
pub fn classic_pdf(pages: usize) -> Vec<u8> {
    classic_pdf_sized(pages, 0)
}

/// [`classic_pdf`] with compressed page text made from `page_bytes` (see
/// `long_content`): 2,500 makes content streams of about 2.1 KB and the
/// 20,000 pages 46.7 MB, the size of the file the performance issue's
/// reference figures were taken on (47 MB).
pub fn classic_pdf_sized(pages: usize, page_bytes: usize) -> Vec<u8> {
    let objs = objects(pages, page_bytes);
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, (dict, stream)) in objs.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(dict);
        if let Some(s) = stream {
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(s);
            out.extend_from_slice(b"\nendstream");
        }
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).unwrap();
    for o in &offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<</Size {} /Root 1 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]>>\nstartxref\n{xref}\n%%EOF\n",
        objs.len() + 1
    )
    .unwrap();
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A PDF 1.7 whose dictionaries live in a compressed object stream and whose
/// cross-reference data is a compressed stream with the PNG Up predictor, as
/// qpdf, pdfTeX and Acrobat write them.
pub fn xref_stream_pdf(pages: usize) -> Vec<u8> {
    xref_stream_pdf_edited(pages, |_| {})
}

/// [`xref_stream_pdf`] with `edit` applied to its objects first: the text of
/// each object's dictionary (object `i + 1` at index `i`) and its stream.
pub fn xref_stream_pdf_edited(
    pages: usize,
    edit: impl FnOnce(&mut [(Vec<u8>, Option<Vec<u8>>)]),
) -> Vec<u8> {
    object_streams_pdf_edited(pages, usize::MAX, edit)
}

/// [`xref_stream_pdf`] with at most `per_stream` objects in each object
/// stream: qpdf, pdfTeX and lopdf put at most 100 in one.
pub fn object_streams_pdf(pages: usize, per_stream: usize) -> Vec<u8> {
    object_streams_pdf_edited(pages, per_stream, |_| {})
}

/// [`object_streams_pdf`] with page text as in [`classic_pdf_sized`].
pub fn object_streams_pdf_sized(pages: usize, per_stream: usize, page_bytes: usize) -> Vec<u8> {
    object_streams_of(objects(pages, page_bytes), per_stream)
}

/// [`object_streams_pdf`] with `edit` applied to its objects first, as in
/// [`xref_stream_pdf_edited`].
pub fn object_streams_pdf_edited(
    pages: usize,
    per_stream: usize,
    edit: impl FnOnce(&mut [(Vec<u8>, Option<Vec<u8>>)]),
) -> Vec<u8> {
    let mut objs = objects(pages, 0);
    edit(&mut objs);
    object_streams_of(objs, per_stream)
}

fn object_streams_of(objs: Vec<(Vec<u8>, Option<Vec<u8>>)>, per_stream: usize) -> Vec<u8> {
    let n = objs.len();
    let compressed: Vec<usize> = (0..n).filter(|&i| objs[i].1.is_none()).collect();
    let groups: Vec<&[usize]> = compressed.chunks(per_stream.max(1)).collect();
    let objstm_first = n + 1;
    let xref_num = n + groups.len().max(1) + 1;
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    // Streams stay plain objects; dictionaries go into the object streams.
    let mut entries: Vec<(u8, u64, u64)> = vec![(0, 0, 65535); xref_num + 1];
    for (i, (dict, stream)) in objs.iter().enumerate() {
        if let Some(s) = stream {
            let num = i + 1;
            entries[num] = (1, out.len() as u64, 0);
            writeln!(out, "{num} 0 obj").unwrap();
            out.extend_from_slice(dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(s);
            out.extend_from_slice(b"\nendstream\nendobj\n");
        }
    }
    for (g, group) in groups.iter().enumerate() {
        let objstm_num = objstm_first + g;
        let mut header = String::new();
        let mut body = Vec::new();
        for (idx, &i) in group.iter().enumerate() {
            let num = i + 1;
            header.push_str(&format!("{num} {} ", body.len()));
            body.extend_from_slice(&objs[i].0);
            body.push(b'\n');
            entries[num] = (2, objstm_num as u64, idx as u64);
        }
        let mut stm = header.into_bytes();
        let first = stm.len();
        stm.extend_from_slice(&body);
        let z = zlib(&stm);
        entries[objstm_num] = (1, out.len() as u64, 0);
        write!(
            out,
            "{objstm_num} 0 obj\n<</Type /ObjStm /N {} /First {first} /Filter /FlateDecode /Length {}>>\nstream\n",
            group.len(),
            z.len()
        )
        .unwrap();
        out.extend_from_slice(&z);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    let xref_at = out.len();
    entries[xref_num] = (1, xref_at as u64, 0);
    // Rows of W [1 4 2], PNG Up predictor (row tag 2).
    let mut raw = Vec::new();
    let mut prev = [0u8; 7];
    for (t, a, b) in &entries {
        let mut row = [0u8; 7];
        row[0] = *t;
        row[1..5].copy_from_slice(&(*a as u32).to_be_bytes());
        row[5..7].copy_from_slice(&(*b as u16).to_be_bytes());
        raw.push(2u8);
        for k in 0..7 {
            raw.push(row[k].wrapping_sub(prev[k]));
        }
        prev = row;
    }
    let z = zlib(&raw);
    write!(
        out,
        "{xref_num} 0 obj\n<</Type /XRef /Size {} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns 7>> /Length {}>>\nstream\n",
        xref_num + 1,
        z.len()
    )
    .unwrap();
    out.extend_from_slice(&z);
    write!(out, "\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").unwrap();
    out
}

/// Append an incremental update (classic xref) that replaces object `num`
/// with `body` (a full `<<…>>` or `<<…>> stream … endstream` text).
pub fn append_update(pdf: &[u8], num: u32, body: &[u8]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    let prev = last_startxref(pdf);
    let at = out.len();
    writeln!(out, "{num} 0 obj").unwrap();
    out.extend_from_slice(body);
    out.extend_from_slice(b"\nendobj\n");
    let xref = out.len();
    write!(
        out,
        "xref\n{num} 1\n{at:010} 00000 n \ntrailer\n<</Size {} /Root 1 0 R /Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
        size_of(pdf)
    )
    .unwrap();
    out
}

pub fn last_startxref(pdf: &[u8]) -> usize {
    let s = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(64)..]).into_owned();
    let i = s.rfind("startxref").unwrap();
    s[i + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn size_of(pdf: &[u8]) -> usize {
    // Large enough for every test document.
    let _ = pdf;
    200
}

/// Byte range of the last signature written (by text, for tests only).
pub fn last_byte_range(pdf: &[u8]) -> [usize; 4] {
    let i = pdf.windows(12).rposition(|w| w == b"/ByteRange [").unwrap();
    let s = String::from_utf8_lossy(&pdf[i + 12..i + 60]).into_owned();
    let rest = s.as_str();
    let end = rest.find(']').unwrap();
    let v: Vec<usize> = rest[..end]
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    [v[0], v[1], v[2], v[3]]
}

/// A one-page PDF of about `size` bytes: the page shows a grey image whose
/// (uncompressed, pseudo-random) samples make up the bulk of the file.
pub fn big_pdf(size: usize) -> Vec<u8> {
    let w = 1000usize;
    let h = (size / w).max(1);
    let mut samples = vec![0u8; w * h];
    let mut x: u32 = 0x1234_5678;
    for s in samples.iter_mut() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *s = x as u8;
    }
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let content = b"q 500 0 0 700 50 70 cm /Im1 Do Q".to_vec();
    let objs: Vec<Vec<u8>> = vec![
        b"<</Type /Catalog /Pages 2 0 R>>".to_vec(),
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>".to_vec(),
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</XObject <</Im1 5 0 R>>>>>>".to_vec(),
    ];
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    offsets.push(out.len());
    write!(out, "4 0 obj\n<</Length {}>>\nstream\n", content.len()).unwrap();
    out.extend_from_slice(&content);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    offsets.push(out.len());
    write!(
        out,
        "5 0 obj\n<</Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {}>>\nstream\n",
        samples.len()
    )
    .unwrap();
    out.extend_from_slice(&samples);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = out.len();
    write!(out, "xref\n0 6\n0000000000 65535 f \n").unwrap();
    for o in &offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<</Size 6 /Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n"
    )
    .unwrap();
    out
}
