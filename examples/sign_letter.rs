//! Drafts a surat dinas from Diskominfo to the Bupati, takes it through review
//! (paraf by two officials), reserves its number, renders the PDF, signs it
//! with a visible TTE stamp (QR code + "Ditandatangani secara elektronik
//! oleh: …") in the area the letter reserved, verifies it, commits the number
//! and writes `out/surat-dinas-signed.pdf`.
//!
//! The key is the Ed25519 test key of `tests/fixtures/pki` (a real agency
//! loads its PSrE certificate with `KeySigner::from_pkcs12`, or implements
//! `Signer` over the PSrE's signing API).
//!
//! Run: `cargo run --example sign_letter`

use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};
use surat::cert::{Certificate, TrustStore};
use surat::letter::lifecycle::{OutgoingLetter, ReviewStep};
use surat::letter::number::{FileSequence, NumberFormat, NumberScheme};
use surat::letter::{
    Addressee, Assignment, AssignmentKind, Attachment, ClassificationCode, Delegation, Letter,
    LetterKind, Nip, Person, Position, SignatureBlock, SigningPolicy, Urgency,
};
use surat::render::{Letterhead, RenderOptions, letter_pdf};
use surat::sign::{KeySigner, Placement, SignOptions, Stamp, StampFields, sign_pdf};
use surat::verify::{Check, Verifier};

