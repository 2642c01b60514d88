//! What later revisions changed relative to a signed revision, judged object
//! by object from the cross-reference sections appended after it
//! (SECURITY-RULES rule 7). Work is proportional to the number of objects the
//! later sections list, not to the size of the document.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::document::{Document, Entry};
use super::object::{Dict, Object, Ref};
use super::{Limit, PdfError};

/// Kinds of change, from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ChangeKind {
    None,
    ValidationData,
    Signatures,
    FormFilling,
    Annotations,
    Other,
}

/// The result of comparing a signed revision with the final document.
#[derive(Debug, Clone)]
pub(crate) struct Changes {
    pub kind: ChangeKind,
    /// One line per change that is not allowed everywhere.
    pub notes: Vec<String>,
}

struct Ctx<'d, 'a> {
    doc: &'d Document<'a>,
    old_end: usize,
    new_end: usize,
    kind: ChangeKind,
    notes: Vec<String>,
    annots_arrays: Option<HashSet<Ref>>,
    certified: bool,
}

impl Ctx<'_, '_> {
    fn bump(&mut self, kind: ChangeKind, note: impl FnOnce() -> String) {
        if kind >= ChangeKind::Annotations {
            self.notes.push(note());
        }
        self.kind = self.kind.max(kind);
    }
    fn old(&self, r: Ref) -> Result<Option<Object>, PdfError> {
        Ok(self.doc.get(r, self.old_end)?.map(|l| l.value))
    }
}

