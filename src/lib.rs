//! # surat
//!
//! Electronic official correspondence (*naskah dinas*), disposition chains
//! (*disposisi*) and PDF electronic signatures (*tanda tangan elektronik*, TTE)
//! for the Indonesian public sector.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod disposition;
mod error;
pub mod render;

pub use error::Error;
