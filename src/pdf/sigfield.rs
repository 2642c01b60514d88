//! Adding a signature field, its widget and its `/Sig` dictionary to a
//! document as an incremental update (ISO 32000-2 §12.7.5.5, §12.8.1).

use chrono::{DateTime, Utc};

use super::document::Document;
use super::object::{Dict, Object, PdfString, Ref, write_object};
use super::writer::Update;
use super::{Limit, PdfError};

/// Width of each patched ByteRange number.
pub(crate) const BYTERANGE_DIGITS: usize = 10;

/// An extra object (font, image, form) that an appearance needs.
pub(crate) struct ExtraObject {
    pub r: Ref,
    pub dict: Dict,
    pub stream: Option<Vec<u8>>,
}

/// A visible appearance for the widget.
pub(crate) struct Appearance {
    /// Widget rectangle in default user space of the page.
    pub rect: [f64; 4],
    /// Content stream of the normal appearance, in the form's own space
    /// (origin at the lower-left corner of the rectangle).
    pub content: Vec<u8>,
    /// Resources of the appearance form.
    pub resources: Dict,
    /// Objects the resources refer to.
    pub objects: Vec<ExtraObject>,
}

/// What the signature dictionary and field should say.
pub(crate) struct FieldParams<'p> {
    pub field_name: Option<&'p str>,
    pub sub_filter: &'p str,
    pub signing_time: DateTime<Utc>,
    pub name: Option<&'p str>,
    pub reason: Option<&'p str>,
    pub location: Option<&'p str>,
    pub contact: Option<&'p str>,
    /// Bytes reserved for the DER of the CMS (the hex token is twice that + 2).
    pub contents_capacity: usize,
    /// Declare the ISO 32002 extension (EdDSA in PDF) in the catalog.
    pub iso_32002: bool,
    /// Page index (0-based) the widget sits on.
    pub page: usize,
    pub appearance: Option<Appearance>,
}

/// The update with the places the signer must patch.
pub(crate) struct PreparedField {
    pub update: Vec<u8>,
    /// Offset in `update` of the first ByteRange digit field (after `[0 `).
    pub byterange_at: usize,
    /// Offset in `update` of the `<` of the `/Contents` placeholder.
    pub contents_at: usize,
    /// Length of the whole hex token, `<` and `>` included.
    pub contents_len: usize,
    pub field_name: String,
}

/// Errors specific to field placement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldError {
    /// A field with that name exists already.
    #[error("a form field named {0:?} exists already")]
    NameTaken(String),
    /// The page index is beyond the document.
    #[error("page {page} does not exist (the document has {count})")]
    NoSuchPage {
        /// Requested page (0-based).
        page: usize,
        /// Pages found.
        count: usize,
    },
    /// The document structure could not be read.
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

pub(crate) fn pdf_date(t: DateTime<Utc>) -> String {
    t.format("D:%Y%m%d%H%M%S+00'00'").to_string()
}

/// Find page `index` (0-based) by walking the page tree; returns its reference,
/// its dictionary and the number of pages seen.
pub(crate) fn find_page(
    doc: &Document<'_>,
    catalog: &Dict,
    index: usize,
    end: usize,
) -> Result<Result<(Ref, Dict), usize>, PdfError> {
    let root = catalog
        .get(b"Pages")
        .and_then(Object::as_ref)
        .ok_or(PdfError::Missing {
            what: "/Pages in the catalog",
        })?;
    let mut stack = vec![root];
    let mut seen = 0usize;
    let mut visited = 0usize;
    while let Some(r) = stack.pop() {
        visited += 1;
        if visited > doc.limits.max_tree_nodes {
            return Err(PdfError::LimitExceeded {
                limit: Limit::TreeSize,
                max: doc.limits.max_tree_nodes as u64,
            });
        }
        let Some(node) = doc.get(r, end)? else {
            continue;
        };
        let Object::Dict(d) = node.value else {
            continue;
        };
        if d.contains(b"Kids") {
            let kids = doc.resolve(d.get(b"Kids").unwrap_or(&Object::Null), end)?;
            let kids: Vec<Ref> = kids
                .as_array()
                .unwrap_or_default()
                .iter()
                .filter_map(Object::as_ref)
                .collect();
            // Skip whole subtrees using /Count when the target is past them.
            let count = d.int(b"Count").and_then(|c| usize::try_from(c).ok());
            if let Some(c) = count {
                if seen + c <= index && r != root {
                    seen += c;
                    continue;
                }
            }
            for k in kids.into_iter().rev() {
                stack.push(k);
            }
        } else {
            if seen == index {
                return Ok(Ok((r, d)));
            }
            seen += 1;
        }
    }
    Ok(Err(seen))
}

