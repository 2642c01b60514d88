//! A letter arrives and is disposed down the hierarchy; the signed journal is
//! written to `out/`, verified, tampered with, and verified again.
//!
//! Run with `cargo run --example disposition`.

use std::error::Error;
use std::fs;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use ed25519_dalek::SigningKey;
use surat::disposition::{
    Assignment, AssignmentId, AssignmentKind, DispositionId, DispositionTree, Event, Forward,
    Instruction, Journal, KeyRing, Limits, Org, PositionId, RecipientId, Registration, Report,
    Role, Security, Sha256Hash, Urgency, parse_json_lines, verify,
};
use surat::render::{SheetOptions, disposition_sheet};

struct Person {
    assignment: AssignmentId,
    key: SigningKey,
}

fn pid(s: &str) -> PositionId {
    PositionId::new(s).expect("static id")
}

fn wib(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    FixedOffset::east_opt(7 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2025, 1, day, hour, minute, 0).single())
        .map(|t| t.with_timezone(&Utc))
        .expect("valid time")
}

fn print_tree(org: &Org, tree: &DispositionTree) {
    fn walk(org: &Org, tree: &DispositionTree, id: RecipientId, depth: usize) {
        let Some(r) = tree.recipient(id) else { return };
        let title = org.position(r.position()).map_or("?", |p| p.title());
        println!(
            "    {:indent$}#{} {} [{}] — {}{}",
            "",
            id,
            title,
            r.role(),
            r.status(),
            tree.effective_deadline(id)
                .map(|d| format!(", batas {d}"))
                .unwrap_or_default(),
            indent = depth * 4
        );
        for d in r.children() {
            if let Some(d) = tree.disposition(*d) {
                for c in d.recipients() {
                    walk(org, tree, *c, depth + 1);
                }
            }
        }
    }
    walk(org, tree, RecipientId::ROOT, 0);
}

fn print_overdue(org: &Org, tree: &DispositionTree, at: DateTime<FixedOffset>) {
    let late: Vec<String> = tree
        .overdue(at)
        .into_iter()
        .filter_map(|id| tree.recipient(id))
        .map(|r| {
            format!(
                "#{} {}",
                r.id(),
                org.position(r.position()).map_or("?", |p| p.title())
            )
        })
        .collect();
    println!(
        "  terlambat pada {}: {}",
        at.format("%Y-%m-%d %H:%M WIB"),
        if late.is_empty() {
            "tidak ada".to_owned()
        } else {
            late.join(", ")
        }
    );
}

