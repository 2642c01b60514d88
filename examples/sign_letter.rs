//! Drafts a surat dinas from Diskominfo to the Bupati, takes it through review
//! (paraf by two officials), reserves its number, renders the PDF and writes
//! the unsigned file to `out/`.
//!
//! Run: `cargo run --example sign_letter`

use chrono::{NaiveDate, TimeZone, Utc};
use surat::letter::lifecycle::{OutgoingLetter, ReviewStep};
use surat::letter::number::{FileSequence, NumberFormat, NumberScheme};
use surat::letter::{
    Addressee, Assignment, AssignmentKind, Attachment, ClassificationCode, Delegation, Letter,
    LetterKind, Nip, Person, Position, SignatureBlock, SigningPolicy, Urgency,
};
use surat::render::{Letterhead, RenderOptions, letter_pdf};

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
    let since = NaiveDate::from_ymd_opt(2024, 1, 2).ok_or("date")?;
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
    let at = |d: u32, h: u32| {
        Utc.with_ymd_and_hms(2025, 3, d, h, 0, 0)
            .single()
            .ok_or("time")
    };
    let mut outgoing = OutgoingLetter::draft(
        letter,
        kasi_holder.clone(),
        vec![ReviewStep::hierarchy(kasi), ReviewStep::hierarchy(kabid)],
        at(10, 8)?,
    )?;
    outgoing.submit(at(10, 9)?)?;
    outgoing.approve(&kasi_holder, at(10, 10)?)?;
    outgoing.approve(&kabid_holder, at(10, 11)?)?;
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
    let signing_day = NaiveDate::from_ymd_opt(2025, 3, 11).ok_or("date")?;
    let numbered = outgoing.reserve_number(
        &mut sequence,
        &scheme,
        &kadis_holder,
        &SigningPolicy::default(),
        signing_day,
        at(11, 9)?,
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

    // SIGNING: the lead plugs in `surat::sign::sign_pdf` here, placing the
    // visible stamp at `rendered.signature_area()`, then checks the result with
    // `surat::verify::Verifier`. On success:
    //     outgoing.mark_signed(&mut sequence, sha256(signed_pdf), now)?;
    // on failure:
    //     outgoing.signing_failed(&mut sequence, "reason", now)?;
    // Until then the reserved number stays outstanding in out/sequence.jsonl.

    Ok(())
}