/// Compare the revision ending at `old_end` with the one ending at `new_end`.
pub(crate) fn analyse(
    doc: &Document<'_>,
    old_end: usize,
    new_end: usize,
    certified: bool,
) -> Result<Changes, PdfError> {
    let mut cx = Ctx {
        doc,
        old_end,
        new_end,
        kind: ChangeKind::None,
        notes: Vec::new(),
        annots_arrays: None,
        certified,
    };
    let later: Vec<_> = doc
        .sections
        .iter()
        .filter(|s| s.end > old_end && s.end <= new_end)
        .collect();
    let mut changed: BTreeSet<u32> = BTreeSet::new();
    let mut xref_streams: HashSet<usize> = HashSet::new();
    for s in &later {
        if s.offset < old_end {
            cx.bump(ChangeKind::Other, || {
                format!(
                    "cross-reference section at byte {} lies inside the signed revision",
                    s.offset
                )
            });
        }
        xref_streams.insert(s.offset);
        for (num, e) in s.entries.iter() {
            if changed.len() > doc.limits.max_tree_nodes {
                return Err(PdfError::LimitExceeded {
                    limit: Limit::TreeSize,
                    max: doc.limits.max_tree_nodes as u64,
                });
            }
            changed.insert(num);
            let old = doc.lookup(num, old_end).map(|(_, e)| e);
            match (e, old) {
                (Entry::InUse { offset, .. }, _) if offset < old_end => {
                    cx.bump(ChangeKind::Other, || {
                        format!(
                            "object {num} is remapped to byte {offset}, inside the signed revision"
                        )
                    });
                }
                (Entry::Free { .. }, Some(Entry::InUse { .. } | Entry::Compressed { .. }))
                    if num != 0 =>
                {
                    cx.bump(ChangeKind::Other, || {
                        format!("object {num} was freed after signing")
                    });
                }
                (Entry::InUse { generation, .. }, Some(Entry::InUse { generation: og, .. }))
                    if generation != og =>
                {
                    cx.bump(ChangeKind::Other, || {
                        format!("generation of object {num} changed after signing")
                    });
                }
                (Entry::InUse { .. } | Entry::Compressed { .. }, Some(Entry::Free { .. }))
                    if num != 0 =>
                {
                    cx.bump(ChangeKind::Other, || {
                        format!("object {num} was free in the signed revision and is live now")
                    });
                }
                (Entry::Compressed { stream, .. }, _) => {
                    if let Some((_, Entry::InUse { offset, .. })) = doc.lookup(stream, new_end)
                        && offset < old_end
                    {
                        cx.bump(ChangeKind::Other, || {
                                format!("object {num} is remapped into an object stream of the signed revision")
                            });
                    }
                }
                _ => {}
            }
        }
    }
    if cx.kind == ChangeKind::Other {
        return Ok(Changes {
            kind: cx.kind,
            notes: cx.notes,
        });
    }
    let old_trailer = doc.trailer(old_end).cloned().unwrap_or_default();
    let new_trailer = doc.trailer(new_end).cloned().unwrap_or_default();
    let root = old_trailer.get(b"Root").and_then(Object::as_ref);
    if root.is_none() || new_trailer.get(b"Root").and_then(Object::as_ref) != root {
        cx.bump(ChangeKind::Other, || {
            "the document catalog was replaced".into()
        });
    }
    if new_trailer.get(b"Encrypt") != old_trailer.get(b"Encrypt") {
        cx.bump(ChangeKind::Other, || {
            "encryption changed after signing".into()
        });
    }
    let old_catalog = match root {
        Some(r) => cx
            .old(r)?
            .and_then(|o| o.as_dict().cloned())
            .unwrap_or_default(),
        None => Dict::new(),
    };
    let acro_ref = old_catalog.get(b"AcroForm").and_then(Object::as_ref);
    // Metadata objects: the document information dictionary and the XMP stream.
    let new_catalog = match root {
        Some(r) => doc
            .get(r, new_end)?
            .and_then(|l| l.value.as_dict().cloned())
            .unwrap_or_default(),
        None => Dict::new(),
    };
    let info_refs: Vec<Ref> = [old_trailer.get(b"Info"), new_trailer.get(b"Info")]
        .into_iter()
        .flatten()
        .filter_map(Object::as_ref)
        .collect();
    let xmp_refs: Vec<Ref> = [old_catalog.get(b"Metadata"), new_catalog.get(b"Metadata")]
        .into_iter()
        .flatten()
        .filter_map(Object::as_ref)
        .collect();
    let old_acro = doc.resolve_dict(
        old_catalog.get(b"AcroForm").unwrap_or(&Object::Null),
        old_end,
    )?;
    let fields_ref = old_acro
        .as_ref()
        .and_then(|a| a.get(b"Fields"))
        .and_then(Object::as_ref);

    // Objects defined only after signing must not be ones the signed revision
    // already referred to (a dangling reference made live shows new content
    // through signed objects).
    let fresh: Vec<u32> = changed
        .iter()
        .copied()
        .filter(|&n| {
            !matches!(
                doc.lookup(n, old_end),
                Some((_, Entry::InUse { .. } | Entry::Compressed { .. }))
            )
        })
        .collect();
    if !fresh.is_empty() {
        let dangling = dangling_references(doc, old_end)?;
        for n in fresh.iter().filter(|n| dangling.contains(n)) {
            cx.bump(ChangeKind::Other, || {
                format!("object {n} was referenced but undefined in the signed revision and is defined now")
            });
        }
    }
    let in_place = rewritten_validation_data(
        doc,
        (old_end, new_end),
        &changed,
        (&old_catalog, &new_catalog),
        &old_trailer,
        root,
    );
    for num in changed {
        let Some((_, entry)) = doc.lookup(num, new_end) else {
            continue;
        };
        let r = Ref {
            num,
            generation: entry.generation(),
        };
        let Some(new_l) = doc.get(r, new_end)? else {
            continue;
        };
        let old_l = match doc.lookup(num, old_end) {
            Some((_, Entry::InUse { generation, .. })) => {
                doc.get(Ref { num, generation }, old_end)?
            }
            Some((_, Entry::Compressed { .. })) => doc.get(Ref { num, generation: 0 }, old_end)?,
            _ => None,
        };
        let is_info =
            info_refs.contains(&r) && new_l.stream.is_none() && new_l.value.as_dict().is_some();
        let is_xmp = xmp_refs.contains(&r)
            && new_l
                .value
                .as_dict()
                .is_some_and(|d| d.is_type(b"Metadata") && d.name(b"Subtype") == Some(b"XML"));
        if is_info || is_xmp {
            cx.bump(ChangeKind::ValidationData, String::new);
            continue;
        }
        let stream_bytes =
            |l: &super::document::Loaded| l.stream.and_then(|(s, n)| doc.data.get(s..s + n));
        let same_data = old_l
            .as_ref()
            .is_none_or(|o| stream_bytes(o) == stream_bytes(&new_l));
        let streams = new_l.stream.is_some() || old_l.as_ref().is_some_and(|l| l.stream.is_some());
        let new = new_l.value.clone();
        let old = old_l.map(|l| l.value);
        if !same_data {
            let what = describe(&new);
            cx.bump(ChangeKind::Other, || {
                format!("stream data of object {num} ({what}) changed after signing")
            });
            continue;
        }
        match old {
            None => {
                // A new object matters only through what refers to it; the
                // changed objects that refer to it are judged below.
                if let Some(d) = new.as_dict()
                    && (d.is_type(b"Sig") || d.is_type(b"DocTimeStamp"))
                {
                    cx.bump(ChangeKind::Signatures, String::new);
                }
            }
            Some(old) if old == new => {}
            Some(old) => {
                if Some(r) == root {
                    judge_catalog(&mut cx, &old, &new)?;
                } else if Some(r) == acro_ref {
                    judge_acroform(&mut cx, &old, &new)?;
                } else if Some(r) == fields_ref {
                    judge_added_fields(&mut cx, &old, &new, num)?;
                } else if in_place.contains(&num) && !streams {
                    cx.bump(ChangeKind::ValidationData, String::new);
                } else {
                    judge_other(&mut cx, r, &old, &new)?;
                }
            }
        }
    }
    Ok(Changes {
        kind: cx.kind,
        notes: cx.notes,
    })
}

