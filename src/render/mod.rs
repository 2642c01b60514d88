//! Render: naskah dinas as PDF. This branch provides the disposition sheet
//! (*lembar disposisi*); letter rendering lives beside it.

mod disposition_sheet;

pub use disposition_sheet::{SheetError, SheetOptions, disposition_sheet};
