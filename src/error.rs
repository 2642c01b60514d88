//! Top-level error type. Each area has its own error enum; this one wraps them.

/// Any error returned by `surat`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("i/o error")]
    Io(#[from] std::io::Error),
    /// A PDF could not be read.
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
    /// Signing failed.
    #[error(transparent)]
    Sign(#[from] crate::sign::SignError),
    /// A signer could not be loaded.
    #[error(transparent)]
    Signer(#[from] crate::sign::SignerError),
    /// Verification could not run.
    #[error(transparent)]
    Verify(#[from] crate::verify::VerifyError),
    /// A certificate could not be read.
    #[error(transparent)]
    Certificate(#[from] crate::cert::CertError),
    /// A letter, its organisation data or a lifecycle transition was invalid.
    #[error(transparent)]
    Letter(#[from] crate::letter::LetterError),
    /// Letter numbering failed.
    #[error(transparent)]
    Number(#[from] crate::letter::NumberError),
    /// Rendering a document to PDF failed.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
}
