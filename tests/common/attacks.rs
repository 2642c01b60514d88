//! Attack file generator: every file is built at test time from our own
//! signed files (signed with the committed test PKI), then manipulated the
//! way the published attacks do (see `tests/fixtures/attacks/MANIFEST.md`).
//!
//! Nothing here is clever PDF writing: offsets are computed from the bytes
//! we write, and every edit that must keep the signed bytes intact is a
//! same-length replacement or an appended update.
#![allow(dead_code)]

use std::io::Write;

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerInfo};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use sha2::Digest;
use surat::cert::Certificate;
use surat::sign::{KeySigner, SignOptions, Signer, sign_pdf};
use x509_cert::attr::Attribute;

use super::*;

pub fn opts() -> SignOptions {
    SignOptions::new(t_valid())
        .reason("Disetujui")
        .location("Kudus")
}

/// A one-page classic PDF signed with the test signer `alg`.
pub fn signed(alg: &str) -> Vec<u8> {
    sign_pdf(&classic_pdf(1), &signer(alg), &opts()).unwrap()
}

pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Where the last signature dictionary's entries sit in the file.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Offset of the `/ByteRange` key.
    pub br_key: usize,
    /// Offset just after the `]` closing the byte range array.
    pub br_end: usize,
    pub br: [usize; 4],
    /// Offset of the `/Contents` key.
    pub contents_key: usize,
    /// The hex token `<…>`: [b, c).
    pub b: usize,
    pub c: usize,
}

pub fn layout(pdf: &[u8]) -> Layout {
    let br_key = rfind(pdf, b"/ByteRange [").unwrap();
    let br_end = br_key + find(&pdf[br_key..], b"]").unwrap() + 1;
    let br = last_byte_range(pdf);
    let contents_key = br_key + find(&pdf[br_key..], b"/Contents <").unwrap();
    let b = contents_key + 10;
    let c = b + find(&pdf[b..], b">").unwrap() + 1;
    assert_eq!((br[1], br[2]), (b, c), "byte range names the hex token");
    Layout {
        br_key,
        br_end,
        br,
        contents_key,
        b,
        c,
    }
}