fn main() -> Result<(), Box<dyn Error>> {
    // --- Organisation: Dinas Komunikasi dan Informatika -------------------
    let mut org = Org::new();
    org.add_position(
        pid("kadis"),
        "Kepala Dinas Komunikasi dan Informatika",
        None,
    )?;
    org.add_position(pid("sekretaris"), "Sekretaris Dinas", Some(&pid("kadis")))?;
    org.add_position(
        pid("kasubbag-umum"),
        "Kepala Subbagian Umum dan Kepegawaian",
        Some(&pid("sekretaris")),
    )?;
    org.add_position(
        pid("kabid-aptika"),
        "Kepala Bidang Aplikasi Informatika",
        Some(&pid("kadis")),
    )?;
    org.add_position(
        pid("kabid-sandi"),
        "Kepala Bidang Persandian dan Statistik",
        Some(&pid("kadis")),
    )?;
    org.add_position(
        pid("pranata-komputer"),
        "Pranata Komputer Ahli Pertama",
        Some(&pid("kabid-aptika")),
    )?;

    let since = Utc
        .with_ymd_and_hms(2024, 1, 2, 0, 0, 0)
        .single()
        .ok_or("time")?;
    let people = [
        (
            "asg-umum-siti",
            "kasubbag-umum",
            "Siti Aminah, S.Sos.",
            11u8,
        ),
        (
            "asg-kadis-budi",
            "kadis",
            "Dr. Budi Santoso, S.Kom., M.T.",
            12,
        ),
        ("asg-sekretaris-hadi", "sekretaris", "Hadi Wibowo, S.H.", 13),
        (
            "asg-aptika-agus",
            "kabid-aptika",
            "Agus Pratama, S.T., M.Kom.",
            14,
        ),
        ("asg-sandi-dewi", "kabid-sandi", "Dewi Lestari, S.Si.", 15),
        (
            "asg-prakom-eko",
            "pranata-komputer",
            "Eko Saputra, S.Kom.",
            16,
        ),
    ];
    let mut keys = KeyRing::new();
    let mut who = Vec::new();
    for (asg, pos, name, seed) in people {
        let assignment = AssignmentId::new(asg)?;
        org.add_assignment(
            Assignment::new(
                assignment.clone(),
                pid(pos),
                AssignmentKind::Definitive,
                name,
                since,
            )
            .nip(format!("19800101 200501 1 0{seed}")),
        )?;
        // Demo keys from fixed seeds; real keys live with their holders.
        let key = SigningKey::from_bytes(&[seed; 32]);
        keys.add(assignment.clone(), key.verifying_key());
        who.push(Person { assignment, key });
    }
    let [tu, kadis, _sekretaris, aptika, sandi, prakom] = &who[..] else {
        return Err("six people".into());
    };

    let tz = FixedOffset::east_opt(7 * 3600).ok_or("offset")?;
    let mut journal = Journal::new();
    let act =
        |j: &mut Journal, p: &Person, at: DateTime<Utc>, ev: Event| -> Result<(), Box<dyn Error>> {
            let name = ev.name();
            let e = j.record(&org, &p.key, &p.assignment, at, ev)?;
            println!(
                "  [{:>2}] {} {:<8} by {}",
                e.seq(),
                e.at().with_timezone(&tz).format("%Y-%m-%d %H:%M WIB"),
                name,
                p.assignment
            );
            Ok(())
        };

    // --- 1. The letter arrives and is registered ---------------------------
    println!("== Surat masuk diregistrasi");
    let received = b"%PDF-1.7 ... (the received, signed invitation letter) ...";
    let registration = Registration::new(
        "SM/0001/2025",
        Sha256Hash::digest(received),
        pid("kadis"),
    )
    .sender("Kementerian Komunikasi dan Digital")
    .letter_number("B-123/KOMINFO/HM.01.01/01/2025")
    .letter_date(NaiveDate::from_ymd_opt(2025, 1, 3).ok_or("date")?)
    .subject("Undangan Rapat Koordinasi Keamanan Informasi Pemerintah Daerah")
    .summary(
        "Rapat koordinasi tanggal 13 Januari 2025 di Jakarta; mohon menugaskan pejabat teknis.",
    )
    .security(Security::Ordinary)
    .urgency(Urgency::Urgent)
    // Parents are closed by hand here, so each Kepala Bidang reports first.
    .auto_close(false);
    act(
        &mut journal,
        tu,
        wib(6, 8, 0),
        Event::Register(registration),
    )?;

    // --- 2. Kepala Dinas reads and disposes to two Kepala Bidang -----------
    println!("== Kepala Dinas mendisposisikan");
    let root = RecipientId::ROOT;
    act(
        &mut journal,
        kadis,
        wib(6, 9, 15),
        Event::Read { recipient: root },
    )?;
    act(
        &mut journal,
        kadis,
        wib(6, 9, 20),
        Event::Forward(
            Forward::new(root)
                .to(pid("kabid-aptika"), Role::Leading)
                .to(pid("kabid-sandi"), Role::Supporting)
                .to(pid("sekretaris"), Role::Copy)
                .instruction(Instruction::FollowUp)
                .instruction(Instruction::Coordinate)
                .instruction(Instruction::Attend)
                .note("Hadiri dan koordinasikan; laporkan hasilnya.")
                .deadline(NaiveDate::from_ymd_opt(2025, 1, 10).ok_or("date")?)
                .urgency(Urgency::Urgent),
        ),
    )?;
    let (k_aptika, k_sandi, k_sek) = (
        RecipientId::new(1),
        RecipientId::new(2),
        RecipientId::new(3),
    );
    print_tree(&org, journal.tree());

    // --- 3. Kabid Aptika forwards to a staff member ------------------------
    println!("== Kabid Aplikasi Informatika meneruskan ke staf");
    act(
        &mut journal,
        aptika,
        wib(6, 10, 0),
        Event::Read {
            recipient: k_aptika,
        },
    )?;
    act(
        &mut journal,
        aptika,
        wib(6, 10, 5),
        Event::Forward(
            Forward::new(k_aptika)
                .to(pid("pranata-komputer"), Role::Leading)
                .instruction(Instruction::PrepareReply)
                .note("Siapkan bahan paparan dan konsep surat balasan.")
                .deadline(NaiveDate::from_ymd_opt(2025, 1, 9).ok_or("date")?),
        ),
    )?;
    let k_prakom = RecipientId::new(4);
    act(
        &mut journal,
        sandi,
        wib(6, 11, 0),
        Event::Read { recipient: k_sandi },
    )?;
    act(
        &mut journal,
        _sekretaris,
        wib(6, 11, 30),
        Event::Read { recipient: k_sek },
    )?;

    let check = FixedOffset::east_opt(7 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2025, 1, 10, 9, 0, 0).single())
        .ok_or("time")?;
    print_overdue(&org, journal.tree(), check);

    // --- 4. Reports come back ---------------------------------------------
    println!("== Laporan tindak lanjut");
    act(
        &mut journal,
        prakom,
        wib(7, 8, 0),
        Event::Read {
            recipient: k_prakom,
        },
    )?;
    act(
        &mut journal,
        prakom,
        wib(8, 15, 0),
        Event::Report(
            Report::new(
                k_prakom,
                "Bahan paparan dan konsep balasan sudah disiapkan.",
            )
            .attachment(Sha256Hash::digest(b"bahan-paparan.pptx"))
            .attachment(Sha256Hash::digest(b"konsep-balasan.docx")),
        ),
    )?;
    act(
        &mut journal,
        prakom,
        wib(8, 15, 5),
        Event::Complete {
            recipient: k_prakom,
            note: None,
        },
    )?;
    act(
        &mut journal,
        aptika,
        wib(9, 9, 0),
        Event::Report(
            Report::new(
                k_aptika,
                "Nama pejabat teknis sudah dikirim melalui surat balasan.",
            )
            .reply_letter("B-45/DISKOMINFO/HM.01.01/01/2025"),
        ),
    )?;
    act(
        &mut journal,
        aptika,
        wib(9, 9, 5),
        Event::Complete {
            recipient: k_aptika,
            note: Some("Selesai".into()),
        },
    )?;
    act(
        &mut journal,
        sandi,
        wib(9, 10, 0),
        Event::Report(Report::new(
            k_sandi,
            "Dukungan persandian untuk rapat siap.",
        )),
    )?;
    act(
        &mut journal,
        sandi,
        wib(9, 10, 5),
        Event::Complete {
            recipient: k_sandi,
            note: None,
        },
    )?;
    print_overdue(&org, journal.tree(), check);

    // --- 5. The letter is closed -------------------------------------------
    println!("== Surat ditutup");
    act(
        &mut journal,
        kadis,
        wib(9, 14, 0),
        Event::Close {
            note: Some("Tindak lanjut selesai.".into()),
        },
    )?;
    print_tree(&org, journal.tree());

    // --- 6. Lembar disposisi ------------------------------------------------
    fs::create_dir_all("out")?;
    let options = SheetOptions::new([
        "PEMERINTAH KABUPATEN CONTOH",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "Jalan Merdeka Nomor 1, Contoh 12345, Telepon (021) 555-0101, Laman diskominfo.contoh.go.id",
    ]);
    for (d, name) in [
        (0, "out/lembar-disposisi-kadis.pdf"),
        (1, "out/lembar-disposisi-kabid.pdf"),
    ] {
        let pdf = disposition_sheet(journal.tree(), &org, DispositionId::new(d), &options)?;
        fs::write(name, &pdf)?;
        println!(
            "== Lembar disposisi #{d} ditulis ke {name} ({} byte)",
            pdf.len()
        );
    }

    // --- 7. Export, verify, tamper, verify again ---------------------------
    let path = "out/disposisi-SM-0001-2025.jsonl";
    let bytes = journal.to_json_lines();
    fs::write(path, &bytes)?;
    println!(
        "== Jurnal ditulis ke {path} ({} entri, {} byte)",
        journal.entries().len(),
        bytes.len()
    );
    println!("  head = {}", journal.head());

    let read_back = fs::read(path)?;
    let verified = verify(
        &parse_json_lines(&read_back, Limits::default())?,
        &org,
        &keys,
    )?;
    println!(
        "  verifikasi: OK — {} entri, head {}, pohon sama: {}",
        verified.entries().len(),
        verified.head(),
        verified.tree() == journal.tree()
    );

    let mut tampered = read_back.clone();
    let needle = b"Dukungan persandian";
    let offset = tampered
        .windows(needle.len())
        .position(|w| w == needle)
        .ok_or("needle")?;
    let line = tampered[..offset].iter().filter(|b| **b == b'\n').count();
    tampered[offset] = b'd'; // "Dukungan" -> "dukungan": one byte
    let tampered_path = "out/disposisi-SM-0001-2025.tampered.jsonl";
    fs::write(tampered_path, &tampered)?;
    println!("== Satu byte diubah pada offset {offset} (entri {line}), ditulis ke {tampered_path}");
    match parse_json_lines(&tampered, Limits::default()).and_then(|raw| verify(&raw, &org, &keys)) {
        Ok(_) => println!("  verifikasi: OK (?!) — perubahan tidak terdeteksi"),
        Err(e) => println!(
            "  verifikasi GAGAL: {e} (entri {})",
            e.entry_index().map_or("?".into(), |i| i.to_string())
        ),
    }
    Ok(())
}