/// Names of the top-level fields, and the field dictionaries themselves.
fn field_names(doc: &Document<'_>, fields: &[Object], end: usize) -> Result<Vec<String>, PdfError> {
    let mut out = Vec::new();
    for f in fields.iter().take(doc.limits.max_tree_nodes) {
        if let Some(d) = doc.resolve_dict(f, end)? {
            if let Some(t) = d.get(b"T").and_then(Object::as_str) {
                out.push(t.to_text());
            }
        }
    }
    Ok(out)
}

/// Build the update that adds a signature field with placeholders.
pub(crate) fn prepare_field(
    doc: &Document<'_>,
    p: FieldParams<'_>,
) -> Result<PreparedField, FieldError> {
    let end = doc.data.len();
    let trailer = doc
        .trailer(end)
        .ok_or(PdfError::Missing { what: "trailer" })?
        .clone();
    if trailer.contains(b"Encrypt") {
        return Err(PdfError::Encrypted.into());
    }
    let root_ref = trailer
        .get(b"Root")
        .and_then(Object::as_ref)
        .ok_or(PdfError::Missing {
            what: "/Root in the trailer",
        })?;
    let mut catalog = doc
        .get(root_ref, end)?
        .and_then(|l| l.value.as_dict().cloned())
        .ok_or(PdfError::Missing { what: "catalog" })?;
    let (page_ref, mut page) = match find_page(doc, &catalog, p.page, end)? {
        Ok(x) => x,
        Err(count) => {
            return Err(FieldError::NoSuchPage {
                page: p.page,
                count,
            });
        }
    };
    let mut update = Update::new(doc).ok_or(PdfError::Missing {
        what: "xref section",
    })?;
    let mut catalog_changed = false;

    // AcroForm: indirect (rewrite that object), direct (rewrite the catalog) or absent.
    let (acro_ref, mut acro) = match catalog.get(b"AcroForm") {
        Some(Object::Ref(r)) => (
            Some(*r),
            doc.resolve_dict(&Object::Ref(*r), end)?.unwrap_or_default(),
        ),
        Some(Object::Dict(d)) => (None, d.clone()),
        _ => (None, Dict::new()),
    };
    let (fields_ref, mut fields) = match acro.get(b"Fields") {
        Some(Object::Ref(r)) => (
            Some(*r),
            doc.resolve(&Object::Ref(*r), end)?
                .as_array()
                .map(<[Object]>::to_vec)
                .unwrap_or_default(),
        ),
        Some(Object::Array(a)) => (None, a.clone()),
        _ => (None, Vec::new()),
    };
    let names = field_names(doc, &fields, end)?;
    let field_name = match p.field_name {
        Some(n) => {
            if names.iter().any(|x| x == n) {
                return Err(FieldError::NameTaken(n.to_string()));
            }
            n.to_string()
        }
        None => (1..)
            .map(|i| format!("Signature{i}"))
            .find(|n| !names.contains(n))
            .unwrap_or_else(|| "Signature".into()),
    };

    let sig_ref = update.alloc();
    let widget_ref = update.alloc();

    // Widget + field, merged (ISO 32000-2 §12.5.6.19, §12.7.4.5).
    let mut widget = Dict::new();
    widget.set(b"Type", Object::name("Annot"));
    widget.set(b"Subtype", Object::name("Widget"));
    widget.set(b"FT", Object::name("Sig"));
    widget.set(b"T", Object::Str(PdfString::text(&field_name)));
    widget.set(b"V", Object::Ref(sig_ref));
    widget.set(b"F", Object::Int(132)); // Print + Locked
    widget.set(b"P", Object::Ref(page_ref));
    let rect = p.appearance.as_ref().map_or([0.0; 4], |a| a.rect);
    widget.set(
        b"Rect",
        Object::Array(rect.iter().map(|&v| Object::real(v)).collect()),
    );
    if let Some(app) = p.appearance {
        let ap_ref = update.alloc();
        for extra in &app.objects {
            match &extra.stream {
                Some(data) => update.add_stream(extra.r, extra.dict.clone(), data),
                None => update.add(extra.r, &Object::Dict(extra.dict.clone())),
            }
        }
        let mut form = Dict::new();
        form.set(b"Type", Object::name("XObject"));
        form.set(b"Subtype", Object::name("Form"));
        let w = (rect[2] - rect[0]).abs();
        let h = (rect[3] - rect[1]).abs();
        form.set(
            b"BBox",
            Object::Array(vec![
                Object::Int(0),
                Object::Int(0),
                Object::real(w),
                Object::real(h),
            ]),
        );
        form.set(b"Resources", Object::Dict(app.resources));
        update.add_stream(ap_ref, form, &app.content);
        let mut ap = Dict::new();
        ap.set(b"N", Object::Ref(ap_ref));
        widget.set(b"AP", Object::Dict(ap));
    }

    // Page /Annots.
    match page.get(b"Annots").cloned() {
        Some(Object::Ref(r)) => {
            let mut arr = doc
                .resolve(&Object::Ref(r), end)?
                .as_array()
                .map(<[Object]>::to_vec)
                .unwrap_or_default();
            arr.push(Object::Ref(widget_ref));
            update.add(r, &Object::Array(arr));
        }
        Some(Object::Array(mut arr)) => {
            arr.push(Object::Ref(widget_ref));
            page.set(b"Annots", Object::Array(arr));
            update.add(page_ref, &Object::Dict(page));
        }
        _ => {
            page.set(b"Annots", Object::Array(vec![Object::Ref(widget_ref)]));
            update.add(page_ref, &Object::Dict(page));
        }
    }

    // AcroForm /Fields and /SigFlags (SignaturesExist | AppendOnly).
    fields.push(Object::Ref(widget_ref));
    match fields_ref {
        Some(r) => update.add(r, &Object::Array(fields)),
        None => acro.set(b"Fields", Object::Array(fields)),
    }
    acro.set(b"SigFlags", Object::Int(3));
    match acro_ref {
        Some(r) => update.add(r, &Object::Dict(acro)),
        None => {
            let r = update.alloc();
            update.add(r, &Object::Dict(acro));
            catalog.set(b"AcroForm", Object::Ref(r));
            catalog_changed = true;
        }
    }

    if p.iso_32002 && add_iso_32002(&mut catalog) {
        catalog_changed = true;
    }
    if catalog_changed {
        update.add(root_ref, &Object::Dict(catalog));
    }
    update.add(widget_ref, &Object::Dict(widget));

    // The signature dictionary, written by hand so the placeholders are at known offsets.
    let mut body = Vec::new();
    body.extend_from_slice(b"<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /");
    body.extend_from_slice(p.sub_filter.as_bytes());
    body.extend_from_slice(b" /ByteRange [0 ");
    let br_rel = body.len();
    for i in 0..3 {
        body.extend_from_slice(&[b' '; BYTERANGE_DIGITS]);
        if i < 2 {
            body.push(b' ');
        }
    }
    body.extend_from_slice(b"] /Contents <");
    let contents_rel = body.len() - 1;
    body.resize(body.len() + 2 * p.contents_capacity, b'0');
    body.push(b'>');
    let contents_len = body.len() - contents_rel;
    let mut rest = Dict::new();
    rest.set(
        b"M",
        Object::Str(PdfString::literal(pdf_date(p.signing_time).into_bytes())),
    );
    for (k, v) in [
        (&b"Name"[..], p.name),
        (b"Reason", p.reason),
        (b"Location", p.location),
        (b"ContactInfo", p.contact),
    ] {
        if let Some(v) = v {
            rest.set(k, Object::Str(PdfString::text(v)));
        }
    }
    for (k, v) in rest.iter() {
        body.push(b' ');
        write_object(&mut body, &Object::Name(k.to_vec()));
        body.push(b' ');
        write_object(&mut body, v);
    }
    body.extend_from_slice(b">>");
    let body_at = update.add_raw(sig_ref, &body);
    let bytes = update.finish();
    Ok(PreparedField {
        update: bytes,
        byterange_at: body_at + br_rel,
        contents_at: body_at + contents_rel,
        contents_len,
        field_name,
    })
}

