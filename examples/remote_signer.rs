//! Two-phase signing, as with a remote signing service (a PSrE's signing API)
//! or an HSM: the key never enters this process.
//!
//! Phase one reserves the signature in the PDF and yields the bytes to sign
//! (the DER of the CMS signed attributes); the "remote" side signs them;
//! phase two embeds the signature value. Run:
//!
//! ```sh
//! cargo run --example remote_signer
//! ```

use std::path::PathBuf;

use surat::cert::{Certificate, TrustStore};
use surat::sign::{PreparedSignature, SignOptions, SignatureAlgorithm};
use surat::verify::Verifier;

/// Stands in for the remote service: it holds the key and signs messages.
struct RemoteService {
    key: ed25519_dalek::SigningKey,
}

impl RemoteService {
    fn sign(&self, message: &[u8]) -> Vec<u8> {
        use ed25519_dalek::Signer as _;
        self.key.sign(message).to_bytes().to_vec()
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pki")
        .join(name)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    use ed25519_dalek::pkcs8::DecodePrivateKey;
    let service = RemoteService {
        key: ed25519_dalek::SigningKey::from_pkcs8_pem(&std::fs::read_to_string(fixture(
            "ed25519.key",
        ))?)?,
    };
    // The application knows only the certificates.
    let mut chain = Certificate::from_pem(&std::fs::read(fixture("ed25519.pem"))?)?;
    chain.extend(Certificate::from_pem(&std::fs::read(fixture(
        "inter.pem",
    ))?)?);

    let pdf = minimal_pdf();
    let now = chrono::Utc::now();
    let opts = SignOptions::new(now).reason("Disetujui melalui layanan TTE");

    // Phase one: reserve the signature and get the message.
    let prepared = PreparedSignature::prepare(&pdf, &chain, SignatureAlgorithm::Ed25519, &opts)?;
    println!(
        "message to sign: {} bytes (DER signed attributes)",
        prepared.message().len()
    );

    // Remote: sign.
    let signature = service.sign(prepared.message());

    // Phase two: embed it.
    let update = prepared.finish(&signature)?;
    let mut signed = pdf.clone();
    signed.extend_from_slice(&update);

    let trust = TrustStore::from_pem(&std::fs::read(fixture("root.pem"))?)?;
    let report = Verifier::new(trust).at(now).verify(&signed)?;
    std::fs::create_dir_all("out")?;
    std::fs::write("out/remote-signed.pdf", &signed)?;
    println!("wrote out/remote-signed.pdf: {}", report.verdict);
    if !report.is_valid() {
        return Err(format!("verification failed: {report:#?}").into());
    }
    Ok(())
}

/// A one-page PDF written by hand (a real application has its own).
fn minimal_pdf() -> Vec<u8> {
    let content = "BT /F1 18 Tf 72 760 Td (Nota Dinas) Tj ET";
    let objects = [
        "<</Type /Catalog /Pages 2 0 R>>".to_string(),
        "<</Type /Pages /Kids [3 0 R] /Count 1>>".to_string(),
        "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>>"
            .to_string(),
        format!("<</Length {}>>\nstream\n{content}\nendstream", content.len()),
        "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>".to_string(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {} /Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