fn judge_catalog(cx: &mut Ctx<'_, '_>, old: &Object, new: &Object) -> Result<(), PdfError> {
    let (Some(o), Some(n)) = (old.as_dict(), new.as_dict()) else {
        cx.bump(ChangeKind::Other, || {
            "the catalog is no longer a dictionary".into()
        });
        return Ok(());
    };
    for key in keys_of(o, n) {
        if o.get(&key) == n.get(&key) {
            continue;
        }
        match key.as_slice() {
            // Validation data, extension declarations and document metadata
            // (XMP, version) do not change what the pages show.
            b"DSS" | b"Extensions" | b"Metadata" | b"Version" => {
                cx.bump(ChangeKind::ValidationData, String::new);
            }
            b"AcroForm" => {
                let old_acro = cx
                    .doc
                    .resolve_dict(o.get(b"AcroForm").unwrap_or(&Object::Null), cx.old_end)?;
                let new_acro = cx
                    .doc
                    .resolve_dict(n.get(b"AcroForm").unwrap_or(&Object::Null), cx.new_end)?;
                let old_obj = Object::Dict(old_acro.unwrap_or_default());
                let new_obj = Object::Dict(new_acro.unwrap_or_default());
                judge_acroform(cx, &old_obj, &new_obj)?;
            }
            other => {
                let k = String::from_utf8_lossy(other).into_owned();
                cx.bump(ChangeKind::Other, || {
                    format!("catalog entry /{k} changed after signing")
                });
            }
        }
    }
    Ok(())
}

/// The container a role in [`validation_objects`] needs.
#[derive(Clone, Copy)]
enum Shape {
    Dict,
    Array,
    Either,
}

/// `o` resolved in the revision ending at `end` when it has `shape`; its
/// number goes into `set` when it is indirect.
fn take(
    doc: &Document<'_>,
    end: usize,
    o: &Object,
    shape: Shape,
    set: &mut HashSet<u32>,
) -> Result<Option<Object>, PdfError> {
    let v = doc.resolve(o, end)?;
    let fits = match shape {
        Shape::Dict => v.as_dict().is_some(),
        Shape::Array => v.as_array().is_some(),
        Shape::Either => v.as_dict().is_some() || v.as_array().is_some(),
    };
    if !fits {
        return Ok(None);
    }
    if let Object::Ref(r) = o {
        set.insert(r.num);
    }
    Ok(Some(v))
}

