//! Top-level error type. Each area has its own error enum; this one wraps them.

/// Any error returned by `surat`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("i/o error")]
    Io(#[from] std::io::Error),
    /// A disposition rule was broken.
    #[error(transparent)]
    Disposition(#[from] crate::disposition::DispositionError),
    /// A disposition journal could not be recorded, read or verified.
    #[error(transparent)]
    Journal(#[from] crate::disposition::JournalError),
    /// A disposition sheet could not be rendered.
    #[error(transparent)]
    DispositionSheet(#[from] crate::render::SheetError),
}
