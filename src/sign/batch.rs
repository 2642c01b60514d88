//! Bulk signing: many documents, one signer, every core.
//!
//! Each document gets its own result; one failure does not stop the rest,
//! and output files are written atomically, so nothing half-written is left.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{SignError, SignOptions, Signer, sign_pdf, sign_update, write_atomically};

/// The outcome for one document of a batch.
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchResult<T> {
    /// Index of the document in the input.
    pub index: usize,
    /// The signed document, or why it failed.
    pub result: Result<T, SignError>,
}

fn threads(n: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(n)
        .max(1)
}

/// Run `job` for every index on all cores, reporting progress as
/// (done, total) after each document.
fn parallel<T: Send>(
    total: usize,
    job: &(dyn Fn(usize) -> Result<T, SignError> + Sync),
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<BatchResult<T>> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(total));
    std::thread::scope(|scope| {
        for _ in 0..threads(total) {
            scope.spawn(|| {
                let mut local = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    local.push(BatchResult {
                        index: i,
                        result: job(i),
                    });
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                }
                if let Ok(mut r) = results.lock() {
                    r.extend(local);
                }
            });
        }
    });
    let mut out = results.into_inner().unwrap_or_default();
    out.sort_by_key(|r| r.index);
    out
}

/// Sign every document in `docs` with `signer`, in parallel; results are in
/// input order.
pub fn sign_batch(
    docs: &[&[u8]],
    signer: &dyn Signer,
    opts: &SignOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<BatchResult<Vec<u8>>> {
    parallel(
        docs.len(),
        &|i| sign_pdf(docs.get(i).copied().unwrap_or_default(), signer, opts),
        progress,
    )
}

/// The outcome for one file of [`sign_dir`]: its input path and result.
pub type FileResult = (PathBuf, Result<(), SignError>);

/// Sign every `*.pdf` file of `input_dir` into `output_dir` (same file names),
/// in parallel. Returns one result per input file, with its path.
pub fn sign_dir(
    input_dir: &Path,
    output_dir: &Path,
    signer: &dyn Signer,
    opts: &SignOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<FileResult>, SignError> {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(input_dir)
        .map_err(SignError::Io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")))
        .collect();
    inputs.sort();
    if let (Ok(a), Ok(b)) = (input_dir.canonicalize(), output_dir.canonicalize())
        && a == b
    {
        return Err(SignError::SameFile);
    }
    std::fs::create_dir_all(output_dir).map_err(SignError::Io)?;
    let results = parallel(
        inputs.len(),
        &|i| {
            let input = inputs.get(i).ok_or(SignError::SameFile)?;
            let name = input.file_name().ok_or(SignError::SameFile)?;
            let pdf = std::fs::read(input).map_err(SignError::Io)?;
            let update = sign_update(&pdf, signer, opts)?;
            write_atomically(&output_dir.join(name), &[&pdf, &update]).map_err(SignError::Io)
        },
        progress,
    );
    Ok(inputs
        .into_iter()
        .zip(results)
        .map(|(p, r)| (p, r.result))
        .collect())
}
