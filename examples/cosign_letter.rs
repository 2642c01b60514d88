//! Co-signed letters: the same rendered letter with one, two and three
//! visible TTE stamps (P-256, RSA, Ed25519 in that order), each signature an
//! incremental update that keeps the earlier ones valid.
//!
//! ```sh
//! cargo run --example cosign_letter -- OUT_DIR [PKI_DIR]
//! ```
//!
//! `PKI_DIR` holds `{p256,rsa,ed25519}.{key,pem}` and `chain.pem` (default:
//! the committed test PKI, whose chain file is `inter.pem`). Writes
//! `OUT_DIR/cosigned-{1,2,3}.pdf`; `scripts/interop` validates them with
//! pyHanko and pdfsig.

use std::path::PathBuf;

use chrono::Utc;
use surat::cert::Certificate;
use surat::letter::{Addressee, Delegation, Letter, LetterKind, Position, SignatureBlock};
use surat::render::{Letterhead, RenderOptions, letter_pdf};
use surat::sign::{KeySigner, Placement, SignOptions, Stamp, StampFields, sign_pdf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "out".into()));
    let pki = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pki"));
    let chain_file = if pki.join("chain.pem").exists() {
        "chain.pem"
    } else {
        "inter.pem"
    };
    std::fs::create_dir_all(&out)?;

    let kadis = Position::new("kadis", "Kepala Dinas Komunikasi dan Informatika", 2)?;
    let letter = Letter::builder(LetterKind::OfficialLetter, "Kudus", SignatureBlock::new(Delegation::Direct, kadis))
        .subject("Berita Acara Serah Terima Aplikasi Persuratan Elektronik")
        .to(Addressee::external("Sekretaris Daerah Kabupaten Kudus", None)?)
        .paragraph("Pada hari ini telah dilaksanakan serah terima aplikasi persuratan elektronik beserta dokumentasinya. Berita acara ini ditandatangani secara elektronik oleh para pihak.")
        .build()?;
    let rendered = letter_pdf(
        &letter,
        &RenderOptions::new(Letterhead::new([
            "PEMERINTAH KABUPATEN KUDUS",
            "DINAS KOMUNIKASI DAN INFORMATIKA",
        ])),
    )?;
    let area = rendered.signature_area().ok_or("no signature area")?;
    let signers = [
        ("p256", "Siti Rahayu", "KEPALA BIDANG APLIKASI INFORMATIKA"),
        ("rsa", "Agus Wijaya", "SEKRETARIS DINAS"),
        ("ed25519", "Budi Santoso", "KEPALA DINAS"),
    ];
    let mut pdf = rendered.pdf().to_vec();
    for (i, (key, name, position)) in signers.iter().enumerate() {
        let signer = KeySigner::from_pem(
            &std::fs::read(pki.join(format!("{key}.key")))?,
            &std::fs::read(pki.join(format!("{key}.pem")))?,
        )?
        .with_extra_certificates(Certificate::from_pem(&std::fs::read(
            pki.join(chain_file),
        )?)?);
        // Stamps side by side below the reserved area, one per signer.
        #[allow(clippy::cast_precision_loss)]
        let x = 40.0 + 180.0 * i as f64;
        let rect = [x, area.rect[1] - 100.0, x + 170.0, area.rect[1] - 40.0];
        let stamp = Stamp::new(StampFields::new(*name, *position))
            .qr(&format!("https://surat.example.go.id/v/{i}"))?;
        let opts = SignOptions::new(Utc::now())
            .field_name(format!("TTE-{}", i + 1))
            .stamp(
                stamp,
                Placement::Rect {
                    page: area.page,
                    rect,
                },
            );
        pdf = sign_pdf(&pdf, &signer, &opts)?;
        let path = out.join(format!("cosigned-{}.pdf", i + 1));
        std::fs::write(&path, &pdf)?;
        println!("wrote {} ({} signature(s))", path.display(), i + 1);
    }
    Ok(())
}
