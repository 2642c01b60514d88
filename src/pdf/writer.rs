//! The append-only incremental writer (ISO 32000-2 §7.5.6).
//!
//! The original bytes are never touched: an update holds only what is
//! appended: new and changed objects, a cross-reference section of the same
//! kind as the newest one in the file, and a trailer that keeps `/Root`,
//! `/Info`, `/Encrypt` and the first `/ID` element.

use sha2::{Digest, Sha256};

use super::document::{Document, SectionKind};
use super::object::{Dict, Object, PdfString, Ref, write_dict, write_object};

/// Bytes to append to a document, with their cross-reference data.
pub(crate) struct Update {
    base_len: usize,
    pub buf: Vec<u8>,
    offsets: Vec<(Ref, usize)>,
    next_num: u32,
    kind: SectionKind,
    trailer: Dict,
    prev: usize,
}

impl Update {
    /// Start an update after `doc`. Fails only if the document has no section.
    pub(crate) fn new(doc: &Document<'_>) -> Option<Self> {
        let newest = doc.sections.first()?;
        let mut buf = Vec::new();
        if !matches!(doc.data.last(), Some(b'\n' | b'\r')) {
            buf.push(b'\n');
        }
        Some(Update {
            base_len: doc.data.len(),
            buf,
            offsets: Vec::new(),
            next_num: doc.next_object_number(),
            kind: newest.kind,
            trailer: newest.trailer.clone(),
            prev: newest.offset,
        })
    }

    /// Reserve a fresh object number.
    pub(crate) fn alloc(&mut self) -> Ref {
        let r = Ref {
            num: self.next_num,
            generation: 0,
        };
        self.next_num += 1;
        r
    }

    /// Absolute offset (in the final file) of the next byte written.
    pub(crate) fn pos(&self) -> usize {
        self.base_len + self.buf.len()
    }

    /// Append `obj` as indirect object `r`.
    pub(crate) fn add(&mut self, r: Ref, obj: &Object) {
        self.begin(r);
        write_object(&mut self.buf, obj);
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    /// Append a stream object.
    pub(crate) fn add_stream(&mut self, r: Ref, mut dict: Dict, data: &[u8]) {
        dict.set(
            b"Length",
            Object::Int(i64::try_from(data.len()).unwrap_or(i64::MAX)),
        );
        self.begin(r);
        write_dict(&mut self.buf, &dict);
        self.buf.extend_from_slice(b"\nstream\n");
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Append an object whose body the caller writes; returns the offset of
    /// the body's first byte within `buf`.
    pub(crate) fn add_raw(&mut self, r: Ref, body: &[u8]) -> usize {
        self.begin(r);
        let at = self.buf.len();
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendobj\n");
        at
    }

    fn begin(&mut self, r: Ref) {
        self.offsets.push((r, self.pos()));
        self.buf
            .extend_from_slice(format!("{} {} obj\n", r.num, r.generation).as_bytes());
    }

    /// Write the cross-reference section and trailer; returns the bytes to
    /// append to the original file.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let id = self.new_id();
        let mut trailer = Dict::new();
        for key in [&b"Root"[..], b"Info", b"Encrypt"] {
            if let Some(v) = self.trailer.get(key) {
                trailer.set(key, v.clone());
            }
        }
        trailer.set(b"ID", id);
        trailer.set(
            b"Prev",
            Object::Int(i64::try_from(self.prev).unwrap_or(i64::MAX)),
        );
        match self.kind {
            SectionKind::Table => self.finish_table(trailer),
            SectionKind::Stream => self.finish_stream(trailer),
        }
        self.buf
    }

    fn new_id(&self) -> Object {
        let mut h = Sha256::new();
        h.update(self.base_len.to_le_bytes());
        h.update(&self.buf);
        let digest = h.finalize();
        let second = PdfString::hex(digest.get(..16).unwrap_or_default().to_vec());
        let first = match self.trailer.get(b"ID") {
            Some(Object::Array(a)) if a.len() == 2 => a.first().cloned(),
            _ => None,
        }
        .unwrap_or_else(|| Object::Str(second.clone()));
        Object::Array(vec![first, Object::Str(second)])
    }

    fn size(&self) -> i64 {
        i64::from(self.next_num)
    }

    fn finish_table(&mut self, mut trailer: Dict) {
        self.offsets.sort_by_key(|(r, _)| r.num);
        let xref_at = self.pos();
        let mut out = b"xref\n".to_vec();
        for group in contiguous(&self.offsets) {
            let first = group.first().map(|(r, _)| r.num).unwrap_or(0);
            out.extend_from_slice(format!("{first} {}\n", group.len()).as_bytes());
            for (r, off) in group {
                out.extend_from_slice(format!("{off:010} {:05} n\r\n", r.generation).as_bytes());
            }
        }
        trailer.set(b"Size", Object::Int(self.size()));
        out.extend_from_slice(b"trailer\n");
        write_dict(&mut out, &trailer);
        out.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        self.buf.extend_from_slice(&out);
    }

    fn finish_stream(&mut self, trailer: Dict) {
        let me = self.alloc();
        let xref_at = self.pos();
        self.offsets.push((me, xref_at));
        self.offsets.sort_by_key(|(r, _)| r.num);
        let mut index = Vec::new();
        let mut data = Vec::new();
        for group in contiguous(&self.offsets) {
            let first = group.first().map(|(r, _)| r.num).unwrap_or(0);
            index.push(Object::Int(i64::from(first)));
            index.push(Object::Int(i64::try_from(group.len()).unwrap_or(0)));
            for (r, off) in group {
                data.push(1u8);
                data.extend_from_slice(&u32::try_from(*off).unwrap_or(u32::MAX).to_be_bytes());
                data.extend_from_slice(
                    &u16::try_from(r.generation)
                        .unwrap_or(u16::MAX)
                        .to_be_bytes(),
                );
            }
        }
        let mut dict = Dict::new();
        dict.set(b"Type", Object::name("XRef"));
        dict.set(b"Size", Object::Int(self.size()));
        dict.set(b"Index", Object::Array(index));
        dict.set(
            b"W",
            Object::Array(vec![Object::Int(1), Object::Int(4), Object::Int(2)]),
        );
        for (k, v) in trailer.iter() {
            dict.set(k, v.clone());
        }
        // `begin` would record the offset again; write the header by hand.
        self.buf
            .extend_from_slice(format!("{} {} obj\n", me.num, me.generation).as_bytes());
        dict.set(
            b"Length",
            Object::Int(i64::try_from(data.len()).unwrap_or(0)),
        );
        write_dict(&mut self.buf, &dict);
        self.buf.extend_from_slice(b"\nstream\n");
        self.buf.extend_from_slice(&data);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
        self.buf
            .extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    }
}

/// Split entries sorted by object number into runs of consecutive numbers.
fn contiguous(entries: &[(Ref, usize)]) -> Vec<&[(Ref, usize)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=entries.len() {
        let split = match (entries.get(i - 1), entries.get(i)) {
            (Some((a, _)), Some((b, _))) => b.num != a.num + 1,
            _ => true,
        };
        if split {
            if let Some(g) = entries.get(start..i) {
                out.push(g);
            }
            start = i;
        }
    }
    out
}
