//! Top-level error type. Each area has its own error enum; this one wraps them.

/// Any error returned by `surat`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("i/o error")]
    Io(#[from] std::io::Error),
}