/// Declare ISO 32002 (EdDSA) in `/Extensions`; returns whether it changed.
fn add_iso_32002(catalog: &mut Dict) -> bool {
    let mut ext = match catalog.get(b"Extensions") {
        None => Dict::new(),
        Some(Object::Dict(d)) => d.clone(),
        // An indirect extensions dictionary is left alone.
        Some(_) => return false,
    };
    let mut entry = Dict::new();
    entry.set(b"Type", Object::name("DeveloperExtensions"));
    entry.set(b"BaseVersion", Object::name("2.0"));
    entry.set(b"ExtensionLevel", Object::Int(32002));
    entry.set(
        b"ExtensionRevision",
        Object::Str(PdfString::literal(b":2022".to_vec())),
    );
    entry.set(
        b"URL",
        Object::Str(PdfString::literal(
            b"https://www.iso.org/standard/45877.html".to_vec(),
        )),
    );
    let mut list = match ext.get(b"ISO_") {
        None => Vec::new(),
        Some(Object::Array(a)) => a.clone(),
        Some(d @ Object::Dict(_)) => vec![d.clone()],
        Some(_) => return false,
    };
    let present = list
        .iter()
        .any(|o| o.as_dict().and_then(|d| d.int(b"ExtensionLevel")) == Some(32002));
    if present {
        return false;
    }
    list.push(Object::Dict(entry));
    ext.set(b"ISO_", Object::Array(list));
    catalog.set(b"Extensions", Object::Dict(ext));
    true
}