fn fixture(name: &str) -> Result<Vec<u8>, std::io::Error> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pki")
            .join(name),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Organisation.
    let bupati = Position::new("bupati", "Bupati Kudus", 0)?;
    let kadis = Position::new(
        "kadis-kominfo",
        "Kepala Dinas Komunikasi dan Informatika",
        2,
    )?
    .with_unit_code("Diskominfo");
    let kabid = Position::new("kabid-aptika", "Kepala Bidang Aplikasi Informatika", 3)?;
    let kasi = Position::new("kasi-tkd", "Kepala Seksi Tata Kelola Digital", 4)?;
    // Time is an input: the whole flow runs over the last hours up to now.
    let now = Utc::now();
    let start = now - Duration::hours(4);
    let at = |minutes: i64| -> Result<chrono::DateTime<Utc>, Box<dyn std::error::Error>> {
        Ok(start + Duration::minutes(minutes))
    };
    let since = (now - Duration::days(400)).date_naive();
    let kadis_person = Person::new("Budi Santoso")?
        .with_back_title("S.Kom., M.T.")
        .with_rank("Pembina Tingkat I (IV/b)")
        .with_nip(Nip::new("197905122005011003")?);
    let kadis_holder = Assignment::new(
        kadis_person.clone(),
        kadis.clone(),
        AssignmentKind::Definitive,
        since,
        None,
    )?;
    let kabid_holder = Assignment::new(
        Person::new("Sri Wahyuni")?.with_back_title("S.T."),
        kabid.clone(),
        AssignmentKind::Definitive,
        since,
        None,
    )?;
    let kasi_holder = Assignment::new(
        Person::new("Andreas Pratama")?.with_back_title("S.Kom."),
        kasi.clone(),
        AssignmentKind::Definitive,
        since,
        None,
    )?;

    // Konsep.
    let letter = Letter::builder(
        LetterKind::OfficialLetter,
        "Kudus",
        SignatureBlock::new(Delegation::Direct, kadis.clone()).with_signer(kadis_person),
    )
    .classification(ClassificationCode::new("000.8.3.3")?)
    .urgency(Urgency::Urgent)
    .subject("Laporan Pelaksanaan Sistem Pemerintahan Berbasis Elektronik (SPBE) Tahun 2025")
    .attachment(Attachment::new(1, "berkas")?)
    .to(Addressee::internal(bupati))
    .destination("Kudus")
    .paragraph("Dengan hormat, menindaklanjuti arahan Bapak Bupati pada rapat koordinasi tanggal 3 Maret 2025, bersama ini kami sampaikan laporan pelaksanaan Sistem Pemerintahan Berbasis Elektronik (SPBE) di lingkungan Pemerintah Kabupaten Kudus sebagaimana terlampir.")
    .paragraph("Secara umum indeks SPBE menunjukkan peningkatan pada domain kebijakan, tata kelola, dan layanan. Penerapan tanda tangan elektronik tersertifikasi yang diterbitkan Balai Besar Sertifikasi Elektronik (BSrE) telah digunakan pada seluruh naskah dinas keluar, termasuk “nota dinas” dan surat undangan.")
    .paragraph("Demikian laporan ini kami sampaikan, atas perhatian dan arahan Bapak kami ucapkan terima kasih.")
    .copy_to(Addressee::external("Sekretaris Daerah Kabupaten Kudus", None)?)
    .copy_to(Addressee::external("Inspektur Kabupaten Kudus", None)?)
    .build()?;

    // Review: paraf by the Kepala Seksi, then the Kepala Bidang.
    let mut outgoing = OutgoingLetter::draft(
        letter,
        kasi_holder.clone(),
        vec![ReviewStep::hierarchy(kasi), ReviewStep::hierarchy(kabid)],
        at(0)?,
    )?;
    outgoing.submit(at(10)?)?;
    outgoing.approve(&kasi_holder, at(30)?)?;
    outgoing.approve(&kabid_holder, at(60)?)?;
    println!("status: {}", outgoing.status());
    for step in outgoing.review() {
        if let Some(a) = step.approval() {
            println!(
                "paraf {} (v{}) sha256 {}",
                step.position(),
                a.version(),
                a.content_hash()
            );
        }
    }

    // Reserve the number (reserve → render → hash → sign → commit).
    std::fs::create_dir_all("out")?;
    let mut sequence = FileSequence::open("out/sequence.jsonl")?;
    let scheme = NumberScheme::new("surat-dinas", "diskominfo", NumberFormat::pemda())?;
    let signing_day = now.date_naive();
    let numbered = outgoing.reserve_number(
        &mut sequence,
        &scheme,
        &kadis_holder,
        &SigningPolicy::default(),
        signing_day,
        now,
    )?;
    println!("nomor: {}", numbered.number().unwrap_or("-"));

    // Render the unsigned PDF.
    let opts = RenderOptions::new(
        Letterhead::new([
            "PEMERINTAH KABUPATEN KUDUS",
            "DINAS KOMUNIKASI DAN INFORMATIKA",
        ])
        .address_line("Jalan Simpang Tujuh Nomor 1, Kudus, Jawa Tengah 59313")
        .address_line("Telepon (0291) 123456, Laman diskominfo.kuduskab.go.id, Pos-el diskominfo@kuduskab.go.id"),
    );
    let rendered = letter_pdf(&numbered, &opts)?;
    let path = "out/surat-dinas-unsigned.pdf";
    std::fs::write(path, rendered.pdf())?;
    println!(
        "wrote {path} ({} bytes, {} page(s))",
        rendered.pdf().len(),
        rendered.page_count()
    );
    if let Some(area) = rendered.signature_area() {
        println!("signature area: page {} rect {:?}", area.page, area.rect);
    }

    // Sign with a visible TTE stamp in the reserved area.
    let area = rendered
        .signature_area()
        .ok_or("the letter has no signature area")?;
    let signer = KeySigner::from_pem(&fixture("ed25519.key")?, &fixture("ed25519.pem")?)?
        .with_extra_certificates(Certificate::from_pem(&fixture("inter.pem")?)?);
    let token: String = Sha256::digest(rendered.pdf())
        .iter()
        .take(6)
        .map(|b| format!("{b:02X}"))
        .collect();
    let stamp = Stamp::new(
        StampFields::new("Budi Santoso", "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA")
            .nip("197905122005011003"),
    )
    .qr(&format!(
        "https://diskominfo.kuduskab.go.id/verifikasi/{token}"
    ))?;
    let sign_opts = SignOptions::new(now)
        .reason("Naskah dinas ditandatangani secara elektronik")
        .location("Kudus")
        .stamp(
            stamp,
            Placement::Rect {
                page: area.page,
                rect: area.rect,
            },
        );
    let signed = match sign_pdf(rendered.pdf(), &signer, &sign_opts) {
        Ok(s) => s,
        Err(e) => {
            outgoing.signing_failed(&mut sequence, &e.to_string(), now)?;
            return Err(e.into());
        }
    };

    // Verify before committing the number.
    let trust = TrustStore::from_pem(&fixture("root.pem")?)?;
    let report = Verifier::new(trust).at(now).verify(&signed)?;
    if !report.is_valid() {
        outgoing.signing_failed(&mut sequence, "verification failed", now)?;
        return Err(format!("verification failed: {report:#?}").into());
    }
    outgoing.mark_signed(&mut sequence, Sha256::digest(&signed).into(), now)?;
    let path = "out/surat-dinas-signed.pdf";
    std::fs::write(path, &signed)?;
    println!("status: {}", outgoing.status());
    println!("wrote {path} ({} bytes)", signed.len());
    println!("verification: {}", report.verdict);
    for s in &report.signatures {
        let ok = |c: &Check| if c.passed() { "ok" } else { "FAILED" };
        println!(
            "  {} by {} — integrity {}, signature {}, trust {}, coverage {:?}, stamp on page {:?}",
            s.field,
            s.signer.as_ref().map_or("?", |i| i.subject.as_str()),
            ok(&s.integrity),
            ok(&s.signature),
            ok(&s.trust),
            s.coverage,
            s.visible.as_ref().and_then(|v| v.page).map(|p| p + 1),
        );
    }

    Ok(())
}
