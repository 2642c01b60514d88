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
    /// Content stream of the normal appearance, in the form's own space
    /// (origin at the lower-left corner of the rectangle).
    pub content: Vec<u8>,
    /// Resources of the appearance form.
    pub resources: Dict,
    /// Objects the resources refer to.
    pub objects: Vec<ExtraObject>,
}

/// Where the signature widget goes.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A new field on `page`, at `rect` (`None`: invisible).
    New { page: usize, rect: Option<[f64; 4]> },
    /// A new field placed at the first occurrence of `marker` in the page
    /// text (searching `page`, or every page), sized `w` × `h` points, its
    /// top-left corner at the marker.
    Anchor {
        marker: String,
        page: Option<usize>,
        w: f64,
        h: f64,
    },
    /// An existing, empty signature field with this fully qualified name.
    Existing(String),
}

/// Builds the appearance for the chosen rectangle; allocates object numbers
/// through the callback.
pub(crate) type AppearanceBuilder<'p> = Box<
    dyn FnOnce([f64; 4], &mut dyn FnMut() -> Ref) -> Result<Appearance, super::font::FontError>
        + 'p,
>;

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
    pub target: Target,
    /// Drawn only when the widget has a non-empty rectangle.
    pub appearance: Option<AppearanceBuilder<'p>>,
    /// Certify with this DocMDP level (1–3).
    pub certify: Option<u8>,
    /// Lock every field after signing (FieldMDP /All).
    pub lock_fields: bool,
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
    /// No existing empty signature field has that name.
    #[error("no empty signature field named {0:?}")]
    NoSuchField(String),
    /// The anchor text was not found.
    #[error("anchor text {0:?} not found on the page(s)")]
    AnchorNotFound(String),
    /// Drawing the appearance failed.
    #[error(transparent)]
    Font(#[from] super::font::FontError),
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
            if let Some(c) = count
                && seen + c <= index
                && r != root
            {
                seen += c;
                continue;
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
        if let Some(d) = doc.resolve_dict(f, end)?
            && let Some(t) = d.get(b"T").and_then(Object::as_str)
        {
            out.push(t.to_text());
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

    // Resolve the target: page, rectangle, and whether a field exists already.
    let mut existing: Option<(Ref, Dict)> = None;
    let (page_ref, mut page, rect) = match &p.target {
        Target::New { page, rect } => {
            let (r, d) = match find_page(doc, &catalog, *page, end)? {
                Ok(x) => x,
                Err(count) => return Err(FieldError::NoSuchPage { page: *page, count }),
            };
            (r, d, rect.unwrap_or([0.0; 4]))
        }
        Target::Anchor { marker, page, w, h } => {
            let (r, d, (x, y, size)) = find_anchor(doc, &catalog, marker, *page, end)?
                .ok_or_else(|| FieldError::AnchorNotFound(marker.clone()))?;
            (r, d, [x, y + size - h, x + w, y + size])
        }
        Target::Existing(name) => {
            let (fr, fd) = find_empty_sig_field(doc, &fields, name, end)?
                .ok_or_else(|| FieldError::NoSuchField(name.clone()))?;
            let rect = fd
                .get(b"Rect")
                .and_then(Object::as_array)
                .map(|a| a.iter().filter_map(Object::as_number).collect::<Vec<_>>())
                .and_then(|v| <[f64; 4]>::try_from(v.as_slice()).ok())
                .unwrap_or([0.0; 4]);
            let pr = fd
                .get(b"P")
                .and_then(Object::as_ref)
                .ok_or(PdfError::Missing {
                    what: "/P (page) of the signature field",
                })?;
            let pd = doc.resolve_dict(&Object::Ref(pr), end)?.unwrap_or_default();
            existing = Some((fr, fd));
            (pr, pd, rect)
        }
    };
    let field_name = match (&p.target, p.field_name) {
        (Target::Existing(n), _) => n.clone(),
        (_, Some(n)) => {
            if names.iter().any(|x| x == n) {
                return Err(FieldError::NameTaken(n.to_string()));
            }
            n.to_string()
        }
        (_, None) => (1..)
            .map(|i| format!("Signature{i}"))
            .find(|n| !names.contains(n))
            .unwrap_or_else(|| "Signature".into()),
    };

    let sig_ref = update.alloc();
    let (widget_ref, mut widget) = match &existing {
        Some((r, d)) => (*r, d.clone()),
        None => {
            let r = update.alloc();
            let mut w = Dict::new();
            w.set(b"Type", Object::name("Annot"));
            w.set(b"Subtype", Object::name("Widget"));
            w.set(b"FT", Object::name("Sig"));
            w.set(b"T", Object::Str(PdfString::text(&field_name)));
            w.set(b"F", Object::Int(132)); // Print + Locked
            w.set(b"P", Object::Ref(page_ref));
            w.set(
                b"Rect",
                Object::Array(rect.iter().map(|&v| Object::real(v)).collect()),
            );
            (r, w)
        }
    };
    widget.set(b"V", Object::Ref(sig_ref));
    if p.lock_fields {
        let mut lock = Dict::new();
        lock.set(b"Type", Object::name("SigFieldLock"));
        lock.set(b"Action", Object::name("All"));
        widget.set(b"Lock", Object::Dict(lock));
    }
    let visible = (rect[2] - rect[0]).abs() > 0.0 && (rect[3] - rect[1]).abs() > 0.0;
    if let (Some(build), true) = (p.appearance, visible) {
        let mut alloc = || update.alloc();
        let app = build(rect, &mut alloc)?;
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

    if existing.is_none() {
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

        // AcroForm /Fields (new fields only) and /SigFlags (SignaturesExist | AppendOnly).
        fields.push(Object::Ref(widget_ref));
        match fields_ref {
            Some(r) => update.add(r, &Object::Array(fields)),
            None => acro.set(b"Fields", Object::Array(fields)),
        }
    }
    let acro_changed = existing.is_none() || acro.int(b"SigFlags") != Some(3);
    acro.set(b"SigFlags", Object::Int(3));
    match acro_ref {
        Some(r) if acro_changed => update.add(r, &Object::Dict(acro)),
        Some(_) => {}
        None => {
            let r = update.alloc();
            update.add(r, &Object::Dict(acro));
            catalog.set(b"AcroForm", Object::Ref(r));
            catalog_changed = true;
        }
    }
    if let Some(level) = p.certify {
        let mut perms = match catalog.get(b"Perms") {
            Some(Object::Dict(d)) => d.clone(),
            _ => Dict::new(),
        };
        perms.set(b"DocMDP", Object::Ref(sig_ref));
        catalog.set(b"Perms", Object::Dict(perms));
        catalog_changed = true;
        let _ = level;
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
    let mut refs = Vec::new();
    if let Some(level) = p.certify {
        refs.push(format!(
            "<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P {} /V /1.2>>>>",
            level.clamp(1, 3)
        ));
    }
    if p.lock_fields {
        refs.push(
            "<</Type /SigRef /TransformMethod /FieldMDP /TransformParams <</Type /TransformParams /Action /All /V /1.2>>>>"
                .to_string(),
        );
    }
    if !refs.is_empty() {
        body.extend_from_slice(format!(" /Reference [{}]", refs.join(" ")).as_bytes());
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

/// The first empty signature field named `name` among `fields` (top level or
/// merged widgets), with its reference.
fn find_empty_sig_field(
    doc: &Document<'_>,
    fields: &[Object],
    name: &str,
    end: usize,
) -> Result<Option<(Ref, Dict)>, PdfError> {
    for f in fields.iter().take(doc.limits.max_tree_nodes) {
        let Some(r) = f.as_ref() else { continue };
        let Some(d) = doc.resolve_dict(f, end)? else {
            continue;
        };
        let t = d.get(b"T").and_then(Object::as_str).map(PdfString::to_text);
        if t.as_deref() == Some(name) && d.name(b"FT") == Some(b"Sig") && !d.contains(b"V") {
            return Ok(Some((r, d)));
        }
    }
    Ok(None)
}

/// A page and the text position (x, y, font size) where a marker was found.
type AnchorHit = (Ref, Dict, (f64, f64, f64));

/// Find `marker` in the text-showing operators of a page's content, returning
/// the page and the text position (x, y, font size) in default user space.
fn find_anchor(
    doc: &Document<'_>,
    catalog: &Dict,
    marker: &str,
    page: Option<usize>,
    end: usize,
) -> Result<Option<AnchorHit>, PdfError> {
    let pages: Vec<usize> = match page {
        Some(p) => vec![p],
        None => (0..doc.limits.max_tree_nodes.min(10_000)).collect(),
    };
    for index in pages {
        let Ok((r, d)) = find_page(doc, catalog, index, end)? else {
            break;
        };
        let content = page_content(doc, &d, end)?;
        if let Some(pos) = locate_text(&content, marker.as_bytes()) {
            return Ok(Some((r, d, pos)));
        }
    }
    Ok(None)
}

fn page_content(doc: &Document<'_>, page: &Dict, end: usize) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::new();
    let refs: Vec<Object> = match page.get(b"Contents") {
        Some(Object::Array(a)) => a.clone(),
        Some(o) => match doc.resolve(o, end)? {
            Object::Array(a) => a,
            _ => vec![o.clone()],
        },
        None => Vec::new(),
    };
    for c in refs {
        let Some(r) = c.as_ref() else { continue };
        let Some(l) = doc.get(r, end)? else { continue };
        let Object::Dict(sd) = &l.value else { continue };
        out.extend(doc.stream_data(sd, l.stream, r.num)?);
        out.push(b'\n');
    }
    Ok(out)
}

/// Track the text matrix through a content stream (`cm`, `q`/`Q`, `BT`,
/// `Tf`, `Td`, `TD`, `Tm`, `TL`, `T*`) and return where a string operand
/// containing `marker` is shown. Strings are compared as bytes, which works
/// for simple (single-byte) fonts, the way e-office templates write markers.
fn locate_text(content: &[u8], marker: &[u8]) -> Option<(f64, f64, f64)> {
    use super::parse::Parser;
    type M = [f64; 6];
    let mul = |a: M, b: M| -> M {
        [
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ]
    };
    let id: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let (mut ctm, mut tm, mut tlm) = (id, id, id);
    let mut stack: Vec<M> = Vec::new();
    let (mut size, mut leading) = (12.0, 0.0);
    let mut operands: Vec<Object> = Vec::new();
    let mut p = Parser::new(content, 0, 16);
    let mut steps = 0usize;
    loop {
        steps += 1;
        if steps > 5_000_000 {
            return None;
        }
        p.skip_ws();
        let c = p.peek()?;
        let is_operand_start = matches!(
            c,
            b'/' | b'(' | b'<' | b'[' | b'+' | b'-' | b'.' | b'0'..=b'9'
        ) || p.at_keyword(b"true")
            || p.at_keyword(b"false")
            || p.at_keyword(b"null");
        if is_operand_start {
            match p.parse_object() {
                Ok(o) => operands.push(o),
                Err(_) => p.pos += 1,
            }
            continue;
        }
        let start = p.pos;
        while p
            .peek()
            .is_some_and(|c| !super::parse::is_ws(c) && !super::parse::is_delim(c))
        {
            p.pos += 1;
        }
        if p.pos == start {
            p.pos += 1;
            operands.clear();
            continue;
        }
        let op = content.get(start..p.pos).unwrap_or_default();
        let nums: Vec<f64> = operands.iter().filter_map(Object::as_number).collect();
        match op {
            b"q" => stack.push(ctm),
            b"Q" => ctm = stack.pop().unwrap_or(id),
            b"cm" if nums.len() == 6 => {
                let m = [nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]];
                ctm = mul(m, ctm);
            }
            b"BT" => {
                tm = id;
                tlm = id;
            }
            b"Tf" => size = nums.last().copied().unwrap_or(size),
            b"TL" => leading = nums.first().copied().unwrap_or(leading),
            b"Td" | b"TD" if nums.len() == 2 => {
                if op == b"TD" {
                    leading = -nums[1];
                }
                tlm = mul([1.0, 0.0, 0.0, 1.0, nums[0], nums[1]], tlm);
                tm = tlm;
            }
            b"Tm" if nums.len() == 6 => {
                tlm = [nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]];
                tm = tlm;
            }
            b"T*" => {
                tlm = mul([1.0, 0.0, 0.0, 1.0, 0.0, -leading], tlm);
                tm = tlm;
            }
            b"Tj" | b"TJ" | b"'" | b"\"" => {
                if matches!(op, b"'" | b"\"") {
                    tlm = mul([1.0, 0.0, 0.0, 1.0, 0.0, -leading], tlm);
                    tm = tlm;
                }
                let mut text = Vec::new();
                for o in &operands {
                    match o {
                        Object::Str(s) => text.extend_from_slice(&s.bytes),
                        Object::Array(a) => {
                            for x in a {
                                if let Object::Str(s) = x {
                                    text.extend_from_slice(&s.bytes);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                if !marker.is_empty() && text.windows(marker.len()).any(|w| w == marker) {
                    let m = mul(tm, ctm);
                    let scale = (m[2] * m[2] + m[3] * m[3]).sqrt();
                    return Some((m[4], m[5], size * if scale > 0.0 { scale } else { 1.0 }));
                }
            }
            _ => {}
        }
        operands.clear();
    }
}