fn unhex(h: &[u8]) -> Vec<u8> {
    h.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// Length of the DER element at the front of `d`.
fn der_len(d: &[u8]) -> usize {
    let l0 = d[1] as usize;
    if l0 < 0x80 {
        2 + l0
    } else {
        let n = l0 & 0x7f;
        let v = d[2..2 + n]
            .iter()
            .fold(0usize, |a, &x| (a << 8) | x as usize);
        2 + n + v
    }
}

/// The CMS of the last signature, without its zero padding.
pub fn cms_of(pdf: &[u8]) -> Vec<u8> {
    let l = layout(pdf);
    let raw = unhex(&pdf[l.b + 1..l.c - 1]);
    let n = der_len(&raw);
    raw[..n].to_vec()
}

/// The content of the DER element `t` (definite length).
fn content_of(t: &[u8]) -> &[u8] {
    let header = if t[1] < 0x80 {
        2
    } else {
        2 + (t[1] & 0x7f) as usize
    };
    &t[header..der_len(t)]
}

/// The DER elements one after another in `v`.
fn items(mut v: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !v.is_empty() {
        let n = der_len(v);
        out.push(&v[..n]);
        v = &v[n..];
    }
    out
}

/// `tag` with an indefinite length (BER) around `parts`.
fn indefinite(tag: u8, parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![tag, 0x80];
    for p in parts {
        out.extend_from_slice(p);
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// A CMS ContentInfo in DER rewritten with BER indefinite lengths, as
/// streaming writers (BouncyCastle) emit it: ContentInfo, its [0],
/// SignedData, encapContentInfo, signerInfos and the SignerInfo; with
/// `signed_attrs_too`, the signed attributes as well (which must then be
/// refused: they are signed as DER).
pub fn ber_envelope(der: &[u8], signed_attrs_too: bool) -> Vec<u8> {
    let ci = items(content_of(der));
    let sd_der = content_of(ci[1]);
    let sd = items(content_of(sd_der));
    let mut sd_parts: Vec<Vec<u8>> = Vec::new();
    for (i, p) in sd.iter().enumerate() {
        let v = if i == 2 {
            indefinite(
                p[0],
                &items(content_of(p))
                    .iter()
                    .map(|x| x.to_vec())
                    .collect::<Vec<_>>(),
            )
        } else if p[0] == 0x31 && i == sd.len() - 1 {
            let infos: Vec<Vec<u8>> = items(content_of(p))
                .iter()
                .map(|si| {
                    let fields: Vec<Vec<u8>> = items(content_of(si))
                        .iter()
                        .map(|f| {
                            if signed_attrs_too && f[0] == 0xa0 {
                                indefinite(
                                    0xa0,
                                    &items(content_of(f))
                                        .iter()
                                        .map(|x| x.to_vec())
                                        .collect::<Vec<_>>(),
                                )
                            } else {
                                f.to_vec()
                            }
                        })
                        .collect();
                    indefinite(0x30, &fields)
                })
                .collect();
            indefinite(0x31, &infos)
        } else {
            p.to_vec()
        };
        sd_parts.push(v);
    }
    let sd_ber = indefinite(0x30, &sd_parts);
    indefinite(0x30, &[ci[0].to_vec(), indefinite(0xa0, &[sd_ber])])
}

/// Put `der` into the last signature's `/Contents` (hex, zero padded to the
/// same token length, so no offset moves).
pub fn with_cms(pdf: &[u8], der: &[u8]) -> Vec<u8> {
    let l = layout(pdf);
    let room = (l.c - l.b - 2) / 2;
    assert!(der.len() <= room, "CMS of {} bytes > {room}", der.len());
    let mut h = hex(der).into_bytes();
    h.resize(l.c - l.b - 2, b'0');
    let mut out = pdf.to_vec();
    out[l.b + 1..l.c - 1].copy_from_slice(&h);
    out
}

/// Replace `pdf[from..to]` by `text` padded with spaces to the same length.
pub fn replace_padded(pdf: &[u8], from: usize, to: usize, text: &[u8]) -> Vec<u8> {
    assert!(text.len() <= to - from, "replacement does not fit");
    let mut out = pdf.to_vec();
    let mut t = text.to_vec();
    t.resize(to - from, b' ');
    out[from..to].copy_from_slice(&t);
    out
}

/// Replace the `/ByteRange […]` entry (key and value) by `text`, padded.
pub fn set_byte_range_text(pdf: &[u8], text: &str) -> Vec<u8> {
    let l = layout(pdf);
    replace_padded(pdf, l.br_key, l.br_end, text.as_bytes())
}

/// Replace the `/Contents <…>` entry (key and value) by `text`, padded.
pub fn set_contents_text(pdf: &[u8], text: &str) -> Vec<u8> {
    let l = layout(pdf);
    replace_padded(pdf, l.contents_key, l.c, text.as_bytes())
}

// ---------------------------------------------------------------- CMS edits

pub fn decode_sd(der: &[u8]) -> SignedData {
    let ci = ContentInfo::from_der(der).unwrap();
    ci.content.decode_as().unwrap()
}

pub fn encode_sd(sd: &SignedData) -> Vec<u8> {
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(sd).unwrap(),
    }
    .to_der()
    .unwrap()
}

pub fn signer_info(sd: &SignedData) -> SignerInfo {
    sd.signer_infos.0.get(0).unwrap().clone()
}

pub fn set_signer_infos(sd: &mut SignedData, infos: Vec<SignerInfo>) {
    let mut set = SetOfVec::new();
    for i in infos {
        set.insert(i).unwrap();
    }
    sd.signer_infos.0 = set;
}

pub fn attrs_of(si: &SignerInfo) -> Vec<Attribute> {
    si.signed_attrs.as_ref().unwrap().iter().cloned().collect()
}

pub fn attr(oid: ObjectIdentifier, values: Vec<Any>) -> Attribute {
    let mut set = SetOfVec::new();
    for v in values {
        set.insert(v).unwrap();
    }
    Attribute { oid, values: set }
}

pub fn octets(b: &[u8]) -> Any {
    Any::encode_from(&OctetString::new(b.to_vec()).unwrap()).unwrap()
}

pub fn oid_value(o: ObjectIdentifier) -> Any {
    Any::encode_from(&o).unwrap()
}

/// Set the signed attributes of `si` and sign their DER with `signer`, so
/// that the signature value is right for whatever the attributes say.
pub fn resign(si: &mut SignerInfo, attrs: Vec<Attribute>, signer: &KeySigner) {
    let mut set = SetOfVec::new();
    for a in attrs {
        set.insert(a).unwrap();
    }
    let msg = set.to_der().unwrap();
    si.signed_attrs = Some(set);
    si.signature = OctetString::new(signer.sign(&msg).unwrap()).unwrap();
}

/// The messageDigest attribute value of a SignerInfo.
pub fn message_digest(si: &SignerInfo) -> Vec<u8> {
    let a = attrs_of(si)
        .into_iter()
        .find(|a| a.oid == ID_MESSAGE_DIGEST)
        .unwrap();
    let o: OctetString = a.values.get(0).unwrap().decode_as().unwrap();
    o.as_bytes().to_vec()
}

/// Sign `signed` (an ed25519-signed file) again after `edit` changed the
/// attributes and/or the SignerInfo; the signature is recomputed over the
/// new attributes with the ed25519 test key.
pub fn edit_attrs(
    pdf: &[u8],
    edit: impl FnOnce(&mut Vec<Attribute>, &mut SignerInfo, &mut SignedData),
) -> Vec<u8> {
    let mut sd = decode_sd(&cms_of(pdf));
    let mut si = signer_info(&sd);
    let mut attrs = attrs_of(&si);
    edit(&mut attrs, &mut si, &mut sd);
    resign(&mut si, attrs, &signer("ed25519"));
    set_signer_infos(&mut sd, vec![si]);
    with_cms(pdf, &encode_sd(&sd))
}

/// Change the SignedData without signing again.
pub fn edit_sd(pdf: &[u8], edit: impl FnOnce(&mut SignedData)) -> Vec<u8> {
    let mut sd = decode_sd(&cms_of(pdf));
    edit(&mut sd);
    with_cms(pdf, &encode_sd(&sd))
}

pub fn cert_der(pem_path: &str) -> Vec<u8> {
    Certificate::from_pem(&read_fixture(pem_path)).unwrap()[0]
        .der()
        .to_vec()
}

/// Replace the certificates of the CMS by `ders` and point the signer
/// identifier at the first of them (issuer and serial).
pub fn substitute_certificate(pdf: &[u8], ders: &[Vec<u8>]) -> Vec<u8> {
    use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
    use cms::signed_data::{CertificateSet, SignerIdentifier};
    edit_sd(pdf, |sd| {
        let mut set = SetOfVec::new();
        for d in ders {
            set.insert(CertificateChoices::Certificate(
                x509_cert::Certificate::from_der(d).unwrap(),
            ))
            .unwrap();
        }
        sd.certificates = Some(CertificateSet(set));
        let c = x509_cert::Certificate::from_der(&ders[0]).unwrap();
        let mut si = signer_info(sd);
        si.sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: c.tbs_certificate().issuer().clone(),
            serial_number: c.tbs_certificate().serial_number().clone(),
        });
        set_signer_infos(sd, vec![si]);
    })
}