/// The indirect objects that hold validation data or extension
/// declarations in the revision ending at `end`, each of the shape its role
/// needs: the `/DSS` dictionary, its `/Certs`, `/OCSPs` and `/CRLs` arrays,
/// its `/VRI` dictionary, each VRI entry and the entry's `/Cert`, `/OCSP`
/// and `/CRL` arrays (ISO 32000-2 §12.8.4.3); the `/Extensions` dictionary,
/// its entries and the dictionaries in an entry's array (§7.12). Streams
/// (certificates, responses) are not among them: their data never changes
/// in place.
fn validation_objects(
    doc: &Document<'_>,
    catalog: &Dict,
    end: usize,
) -> Result<HashSet<u32>, PdfError> {
    let mut set = HashSet::new();
    let many = doc.limits.max_tree_nodes;
    if let Some(dss) = catalog.get(b"DSS")
        && let Some(Object::Dict(d)) = take(doc, end, dss, Shape::Dict, &mut set)?
    {
        for key in [&b"Certs"[..], b"OCSPs", b"CRLs"] {
            if let Some(v) = d.get(key) {
                take(doc, end, v, Shape::Array, &mut set)?;
            }
        }
        if let Some(vri) = d.get(b"VRI")
            && let Some(Object::Dict(v)) = take(doc, end, vri, Shape::Dict, &mut set)?
        {
            for (_, entry) in v.iter().take(many) {
                if let Some(Object::Dict(e)) = take(doc, end, entry, Shape::Dict, &mut set)? {
                    for key in [&b"Cert"[..], b"OCSP", b"CRL"] {
                        if let Some(a) = e.get(key) {
                            take(doc, end, a, Shape::Array, &mut set)?;
                        }
                    }
                }
            }
        }
    }
    if let Some(ext) = catalog.get(b"Extensions")
        && let Some(Object::Dict(x)) = take(doc, end, ext, Shape::Dict, &mut set)?
    {
        for (_, v) in x.iter().take(many) {
            if let Some(Object::Array(list)) = take(doc, end, v, Shape::Either, &mut set)? {
                for e in list.iter().take(many) {
                    take(doc, end, e, Shape::Dict, &mut set)?;
                }
            }
        }
    }
    Ok(set)
}

