//! PDF internals: a strict object parser, the revision index with lazy object
//! access, and the append-only incremental writer. Nothing here is public API
//! except the error and limit types.

pub(crate) mod diff;
pub(crate) mod document;
pub(crate) mod filter;
pub(crate) mod font;
pub(crate) mod object;
pub(crate) mod parse;
pub(crate) mod sigfield;
pub(crate) mod stamp;
pub(crate) mod writer;

pub(crate) use document::Document;
pub(crate) use object::{Dict, Object, Ref};

use serde::Serialize;

/// A resource limit that hostile input can hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Limit {
    /// Size of the input file.
    FileSize,
    /// Decompressed size of one stream.
    DecompressedStream,
    /// Decompressed size of all streams read from one file.
    DecompressedTotal,
    /// Nesting depth of arrays and dictionaries.
    NestingDepth,
    /// Number of objects a cross-reference section may declare.
    Objects,
    /// Length of a chain of indirect references.
    ReferenceChain,
    /// Number of cross-reference sections (revisions).
    Revisions,
    /// Number of fields, pages or annotations walked.
    TreeSize,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Limit::FileSize => "file size",
            Limit::DecompressedStream => "decompressed stream size",
            Limit::DecompressedTotal => "total decompressed size",
            Limit::NestingDepth => "nesting depth",
            Limit::Objects => "object count",
            Limit::ReferenceChain => "reference chain length",
            Limit::Revisions => "revision count",
            Limit::TreeSize => "tree size",
        })
    }
}

/// Explicit bounds on the work and memory spent on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted file, in bytes (default 2 GiB).
    pub max_file_size: u64,
    /// Largest decompressed stream, in bytes (default 64 MiB).
    pub max_decompressed_stream: u64,
    /// Largest total of decompressed streams per document (default 128 MiB;
    /// only structure streams such as object and xref streams are decoded).
    pub max_decompressed_total: u64,
    /// Deepest nesting of arrays and dictionaries (default 64).
    pub max_depth: usize,
    /// Most objects one cross-reference section may declare (default 8 million).
    pub max_objects: u64,
    /// Longest chain of indirect references followed (default 32).
    pub max_ref_chain: usize,
    /// Most cross-reference sections (default 1,000).
    pub max_revisions: usize,
    /// Most nodes walked in a page, field or annotation tree (default
    /// 100,000). The walks of the form in all revisions of a document, when
    /// the verifier finds its signatures, visit at most ten times as many
    /// together.
    pub max_tree_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 2 << 30,
            max_decompressed_stream: 64 << 20,
            max_decompressed_total: 128 << 20,
            max_depth: 64,
            max_objects: 8_000_000,
            max_ref_chain: 32,
            max_revisions: 1000,
            max_tree_nodes: 100_000,
        }
    }
}

/// The document could not be read as a PDF.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The data does not start with a `%PDF-` header.
    #[error("not a PDF file (no %PDF- header)")]
    NotPdf,
    /// A syntax error.
    #[error("syntax error at byte {offset}: {what}")]
    Syntax {
        /// Byte offset of the error.
        offset: usize,
        /// What was wrong.
        what: &'static str,
    },
    /// A dictionary has the same key twice.
    #[error("duplicate key /{key} in a dictionary at byte {offset}")]
    DuplicateKey {
        /// The key.
        key: String,
        /// Byte offset of the second occurrence.
        offset: usize,
    },
    /// The cross-reference data or trailer chain is broken.
    #[error("cross-reference error at byte {offset}: {what}")]
    Xref {
        /// Byte offset of the error.
        offset: usize,
        /// What was wrong.
        what: &'static str,
    },
    /// An object header does not match its cross-reference entry.
    #[error(
        "object at byte {offset} is {found_num} {found_gen}, but the xref says {num} {generation}"
    )]
    ObjectMismatch {
        /// Offset of the object header.
        offset: usize,
        /// Number from the xref.
        num: u32,
        /// Generation from the xref.
        generation: u32,
        /// Number found in the header.
        found_num: u32,
        /// Generation found in the header.
        found_gen: u32,
    },
    /// A required object is missing.
    #[error("missing or invalid {what}")]
    Missing {
        /// What is missing.
        what: &'static str,
    },
    /// A resource limit was hit.
    #[error("limit exceeded: {limit} (maximum {max})")]
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// Its configured value.
        max: u64,
    },
    /// The document is encrypted.
    #[error("encrypted documents are not supported yet")]
    Encrypted,
    /// A feature this crate does not read.
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// Stream data could not be decompressed.
    #[error("stream data could not be decoded")]
    Decode,
}
