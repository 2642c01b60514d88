//! `surat`: sign and verify PDF documents from the command line.
//!
//! Exit codes: 0 every signature valid (or the command succeeded), 1 some
//! signature not valid or none present, 2 unreadable input or usage error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use surat::cert::{Certificate, TrustStore};
use surat::sign::{KeySigner, SignOptions, SubFilter, sign_dir, sign_update};
use surat::verify::{Check, Report, Verdict, Verifier, inspect};

#[derive(Parser)]
#[command(
    name = "surat",
    version,
    about = "Sign and verify PDF documents (PAdES / CMS)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum SubFilterArg {
    /// ETSI.CAdES.detached
    Pades,
    /// adbe.pkcs7.detached
    Pkcs7,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
enum Command {
    /// Sign a PDF with an incremental update.
    Sign {
        /// Input PDF.
        #[arg(required_unless_present = "batch")]
        input: Option<PathBuf>,
        /// Sign every *.pdf in this directory into the output directory, in parallel.
        #[arg(long, conflicts_with = "input")]
        batch: Option<PathBuf>,
        /// Output PDF, or output directory with --batch (must differ from the input).
        #[arg(short, long)]
        output: PathBuf,
        /// PKCS#8 private key (PEM).
        #[arg(long, requires = "cert", conflicts_with = "p12")]
        key: Option<PathBuf>,
        /// Signer certificate (PEM).
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        /// Intermediate certificates (PEM).
        #[arg(long)]
        chain: Option<PathBuf>,
        /// PKCS#12 file with key and chain.
        #[arg(long, requires = "pass_env")]
        p12: Option<PathBuf>,
        /// Name of the environment variable holding the PKCS#12 passphrase.
        #[arg(long)]
        pass_env: Option<String>,
        /// Reason for signing.
        #[arg(long)]
        reason: Option<String>,
        /// Location of signing.
        #[arg(long)]
        location: Option<String>,
        /// Contact information.
        #[arg(long)]
        contact: Option<String>,
        /// Name of the new signature field.
        #[arg(long)]
        field: Option<String>,
        /// Signature format.
        #[arg(long, value_enum, default_value = "pades")]
        subfilter: SubFilterArg,
        /// Use RSASSA-PSS for RSA keys.
        #[arg(long)]
        pss: bool,
    },
    /// Verify every signature of a PDF.
    Verify {
        /// The PDF to verify.
        file: PathBuf,
        /// Trusted root certificates (PEM).
        #[arg(long)]
        trust: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Validation time (RFC 3339); default now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Show revisions and signatures without judging trust.
    Inspect {
        /// The PDF to inspect.
        file: PathBuf,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Print a line to stdout; a closed pipe (`surat verify … | head`) is not an error.
macro_rules! out {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// A one-line error for exit code 2.
struct Fail(String);

impl<E: std::fmt::Display> From<E> for Fail {
    fn from(e: E) -> Self {
        Fail(e.to_string())
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Fail> {
    std::fs::read(path).map_err(|e| Fail(format!("cannot read {}: {e}", path.display())))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(Fail(msg)) => {
            eprintln!("surat: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Fail> {
    match cli.command {
        Command::Sign {
            input,
            batch,
            output,
            key,
            cert,
            chain,
            p12,
            pass_env,
            reason,
            location,
            contact,
            field,
            subfilter,
            pss,
        } => {
            if input.as_deref().is_some_and(|i| same_file(i, &output)) {
                return Err(Fail(
                    "the output path must differ from the input path".into(),
                ));
            }
            let mut signer = if let Some(p12) = p12 {
                let var = pass_env.unwrap_or_default();
                let pass = std::env::var(&var).map_err(|_| {
                    Fail(format!(
                        "environment variable {var} with the PKCS#12 passphrase is not set"
                    ))
                })?;
                KeySigner::from_pkcs12(&read(&p12)?, &pass)?
            } else if let (Some(key), Some(cert)) = (key, cert) {
                KeySigner::from_pem(&read(&key)?, &read(&cert)?)?
            } else {
                return Err(Fail(
                    "give --key and --cert, or --p12 and --pass-env".into(),
                ));
            };
            if let Some(chain) = chain {
                signer = signer.with_extra_certificates(Certificate::from_pem(&read(&chain)?)?);
            }
            if pss {
                signer = signer.with_rsa_pss();
            }
            let mut opts = SignOptions::new(Utc::now()).sub_filter(match subfilter {
                SubFilterArg::Pades => SubFilter::Pades,
                SubFilterArg::Pkcs7 => SubFilter::Pkcs7,
            });
            if let Some(r) = reason {
                opts = opts.reason(r);
            }
            if let Some(l) = location {
                opts = opts.location(l);
            }
            if let Some(c) = contact {
                opts = opts.contact(c);
            }
            if let Some(f) = field {
                opts = opts.field_name(f);
            }
            if let Some(dir) = batch {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                let results = sign_dir(&dir, &output, &signer, &opts, &|done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })?;
                bar.finish();
                let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
                for (path, r) in &failed {
                    if let Err(e) = r {
                        eprintln!("surat: error: {}: {e}", path.display());
                    }
                }
                eprintln!(
                    "signed {} of {} file(s) into {}",
                    results.len() - failed.len(),
                    results.len(),
                    output.display()
                );
                return Ok(if failed.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(2)
                });
            }
            let input = input.ok_or_else(|| Fail("no input file".into()))?;
            let pdf = read(&input)?;
            let update = sign_update(&pdf, &signer, &opts)?;
            write_atomically(&output, &[&pdf, &update])?;
            eprintln!("signed {} -> {}", input.display(), output.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            file,
            trust,
            json,
            at,
        } => {
            let trust = TrustStore::from_pem(&read(&trust)?)?;
            let at = match at {
                Some(s) => DateTime::parse_from_rfc3339(&s)
                    .map_err(|e| Fail(format!("--at {s:?} is not an RFC 3339 time: {e}")))?
                    .with_timezone(&Utc),
                None => Utc::now(),
            };
            let pdf = read(&file)?;
            let report = Verifier::new(trust).at(at).verify(&pdf)?;
            if json {
                out!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_report(&report);
            }
            Ok(if report.verdict == Verdict::Valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Inspect { file, json } => {
            let pdf = read(&file)?;
            let ins = inspect(&pdf, surat::Limits::default())?;
            if json {
                out!("{}", serde_json::to_string_pretty(&ins)?);
            } else {
                out!("{} revision(s):", ins.revisions.len());
                for (i, r) in ins.revisions.iter().enumerate() {
                    out!(
                        "  {}: xref {} at byte {}, ends at byte {}, {} object(s)",
                        i + 1,
                        r.xref_kind,
                        r.xref_offset,
                        r.end,
                        r.objects
                    );
                }
                out!("{} signature(s):", ins.signatures.len());
                for s in &ins.signatures {
                    out!("  field {:?}", s.field);
                    out!("    sub-filter: {}", s.sub_filter.as_deref().unwrap_or("-"));
                    out!("    byte range: {:?}", s.byte_range);
                    if let Some(id) = &s.signer {
                        out!(
                            "    signer: {} (issuer {}, serial {})",
                            id.subject,
                            id.issuer,
                            id.serial
                        );
                    }
                    out!("    integrity: {}", check_text(&s.integrity));
                    out!("    signature: {}", check_text(&s.signature));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check_text(c: &Check) -> String {
    match c {
        Check::Passed => "ok".into(),
        Check::Failed(r) => format!("FAILED: {r}"),
        Check::NotChecked(r) => format!("not checked: {r}"),
        _ => "unknown".into(),
    }
}

fn print_report(r: &Report) {
    out!(
        "Document: {} ({} revision(s), {} signature(s))",
        r.verdict,
        r.revisions,
        r.signatures.len()
    );
    for p in &r.problems {
        out!("  problem: {p}");
    }
    for s in &r.signatures {
        out!("Signature {:?}: {}", s.field, s.verdict);
        if let Some(id) = &s.signer {
            out!("  signer:        {}", id.subject);
            out!("  issuer:        {}", id.issuer);
        }
        if let Some(t) = s.claimed_signing_time {
            out!("  signed at:     {t} (claimed)");
        }
        if let Some(a) = &s.algorithm {
            out!("  algorithm:     {a}");
        }
        out!("  integrity:     {}", check_text(&s.integrity));
        out!("  signature:     {}", check_text(&s.signature));
        out!("  binding:       {}", check_text(&s.signer_binding));
        out!("  trust:         {}", check_text(&s.trust));
        out!("  coverage:      {:?}", s.coverage);
        out!("  later changes: {:?}", s.later_changes);
        if let Some(v) = &s.visible {
            out!(
                "  visible:       page {:?} at {:?}",
                v.page.map(|p| p + 1),
                v.rect
            );
        }
        for n in &s.change_notes {
            out!("  change:        {n}");
        }
        for w in &s.warnings {
            out!("  warning:       {w}");
        }
        for reason in &s.reasons {
            out!("  reason:        {reason}");
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        let parent = p
            .parent()
            .filter(|x| !x.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(parent.canonicalize().ok()?.join(p.file_name()?))
    };
    match (canon(a), canon(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Write to a temporary file beside `path`, then rename: no partial output.
fn write_atomically(path: &Path, parts: &[&[u8]]) -> Result<(), Fail> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| Fail(format!("{} is not a file path", path.display())))?;
    let tmp = dir.join(format!(
        ".{}.surat-tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        for p in parts {
            f.write_all(p)?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Fail(format!("cannot write {}: {e}", path.display())));
    }
    Ok(())
}
