//! # surat
//!
//! Electronic official correspondence (*naskah dinas*), disposition chains
//! (*disposisi*) and PDF electronic signatures (*tanda tangan elektronik*, TTE)
//! for the Indonesian public sector.
//!
//! - [`letter`]: the naskah dinas model (kinds, sifat, urgensi, addressees,
//!   signature blocks with a.n./u.b./Plt./Plh./Pj.), positions and dated
//!   assignments, the numbering language and never-reused sequences, review
//!   (paraf bound to a content hash) and the outgoing-letter lifecycle, and
//!   registration of incoming letters.
//! - [`render`]: a letter to an A4 PDF with selectable text and a reserved
//!   rectangle for the electronic signature stamp.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;

pub use error::Error;

pub mod letter;
pub mod render;