/// Signed attributes with two attributes swapped: the same content, but not
/// in DER (sorted) order. Built on the encoded bytes, then signed again.
pub fn non_der_attributes(pdf: &[u8]) -> Vec<u8> {
    let der = cms_of(pdf);
    let sd = decode_sd(&der);
    let si = signer_info(&sd);
    let attrs: Vec<Vec<u8>> = attrs_of(&si).iter().map(|a| a.to_der().unwrap()).collect();
    assert!(attrs.len() >= 2);
    let mut set_der = si.signed_attrs.as_ref().unwrap().to_der().unwrap();
    set_der[0] = 0xa0;
    let at = find(&der, &set_der).unwrap();
    let hdr = set_der.len() - attrs.iter().map(Vec::len).sum::<usize>();
    let mut swapped = set_der[..hdr].to_vec();
    swapped.extend_from_slice(&attrs[1]);
    swapped.extend_from_slice(&attrs[0]);
    for a in &attrs[2..] {
        swapped.extend_from_slice(a);
    }
    let mut out = der.clone();
    out[at..at + swapped.len()].copy_from_slice(&swapped);
    // Sign the swapped bytes (tag SET) with the ed25519 key: same length.
    let mut msg = swapped.clone();
    msg[0] = 0x31;
    let old_sig = si.signature.as_bytes();
    let new_sig = signer("ed25519").sign(&msg).unwrap();
    assert_eq!(old_sig.len(), new_sig.len());
    let s = find(&out, old_sig).unwrap();
    out[s..s + new_sig.len()].copy_from_slice(&new_sig);
    with_cms(pdf, &out)
}