/// The object numbers `o` refers to, at any depth.
fn collect_refs(o: &Object, out: &mut HashSet<u32>) {
    let mut stack = vec![o];
    while let Some(o) = stack.pop() {
        match o {
            Object::Ref(r) => {
                out.insert(r.num);
            }
            Object::Array(a) => stack.extend(a.iter()),
            Object::Dict(d) => stack.extend(d.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

/// The changed objects that a later revision rewrote in place as
/// validation data or extension declarations (PAdES-LTA writers extend an
/// indirect `/DSS` this way on every round) and that change nothing else.
///
/// An object qualifies when it holds that role (see [`validation_objects`])
/// in both revisions and, in the signed revision, nothing outside those
/// roles reaches it: not the trailer, not a catalog entry other than `/DSS`
/// and `/Extensions`, and no other object, directly or through a
/// validation object that something else reaches. Otherwise a signed
/// revision could prepare a "certificate array" that is also a page's
/// content array, and fill it after signing. Finding who refers to them
/// costs one pass over the signed revision, made only when such a rewrite
/// is present.
fn rewritten_validation_data(
    doc: &Document<'_>,
    (old_end, new_end): (usize, usize),
    changed: &BTreeSet<u32>,
    (old_catalog, new_catalog): (&Dict, &Dict),
    old_trailer: &Dict,
    root: Option<Ref>,
) -> HashSet<u32> {
    // Whatever does not read grants nothing: the rewritten objects are then
    // judged as any other change.
    let none = HashSet::new();
    let Ok(old_set) = validation_objects(doc, old_catalog, old_end) else {
        return none;
    };
    if !changed.iter().any(|n| old_set.contains(n)) {
        return none;
    }
    let Ok(new_set) = validation_objects(doc, new_catalog, new_end) else {
        return none;
    };
    let candidates: Vec<u32> = changed
        .iter()
        .copied()
        .filter(|n| old_set.contains(n) && new_set.contains(n) && root.is_none_or(|r| r.num != *n))
        .collect();
    if candidates.is_empty() {
        return none;
    }
    let mut outside = HashSet::new();
    collect_refs(&Object::Dict(old_trailer.clone()), &mut outside);
    for (k, v) in old_catalog.iter() {
        if k != b"DSS" && k != b"Extensions" {
            collect_refs(v, &mut outside);
        }
    }
    let Ok(referrers) = doc.referrers(old_end, &old_set) else {
        return none;
    };
    let root_num = root.map(|r| r.num);
    // Validation objects that something else reaches, then everything they
    // reach in turn.
    let mut reached: HashSet<u32> = old_set
        .iter()
        .copied()
        .filter(|n| {
            outside.contains(n)
                || root_num == Some(*n)
                || referrers.get(n).is_some_and(|by| {
                    by.iter()
                        .any(|b| !old_set.contains(b) && Some(*b) != root_num)
                })
        })
        .collect();
    let mut reaches: HashMap<u32, Vec<u32>> = HashMap::new();
    for (target, by) in &referrers {
        for b in by {
            reaches.entry(*b).or_default().push(*target);
        }
    }
    let mut stack: Vec<u32> = reached.iter().copied().collect();
    while let Some(n) = stack.pop() {
        for t in reaches.get(&n).into_iter().flatten() {
            if reached.insert(*t) {
                stack.push(*t);
            }
        }
    }
    candidates
        .into_iter()
        .filter(|n| !reached.contains(n))
        .collect()
}

fn judge_acroform(cx: &mut Ctx<'_, '_>, old: &Object, new: &Object) -> Result<(), PdfError> {
    let (Some(o), Some(n)) = (old.as_dict(), new.as_dict()) else {
        cx.bump(ChangeKind::Other, || {
            "the AcroForm is no longer a dictionary".into()
        });
        return Ok(());
    };
    for key in keys_of(o, n) {
        if o.get(&key) == n.get(&key) {
            continue;
        }
        match key.as_slice() {
            b"SigFlags" | b"DR" | b"DA" => cx.bump(ChangeKind::Signatures, String::new),
            b"Fields" => {
                let of = cx
                    .doc
                    .resolve(o.get(b"Fields").unwrap_or(&Object::Null), cx.old_end)?;
                let nf = cx
                    .doc
                    .resolve(n.get(b"Fields").unwrap_or(&Object::Null), cx.new_end)?;
                judge_added_fields(cx, &of, &nf, 0)?;
            }
            other => {
                let k = String::from_utf8_lossy(other).into_owned();
                cx.bump(ChangeKind::Other, || {
                    format!("AcroForm entry /{k} changed after signing")
                });
            }
        }
    }
    Ok(())
}

/// An array that may only grow: returns the added elements, or `None` if an
/// old element disappeared or moved.
fn added_elements(old: &Object, new: &Object) -> Option<Vec<Object>> {
    let o = match old {
        Object::Null => &[][..],
        other => other.as_array()?,
    };
    let n = new.as_array()?;
    if n.len() < o.len() || n.get(..o.len())? != o {
        return None;
    }
    Some(n.get(o.len()..)?.to_vec())
}

fn judge_added_fields(
    cx: &mut Ctx<'_, '_>,
    old: &Object,
    new: &Object,
    num: u32,
) -> Result<(), PdfError> {
    let Some(added) = added_elements(old, new) else {
        cx.bump(ChangeKind::Other, || {
            format!("form fields were removed or reordered (object {num})")
        });
        return Ok(());
    };
    for f in added {
        let d = cx.doc.resolve_dict(&f, cx.new_end)?.unwrap_or_default();
        if d.name(b"FT") == Some(b"Sig") {
            judge_new_sig_widget(cx, &d);
        } else {
            cx.bump(ChangeKind::Other, || {
                "a form field other than a signature was added".into()
            });
        }
    }
    Ok(())
}

fn judge_new_sig_widget(cx: &mut Ctx<'_, '_>, d: &Dict) {
    cx.bump(ChangeKind::Signatures, String::new);
    // A visible new widget can cover content: an annotation-level change.
    let visible = has_area(d);
    // An unsigned widget that paints over the page is not a further
    // signature, certified document or not: judged like an added annotation.
    let signed = d.contains(b"V")
        || d.get(b"Parent")
            .and_then(|p| cx.doc.resolve_dict(p, cx.new_end).ok().flatten())
            .is_some_and(|p| p.contains(b"V"));
    if visible && !signed {
        cx.bump(ChangeKind::Annotations, || {
            "an unsigned, visible signature widget was added after signing".into()
        });
    }
    // On a certified document a new visible widget can cover certified
    // content (the certification attack): judge it as an annotation.
    if visible && cx.certified {
        cx.bump(ChangeKind::Annotations, || {
            "a new visible signature widget was added to a certified document".into()
        });
    }
}

/// Whether an annotation's /Rect has a non-zero area.
fn has_area(d: &Dict) -> bool {
    d.get(b"Rect")
        .and_then(Object::as_array)
        .map(|r| r.iter().filter_map(Object::as_number).collect::<Vec<_>>())
        .is_some_and(|r| match r.as_slice() {
            [x1, y1, x2, y2] => (x2 - x1).abs() > 0.0 && (y2 - y1).abs() > 0.0,
            _ => false,
        })
}

fn is_field(d: &Dict) -> bool {
    d.contains(b"FT") || d.contains(b"T") || d.contains(b"Parent")
}

fn judge_other(cx: &mut Ctx<'_, '_>, r: Ref, old: &Object, new: &Object) -> Result<(), PdfError> {
    match (old, new) {
        (Object::Dict(o), Object::Dict(n)) if o.is_type(b"Page") => {
            for key in keys_of(o, n) {
                if o.get(&key) == n.get(&key) {
                    continue;
                }
                if key.as_slice() == b"Annots" {
                    let oa = cx
                        .doc
                        .resolve(o.get(b"Annots").unwrap_or(&Object::Null), cx.old_end)?;
                    let na = cx
                        .doc
                        .resolve(n.get(b"Annots").unwrap_or(&Object::Null), cx.new_end)?;
                    judge_added_annots(cx, &oa, &na, r)?;
                } else {
                    let k = String::from_utf8_lossy(&key).into_owned();
                    cx.bump(ChangeKind::Other, || {
                        format!("page object {} entry /{k} changed after signing", r.num)
                    });
                }
            }
        }
        (Object::Dict(o), Object::Dict(n)) if o.is_type(b"Sig") || o.is_type(b"DocTimeStamp") => {
            let _ = (o, n);
            cx.bump(ChangeKind::Other, || {
                format!("signature dictionary {} was overridden", r.num)
            });
        }
        (Object::Dict(o), Object::Dict(n)) if is_field(o) => {
            let sig_field = o.name(b"FT") == Some(b"Sig") || n.name(b"FT") == Some(b"Sig");
            for key in keys_of(o, n) {
                if o.get(&key) == n.get(&key) {
                    continue;
                }
                match key.as_slice() {
                    // Filling an empty signature field.
                    b"V" | b"AP" | b"F" if sig_field && !o.contains(b"V") => {
                        cx.bump(ChangeKind::Signatures, String::new);
                    }
                    b"Lock" | b"SV" if sig_field => cx.bump(ChangeKind::Signatures, String::new),
                    b"V" | b"AP" | b"AS" if !sig_field => {
                        cx.bump(ChangeKind::FormFilling, String::new)
                    }
                    other => {
                        let k = String::from_utf8_lossy(other).into_owned();
                        cx.bump(ChangeKind::Other, || {
                            format!("form field {} entry /{k} changed after signing", r.num)
                        });
                    }
                }
            }
        }
        (Object::Array(_), Object::Array(_)) if cx.is_annots_array(r)? => {
            judge_added_annots(cx, old, new, r)?;
        }
        _ => {
            let what = describe(old);
            cx.bump(ChangeKind::Other, || {
                format!("object {} ({what}) changed after signing", r.num)
            });
        }
    }
    Ok(())
}

fn judge_added_annots(
    cx: &mut Ctx<'_, '_>,
    old: &Object,
    new: &Object,
    owner: Ref,
) -> Result<(), PdfError> {
    let Some(added) = added_elements(old, new) else {
        cx.bump(ChangeKind::Other, || {
            format!("annotations removed or reordered on object {}", owner.num)
        });
        return Ok(());
    };
    for a in added {
        let d = cx.doc.resolve_dict(&a, cx.new_end)?.unwrap_or_default();
        let sig = d.name(b"FT") == Some(b"Sig")
            || d.get(b"Parent")
                .map(|p| cx.doc.resolve_dict(p, cx.new_end))
                .transpose()?
                .flatten()
                .is_some_and(|p| p.name(b"FT") == Some(b"Sig"));
        if sig && d.name(b"Subtype") == Some(b"Widget") {
            judge_new_sig_widget(cx, &d);
        } else {
            let sub = d
                .name(b"Subtype")
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_default();
            // On a certified document only comment annotations (notes, their
            // pop-ups, links) are judged as annotations: drawing markup
            // (free text, shapes, stamps, ink, widgets) can cover certified
            // content, the certification attack.
            let comment = matches!(sub.as_str(), "Text" | "Popup" | "Link");
            if cx.certified && !comment && has_area(&d) {
                cx.bump(ChangeKind::Other, || {
                    format!("a visible /{sub} annotation added to a certified document may cover certified content")
                });
            } else {
                cx.bump(ChangeKind::Annotations, || {
                    format!("a /{sub} annotation was added after signing")
                });
            }
        }
    }
    Ok(())
}

impl Ctx<'_, '_> {
    /// Whether `r` is the indirect `/Annots` array of some page of the signed
    /// revision (walks the page tree once, lazily).
    fn is_annots_array(&mut self, r: Ref) -> Result<bool, PdfError> {
        if self.annots_arrays.is_none() {
            let mut set = HashSet::new();
            let trailer = self.doc.trailer(self.old_end).cloned().unwrap_or_default();
            let catalog = self
                .doc
                .resolve_dict(trailer.get(b"Root").unwrap_or(&Object::Null), self.old_end)?;
            let mut stack: Vec<Object> = catalog
                .and_then(|c| c.get(b"Pages").cloned())
                .into_iter()
                .collect();
            let mut visited = 0usize;
            while let Some(node) = stack.pop() {
                visited += 1;
                if visited > self.doc.limits.max_tree_nodes {
                    return Err(PdfError::LimitExceeded {
                        limit: Limit::TreeSize,
                        max: self.doc.limits.max_tree_nodes as u64,
                    });
                }
                let Some(d) = self.doc.resolve_dict(&node, self.old_end)? else {
                    continue;
                };
                if let Some(Object::Ref(a)) = d.get(b"Annots") {
                    set.insert(*a);
                }
                if let Some(kids) = d.get(b"Kids")
                    && let Object::Array(k) = self.doc.resolve(kids, self.old_end)?
                {
                    stack.extend(k);
                }
            }
            self.annots_arrays = Some(set);
        }
        Ok(self.annots_arrays.as_ref().is_some_and(|s| s.contains(&r)))
    }
}

/// The keys of `a`, then those only `b` has (in linear time for large
/// dictionaries, whose lookups are indexed).
fn keys_of(a: &Dict, b: &Dict) -> Vec<Vec<u8>> {
    let mut keys: Vec<Vec<u8>> = a.keys().map(<[u8]>::to_vec).collect();
    keys.extend(b.keys().filter(|k| !a.contains(k)).map(<[u8]>::to_vec));
    keys
}

fn describe(o: &Object) -> String {
    match o {
        Object::Dict(d) => d.name(b"Type").or_else(|| d.name(b"Subtype")).map_or_else(
            || "dictionary".to_string(),
            |t| format!("/{}", String::from_utf8_lossy(t)),
        ),
        Object::Array(_) => "array".into(),
        _ => "value".into(),
    }
}

/// Object numbers that objects of the revision ending at `end` refer to but
/// that the revision does not define (memoized per revision).
fn dangling_references(doc: &Document<'_>, end: usize) -> Result<HashSet<u32>, PdfError> {
    Ok(doc.scan(end)?.dangling.clone())
}

/// Look for shadow-attack preparations in the revision ending at `end`
/// (SECURITY-RULES, shadow attacks): references to objects the revision
/// marks free or does not define, and bytes that no cross-reference entry
/// reaches (a dead duplicate object body waiting to be remapped). Returns one
/// line per finding; these are flags, not proof of a change.
pub(crate) fn audit_revision(doc: &Document<'_>, end: usize) -> Result<Vec<String>, PdfError> {
    let mut notes = Vec::new();
    let mut dangling: Vec<u32> = dangling_references(doc, end)?.into_iter().collect();
    dangling.sort_unstable();
    for n in dangling.iter().take(20) {
        let what = match doc.lookup(*n, end) {
            Some((_, Entry::Free { .. })) => "a free object",
            _ => "an undefined object",
        };
        notes.push(format!(
            "the signed revision refers to object {n}, which is {what} there"
        ));
    }
    let scan = doc.scan(end)?;
    let data = doc.data.get(..end).unwrap_or_default();
    // The header line and the binary comment line are not covered by objects.
    let mut pos = 0usize;
    let mut gaps = 0usize;
    let mut check_gap = |from: usize, to: usize, notes: &mut Vec<String>| {
        let gap = data.get(from..to).unwrap_or_default();
        // White space and comment lines (which include the header) are not
        // content.
        let content = super::document::content_bytes(gap);
        if content > 0 && gaps < 20 {
            gaps += 1;
            let shows_object = super::document::find(gap, b" obj").is_some();
            notes.push(format!(
                "{content} bytes at {from}..{to} of the signed revision are reached by no cross-reference entry{}",
                if shows_object { " (a duplicate or hidden object body)" } else { "" }
            ));
        }
    };
    for &(s, e) in &scan.covered {
        if s > pos {
            check_gap(pos, s, &mut notes);
        }
        pos = pos.max(e);
    }
    if pos < end {
        check_gap(pos, end, &mut notes);
    }
    Ok(notes)
}