/// The content-type OID we use for "not id-data".
pub fn not_id_data() -> ObjectIdentifier {
    ID_SIGNED_DATA
}

pub fn id_data() -> ObjectIdentifier {
    ID_DATA
}

pub fn id_content_type() -> ObjectIdentifier {
    ID_CONTENT_TYPE
}

pub fn id_message_digest() -> ObjectIdentifier {
    ID_MESSAGE_DIGEST
}

// ------------------------------------------------------ hand-built updates

/// One xref entry of an update we write by hand.
pub enum X {
    /// In use at this offset (generation 0).
    At(usize),
    /// In use at this offset with this generation.
    AtGen(usize, u32),
    /// Free.
    Free,
}

/// Append an update made of `objects` (number, body) and extra xref
/// entries `xref` (for xref-only remaps); `/Prev` is the file's last
/// startxref. Returns the new file.
pub fn append_objects(pdf: &[u8], objects: &[(u32, Vec<u8>)], xref: &[(u32, X)]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let prev = last_startxref(pdf);
    let mut entries: Vec<(u32, String)> = Vec::new();
    for (num, body) in objects {
        entries.push((num.to_owned(), format!("{:010} 00000 n\r\n", out.len())));
        writeln!(out, "{num} 0 obj").unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    for (num, x) in xref {
        let e = match x {
            X::At(o) => format!("{o:010} 00000 n\r\n"),
            X::AtGen(o, g) => format!("{o:010} {g:05} n\r\n"),
            X::Free => "0000000000 00001 f\r\n".to_string(),
        };
        entries.push((*num, e));
    }
    entries.sort_by_key(|(n, _)| *n);
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n");
    for (n, e) in &entries {
        write!(out, "{n} 1\n{e}").unwrap();
    }
    write!(
        out,
        "trailer\n<</Size 200 /Root 1 0 R /Prev {prev}>>\nstartxref\n{xref_at}\n%%EOF\n"
    )
    .unwrap();
    out
}

/// The body (`<<…>>`) of object `num` as the newest revision writes it
/// (text search from the end; good enough for our own files).
pub fn body_of(pdf: &[u8], num: u32) -> Vec<u8> {
    let hdr = format!("\n{num} 0 obj\n");
    let at = rfind(pdf, hdr.as_bytes()).unwrap() + hdr.len();
    let end = at + find(&pdf[at..], b"\nendobj").unwrap();
    pdf[at..end].to_vec()
}

/// Number of the object whose newest body contains `needle`.
pub fn object_with(pdf: &[u8], needle: &[u8]) -> u32 {
    let at = rfind(pdf, needle).unwrap();
    let hdr = rfind(&pdf[..at], b" 0 obj").unwrap();
    let line = rfind(&pdf[..hdr], b"\n").unwrap() + 1;
    std::str::from_utf8(&pdf[line..hdr])
        .unwrap()
        .parse()
        .unwrap()
}

pub fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert!(
        find(hay, from).is_some(),
        "{} not found",
        String::from_utf8_lossy(from)
    );
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

pub fn stream_body(content: &[u8]) -> Vec<u8> {
    let mut v = format!("<</Length {}>>\nstream\n", content.len()).into_bytes();
    v.extend_from_slice(content);
    v.extend_from_slice(b"\nendstream");
    v
}

// ------------------------------------------------- hand-built documents

/// A classic one-revision PDF from object bodies: `live` are listed in the
/// xref, `dead` are written into the file (before the live ones) but not
/// listed; `size` is `/Size`; numbers below it that are not live are free.
/// Returns the file and the offsets of the dead bodies.
pub fn build_pdf(
    live: &[(u32, Vec<u8>)],
    dead: &[(u32, Vec<u8>)],
    size: u32,
) -> (Vec<u8>, Vec<usize>) {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut dead_at = Vec::new();
    for (num, body) in dead {
        dead_at.push(out.len());
        writeln!(out, "{num} 0 obj").unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let mut at = std::collections::BTreeMap::new();
    for (num, body) in live {
        at.insert(*num, out.len());
        writeln!(out, "{num} 0 obj").unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    writeln!(out, "xref\n0 {size}").unwrap();
    for n in 0..size {
        match at.get(&n) {
            Some(o) => writeln!(out, "{o:010} 00000 n ").unwrap(),
            None if n == 0 => out.extend_from_slice(b"0000000000 65535 f \n"),
            None => out.extend_from_slice(b"0000000000 00001 f \n"),
        }
    }
    write!(
        out,
        "trailer\n<</Size {size} /Root 1 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]>>\nstartxref\n{xref}\n%%EOF\n"
    )
    .unwrap();
    (out, dead_at)
}

pub const FONT: &[u8] = b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>";

pub fn catalog(extra: &str) -> Vec<u8> {
    format!("<</Type /Catalog /Pages 2 0 R{extra}>>").into_bytes()
}

pub fn pages() -> Vec<u8> {
    b"<</Type /Pages /Kids [4 0 R] /Count 1>>".to_vec()
}

pub fn page(contents: &str, extra: &str) -> Vec<u8> {
    format!(
        "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {contents} /Resources <</Font <</F1 3 0 R>>>>{extra}>>"
    )
    .into_bytes()
}

pub fn text(s: &str) -> Vec<u8> {
    stream_body(format!("BT /F1 24 Tf 72 720 Td ({s}) Tj ET").as_bytes())
}

/// A white box over the text with other text on it: the overlay of a
/// shadow "hide" attack.
pub fn overlay(s: &str) -> Vec<u8> {
    stream_body(
        format!("1 1 1 rg 0 650 595 150 re f BT 0 0 0 rg /F1 24 Tf 72 720 Td ({s}) Tj ET")
            .as_bytes(),
    )
}

// ------------------------------------------- signing hand-built layouts

/// Sign a file whose last signature dictionary we wrote ourselves with
/// placeholders `/ByteRange [0 ********** ********** **********]` and
/// `/Contents <00…00>`: fill the byte range, hash, and embed a CMS made from
/// a real ed25519 signature with the new messageDigest, signed again.
pub fn sign_placeholder(pdf: &[u8]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    let br_key = rfind(&out, b"/ByteRange [0 ").unwrap();
    let contents_key = rfind(&out, b"/Contents <").unwrap();
    let b = contents_key + 10;
    let c = b + find(&out[b..], b">").unwrap() + 1;
    let d = out.len() - c;
    let at = br_key + 14;
    let nums = format!("{b:010} {c:010} {d:010}");
    assert_eq!(
        &out[at..at + nums.len()],
        "********** ********** **********".as_bytes()
    );
    out[at..at + nums.len()].copy_from_slice(nums.as_bytes());
    let mut h = sha2::Sha512::new();
    h.update(&out[..b]);
    h.update(&out[c..]);
    let digest = h.finalize().to_vec();
    let template = cms_of(&signed("ed25519"));
    let mut sd = decode_sd(&template);
    let mut si = signer_info(&sd);
    let attrs: Vec<Attribute> = attrs_of(&si)
        .into_iter()
        .map(|a| {
            if a.oid == ID_MESSAGE_DIGEST {
                attr(ID_MESSAGE_DIGEST, vec![octets(&digest)])
            } else {
                a
            }
        })
        .collect();
    resign(&mut si, attrs, &signer("ed25519"));
    set_signer_infos(&mut sd, vec![si]);
    let der = encode_sd(&sd);
    let mut hx = hex(&der).into_bytes();
    assert!(hx.len() <= c - b - 2);
    hx.resize(c - b - 2, b'0');
    out[b + 1..c - 1].copy_from_slice(&hx);
    out
}

pub const PLACEHOLDER_BR: &str = "/ByteRange [0 ********** ********** **********]";

pub fn placeholder_contents() -> String {
    format!("/Contents <{}>", "0".repeat(2 * 4000))
}

/// Sign a document built by [`build_pdf`] (catalog 1, page 4) with a
/// signature field of our own making: `sig_extra` goes into the signature
/// dictionary, `catalog_extra` into the catalog (for example `/Perms`),
/// `rect` is the widget rectangle. The signature dictionary is object
/// `sig`, the widget `sig + 1`.
pub fn sign_custom(
    base: &[u8],
    page_body: &[u8],
    catalog_extra: &str,
    sig: u32,
    sig_extra: &str,
    rect: &str,
) -> Vec<u8> {
    let widget = sig + 1;
    let page_body = String::from_utf8_lossy(page_body).into_owned();
    let page_body = format!(
        "{} /Annots [{widget} 0 R]>>",
        page_body.strip_suffix(">>").unwrap()
    );
    let sig_body = format!(
        "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached{sig_extra} {PLACEHOLDER_BR} {} /M (D:20270601080000+00'00')>>",
        placeholder_contents()
    );
    let widget_body = format!(
        "<</Type /Annot /Subtype /Widget /FT /Sig /T (Sertifikasi) /V {sig} 0 R /F 132 /P 4 0 R /Rect {rect}>>"
    );
    let cat = catalog(&format!(
        " /AcroForm <</Fields [{widget} 0 R] /SigFlags 3>>{catalog_extra}"
    ));
    let out = append_objects(
        base,
        &[
            (1, cat),
            (4, page_body.into_bytes()),
            (widget, widget_body.into_bytes()),
            // Last, so that the placeholders are the last ones in the file.
            (sig, sig_body.into_bytes()),
        ],
        &[],
    );
    sign_placeholder(&out)
}

/// `/Reference` of a certification signature with DocMDP level `p`.
pub fn docmdp_reference(p: u8) -> String {
    format!(
        " /Reference [<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P {p} /V /1.2>>>>]"
    )
}

/// A one-page document (objects 1–5, `/Size` 8) certified with DocMDP
/// level `p` by the ed25519 test key; signature dictionary 6, widget 7.
pub fn certified(p: u8) -> Vec<u8> {
    let (base, _) = build_pdf(
        &[
            (1, catalog("")),
            (2, pages()),
            (3, FONT.to_vec()),
            (4, page("5 0 R", "")),
            (5, text("Surat Keputusan")),
        ],
        &[],
        6,
    );
    sign_custom(
        &base,
        &page("5 0 R", ""),
        " /Perms <</DocMDP 6 0 R>>",
        6,
        &docmdp_reference(p),
        "[0 0 0 0]",
    )
}

/// A one-page document signed by the ed25519 test key with a /Contents
/// large enough (4,000 bytes) for the CMS variants that grow.
pub fn roomy() -> Vec<u8> {
    let (base, _) = build_pdf(
        &[
            (1, catalog("")),
            (2, pages()),
            (3, FONT.to_vec()),
            (4, page("5 0 R", "")),
            (5, text("Surat Keputusan")),
        ],
        &[],
        6,
    );
    sign_custom(&base, &page("5 0 R", ""), "", 6, "", "[0 0 0 0]")
}
