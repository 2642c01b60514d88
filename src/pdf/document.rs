//! The revision index: every cross-reference section of a file, found through
//! the final `startxref` and the `/Prev` chain (never by scanning text), with
//! lazy, bounded access to the objects they point to.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};

use std::rc::Rc;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::filter::decode_stream;
use super::object::{Dict, Object, Ref};
use super::parse::{Parser, is_ws};
use super::{Limit, Limits, PdfError};

/// One cross-reference entry (ISO 32000-2 §7.5.4, §7.5.8.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    Free { generation: u32 },
    InUse { offset: usize, generation: u32 },
    Compressed { stream: u32, index: u32 },
}

impl Entry {
    pub(crate) fn generation(&self) -> u32 {
        match self {
            Entry::Free { generation } | Entry::InUse { generation, .. } => *generation,
            Entry::Compressed { .. } => 0,
        }
    }
}

/// The entries of one cross-reference section, sorted by object number
/// (a flat vector: built and searched faster than a tree on files with tens
/// of thousands of objects).
#[derive(Debug, Clone, Default)]
pub(crate) struct Entries(Vec<(u32, Entry)>);

impl Entries {
    /// Sort `v` by object number; `Err(num)` if `num` is listed twice.
    fn new(mut v: Vec<(u32, Entry)>) -> Result<Self, u32> {
        if !v.windows(2).all(|w| w[0].0 < w[1].0) {
            v.sort_by_key(|&(n, _)| n);
            if let Some(w) = v.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(w[0].0);
            }
        }
        Ok(Self(v))
    }

    /// The entry for object `num`.
    pub(crate) fn get(&self, num: u32) -> Option<Entry> {
        let i = self.0.binary_search_by_key(&num, |&(n, _)| n).ok()?;
        self.0.get(i).map(|&(_, e)| e)
    }

    /// Entries in ascending object-number order, as a slice.
    pub(crate) fn as_slice(&self) -> &[(u32, Entry)] {
        &self.0
    }

    /// Entries in ascending object-number order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, Entry)> + '_ {
        self.0.iter().copied()
    }

    /// How many objects the section lists.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The largest object number listed.
    pub(crate) fn last_num(&self) -> Option<u32> {
        self.0.last().map(|&(n, _)| n)
    }
}

/// How a section stores its cross-reference data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SectionKind {
    Table,
    Stream,
}

/// One cross-reference section with its trailer: one revision of the file
/// (a linearized file has two sections in its first revision).
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Offset of `xref` or of the cross-reference stream object.
    pub offset: usize,
    pub kind: SectionKind,
    pub entries: Entries,
    pub trailer: Dict,
    /// Offset just after `%%EOF` and at most one end-of-line, or after the
    /// trailer when no `startxref … %%EOF` follows it.
    pub end: usize,
    /// Offset just after `%%EOF`, when the section is followed by one.
    pub eof_at: Option<usize>,
    /// The value of the `startxref` that follows the section.
    pub startxref: Option<u64>,
    /// Whether the trailer has `/XRefStm` (a hybrid-reference section).
    pub hybrid: bool,
}

/// A loaded indirect object.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub value: Object,
    /// Raw (still encoded) stream data: offset and length in the file.
    pub stream: Option<(usize, usize)>,
    /// Where `N G obj` starts in the file (`None` inside an object stream).
    pub offset: Option<usize>,
}

#[derive(Debug)]
struct ObjStm {
    data: Vec<u8>,
    first: usize,
    index: Vec<(u32, usize)>,
}

impl ObjStm {
    /// Where object `num`, the `index`-th of the stream, starts in `data`.
    fn object_at(&self, num: u32, index: u32) -> Result<usize, PdfError> {
        let (found, off) = self
            .index
            .get(index as usize)
            .copied()
            .ok_or(PdfError::Xref {
                offset: 0,
                what: "object stream index out of range",
            })?;
        if found != num {
            return Err(PdfError::ObjectMismatch {
                offset: 0,
                num,
                generation: 0,
                found_num: found,
                found_gen: 0,
            });
        }
        self.first.checked_add(off).ok_or(PdfError::Decode)
    }
}

/// An object stream found in the file but not decoded yet.
#[derive(Debug)]
struct StmSource {
    /// Where its `N G obj` starts.
    offset: usize,
    dict: Dict,
    /// Its raw data: offset and length in the file.
    raw: Option<(usize, usize)>,
}

impl StmSource {
    /// Decode the stream (of `data`) and read its header, within `limits`
    /// when `used` bytes of the document's total are spent already.
    fn decode(&self, data: &[u8], limits: &Limits, used: u64) -> Result<ObjStm, PdfError> {
        let offset = self.offset;
        let data = decode_within(data, &self.dict, self.raw, limits, used)?;
        let count = self
            .dict
            .int(b"N")
            .and_then(|v| usize::try_from(v).ok())
            .ok_or(PdfError::Decode)?;
        let first = self
            .dict
            .int(b"First")
            .and_then(|v| usize::try_from(v).ok())
            .ok_or(PdfError::Decode)?;
        if count > data.len() / 2 + 1 || first > data.len() {
            return Err(PdfError::Xref {
                offset,
                what: "object stream header out of range",
            });
        }
        let mut p = Parser::new(&data, 0, 4);
        let mut index = Vec::with_capacity(count);
        for _ in 0..count {
            let on = u32::try_from(p.read_uint()?).map_err(|_| PdfError::Decode)?;
            let oo = usize::try_from(p.read_uint()?).map_err(|_| PdfError::Decode)?;
            index.push((on, oo));
        }
        Ok(ObjStm { data, first, index })
    }
}

/// The decoded data of the stream at `raw` in `data` (its dictionary
/// `dict`), within `limits` when `used` bytes of the document's total of
/// decoded data are spent already.
fn decode_within(
    data: &[u8],
    dict: &Dict,
    raw: Option<(usize, usize)>,
    limits: &Limits,
    used: u64,
) -> Result<Vec<u8>, PdfError> {
    let (start, len) = raw.ok_or(PdfError::Syntax {
        offset: 0,
        what: "expected a stream",
    })?;
    let raw = data.get(start..start + len).ok_or(PdfError::Decode)?;
    let remaining_total = limits.max_decompressed_total.saturating_sub(used);
    let max = limits.max_decompressed_stream.min(remaining_total);
    decode_stream(dict, raw, max).map_err(|e| match e {
        PdfError::LimitExceeded { .. } if max < limits.max_decompressed_stream => {
            PdfError::LimitExceeded {
                limit: Limit::DecompressedTotal,
                max: limits.max_decompressed_total,
            }
        }
        e => e,
    })
}

/// A parsed revision index over a byte buffer.
pub(crate) struct Document<'a> {
    pub data: &'a [u8],
    /// Sections in chain order: the newest first.
    pub sections: Vec<Section>,
    pub limits: Limits,
    /// Bytes after the final `%%EOF` that are not white space.
    pub trailing_garbage: usize,
    /// Decoded object streams by the offset of their object (shared with
    /// the threads of a [`ScanJob`]).
    objstms: RefCell<HashMap<usize, Arc<ObjStm>>>,
    decompressed: Cell<u64>,
    scans: RefCell<HashMap<usize, Rc<Scan>>>,
    /// With more than [`FEW_SECTIONS`] sections: for each object number,
    /// the sections that list it, newest first (built on first use).
    listing: std::cell::OnceCell<HashMap<u32, Vec<usize>>>,
    /// What [`Document::lookup`] was asked for while recording.
    looked_up: RefCell<Option<HashSet<u32>>>,
}

/// Up to this many cross-reference sections, a lookup searches them all.
const FEW_SECTIONS: usize = 8;

/// One pass over every object body of a revision (memoized per revision end).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Scan {
    /// Referenced object numbers the revision does not define.
    pub dangling: HashSet<u32>,
    /// Byte ranges reached by a section: object bodies and xref sections,
    /// sorted.
    pub covered: Vec<(usize, usize)>,
}

impl<'a> Document<'a> {
    /// Read the revision index of `data`.
    pub(crate) fn open(data: &'a [u8], limits: Limits) -> Result<Self, PdfError> {
        if data.len() as u64 > limits.max_file_size {
            return Err(PdfError::LimitExceeded {
                limit: Limit::FileSize,
                max: limits.max_file_size,
            });
        }
        let header_window = data.get(..data.len().min(1024)).unwrap_or_default();
        if find(header_window, b"%PDF-").is_none() {
            return Err(PdfError::NotPdf);
        }
        let mut doc = Document {
            data,
            sections: Vec::new(),
            limits,
            trailing_garbage: 0,
            objstms: RefCell::new(HashMap::new()),
            decompressed: Cell::new(0),
            scans: RefCell::new(HashMap::new()),
            listing: std::cell::OnceCell::new(),
            looked_up: RefCell::new(None),
        };
        let (start, final_eof) = doc.final_startxref()?;
        let mut next = Some(start);
        let mut seen = HashSet::new();
        while let Some(off) = next {
            if !seen.insert(off) {
                return Err(PdfError::Xref {
                    offset: off,
                    what: "/Prev chain loops",
                });
            }
            if doc.sections.len() >= doc.limits.max_revisions {
                return Err(PdfError::LimitExceeded {
                    limit: Limit::Revisions,
                    max: doc.limits.max_revisions as u64,
                });
            }
            let section = doc.read_section(off)?;
            next = match section.trailer.get(b"Prev") {
                None => None,
                Some(Object::Int(p)) => Some(usize::try_from(*p).map_err(|_| PdfError::Xref {
                    offset: off,
                    what: "negative /Prev",
                })?),
                Some(_) => {
                    return Err(PdfError::Xref {
                        offset: off,
                        what: "/Prev is not an integer",
                    });
                }
            };
            doc.sections.push(section);
        }
        // The final `startxref … %%EOF` must close a section of the chain (in a
        // linearized file it closes the main section, not the chain head).
        let closing = doc
            .sections
            .iter()
            .find(|s| s.eof_at == Some(final_eof))
            .map(|s| s.end)
            .ok_or(PdfError::Xref {
                offset: final_eof,
                what: "the final %%EOF does not close a cross-reference section of the /Prev chain",
            })?;
        let tail = data.get(closing..).unwrap_or_default();
        doc.trailing_garbage = tail.iter().filter(|&&c| !is_ws(c)).count();
        Ok(doc)
    }

    /// Find the last `startxref N %%EOF` in the file's tail.
    fn final_startxref(&self) -> Result<(usize, usize), PdfError> {
        let tail_start = self.data.len().saturating_sub(2048);
        let tail = self.data.get(tail_start..).unwrap_or_default();
        let pos = rfind(tail, b"startxref").ok_or(PdfError::Xref {
            offset: self.data.len(),
            what: "no startxref at end of file",
        })? + tail_start;
        let mut p = Parser::new(self.data, pos + 9, 4);
        let value = p.read_uint()?;
        let eof = self.expect_eof(p.pos)?;
        let off = usize::try_from(value).map_err(|_| PdfError::Xref {
            offset: pos,
            what: "startxref out of range",
        })?;
        Ok((off, eof.0))
    }

    /// After white space at `pos`, expect `%%EOF`; returns the offsets just
    /// after it and after at most one following end-of-line.
    fn expect_eof(&self, mut pos: usize) -> Result<(usize, usize), PdfError> {
        while self.data.get(pos).is_some_and(|&c| is_ws(c)) {
            pos += 1;
        }
        if !self
            .data
            .get(pos..)
            .is_some_and(|r| r.starts_with(b"%%EOF"))
        {
            return Err(PdfError::Xref {
                offset: pos,
                what: "expected %%EOF",
            });
        }
        let eof = pos + 5;
        let end = match (self.data.get(eof), self.data.get(eof + 1)) {
            (Some(b'\r'), Some(b'\n')) => eof + 2,
            (Some(b'\r' | b'\n'), _) => eof + 1,
            _ => eof,
        };
        Ok((eof, end))
    }

    fn read_section(&self, offset: usize) -> Result<Section, PdfError> {
        let mut p = Parser::new(self.data, offset, self.limits.max_depth);
        let (kind, mut entries, trailer, after) = if p.at_keyword(b"xref") {
            p.pos += 4;
            let entries = self.read_xref_table(&mut p)?;
            p.expect_keyword(b"trailer", "expected trailer")?;
            p.skip_ws();
            if !self.data.get(p.pos..).is_some_and(|r| r.starts_with(b"<<")) {
                return Err(PdfError::Xref {
                    offset: p.pos,
                    what: "trailer is not a dictionary",
                });
            }
            let trailer = p.parse_dict(0)?;
            (SectionKind::Table, entries, trailer, p.pos)
        } else {
            let (entries, trailer, after) = self.read_xref_stream(offset)?;
            (SectionKind::Stream, entries, trailer, after)
        };
        let hybrid = kind == SectionKind::Table && trailer.contains(b"XRefStm");
        if hybrid {
            let stm_off = trailer
                .int(b"XRefStm")
                .and_then(|v| usize::try_from(v).ok())
                .ok_or(PdfError::Xref {
                    offset,
                    what: "bad /XRefStm",
                })?;
            let (extra, _, _) = self.read_xref_stream(stm_off)?;
            let mut merged: BTreeMap<u32, Entry> = entries.iter().collect();
            for (num, e) in extra.iter() {
                match merged.get(&num) {
                    None | Some(Entry::Free { .. }) => {
                        merged.insert(num, e);
                    }
                    Some(existing) if *existing == e => {}
                    Some(_) => {
                        return Err(PdfError::Xref {
                            offset: stm_off,
                            what: "hybrid /XRefStm redefines an object of its table",
                        });
                    }
                }
            }
            entries = Entries(merged.into_iter().collect());
        }
        if let Some(size) = trailer.int(b"Size") {
            if size < 0 || size as u64 > self.limits.max_objects {
                return Err(PdfError::LimitExceeded {
                    limit: Limit::Objects,
                    max: self.limits.max_objects,
                });
            }
        } else {
            return Err(PdfError::Xref {
                offset,
                what: "trailer without /Size",
            });
        }
        // `startxref N %%EOF` normally follows.
        let mut q = Parser::new(self.data, after, 4);
        q.skip_ws();
        let (startxref, eof_at, end) = if q.at_keyword(b"startxref") {
            q.pos += 9;
            let v = q.read_uint()?;
            let (eof, end) = self.expect_eof(q.pos)?;
            (Some(v), Some(eof), end)
        } else {
            (None, None, after)
        };
        Ok(Section {
            offset,
            kind,
            entries,
            trailer,
            end,
            eof_at,
            startxref,
            hybrid,
        })
    }

    fn read_xref_table(&self, p: &mut Parser<'_>) -> Result<Entries, PdfError> {
        let table_at = p.pos;
        let mut entries = Vec::new();
        loop {
            p.skip_ws();
            if p.at_keyword(b"trailer") {
                return Entries::new(entries).map_err(|_| PdfError::Xref {
                    offset: table_at,
                    what: "object listed twice in one xref section",
                });
            }
            let sub_at = p.pos;
            let start = p.read_uint()?;
            let count = p.read_uint()?;
            let remaining = self.data.len().saturating_sub(p.pos) as u64;
            // Each entry takes at least 18 bytes; refuse counts the file cannot hold.
            if count.saturating_mul(18) > remaining
                || start.saturating_add(count) > u64::from(u32::MAX)
                || (entries.len() as u64).saturating_add(count) > self.limits.max_objects
            {
                return Err(PdfError::Xref {
                    offset: sub_at,
                    what: "xref subsection larger than the file or the object limit",
                });
            }
            // Bounded by the checks above.
            entries.reserve(usize::try_from(count).unwrap_or(0));
            for i in 0..count {
                // Fast path: the fixed 20-byte entry `oooooooooo ggggg n\r\n`.
                p.skip_ws();
                if let Some((offset, generation, in_use)) = fixed_entry(self.data, p.pos) {
                    let num = u32::try_from(start + i).map_err(|_| PdfError::Xref {
                        offset: p.pos,
                        what: "object number out of range",
                    })?;
                    let entry = if in_use {
                        Entry::InUse { offset, generation }
                    } else {
                        Entry::Free { generation }
                    };
                    p.pos += 18;
                    entries.push((num, entry));
                    continue;
                }
                let off = p.read_uint()?;
                let generation = p.read_uint()?;
                p.skip_ws();
                let num = u32::try_from(start + i).map_err(|_| PdfError::Xref {
                    offset: p.pos,
                    what: "object number out of range",
                })?;
                // MuPDF writes 65536 on the free head; keep any u32.
                let generation = u32::try_from(generation).map_err(|_| PdfError::Xref {
                    offset: p.pos,
                    what: "generation out of range",
                })?;
                let entry = if p.at_keyword(b"n") {
                    let offset = usize::try_from(off).map_err(|_| PdfError::Xref {
                        offset: p.pos,
                        what: "offset out of range",
                    })?;
                    Entry::InUse { offset, generation }
                } else if p.at_keyword(b"f") {
                    Entry::Free { generation }
                } else {
                    return Err(PdfError::Xref {
                        offset: p.pos,
                        what: "xref entry type is neither n nor f",
                    });
                };
                p.pos += 1;
                entries.push((num, entry));
            }
        }
    }

    fn read_xref_stream(&self, offset: usize) -> Result<(Entries, Dict, usize), PdfError> {
        let (num, _gen, loaded, after) = self.parse_indirect_at(offset, 0)?;
        let Object::Dict(dict) = &loaded.value else {
            return Err(PdfError::Xref {
                offset,
                what: "xref offset points to neither a table nor a stream",
            });
        };
        if !dict.is_type(b"XRef") {
            return Err(PdfError::Xref {
                offset,
                what: "stream at xref offset is not /Type /XRef",
            });
        }
        let data = self.stream_data(dict, loaded.stream, num)?;
        let w: Vec<usize> = dict
            .get(b"W")
            .and_then(Object::as_array)
            .map(|a| {
                a.iter()
                    .map(|o| o.as_int().and_then(|v| usize::try_from(v).ok()))
                    .collect::<Option<Vec<_>>>()
            })
            .and_then(|v| v)
            .filter(|v| v.len() == 3 && v.iter().all(|&x| x <= 8))
            .ok_or(PdfError::Xref {
                offset,
                what: "bad /W in xref stream",
            })?;
        let (w0, w1, w2) = match w.as_slice() {
            [a, b, c] => (*a, *b, *c),
            _ => unreachable_w(offset)?,
        };
        let row = w0 + w1 + w2;
        if row == 0 {
            return Err(PdfError::Xref {
                offset,
                what: "empty /W",
            });
        }
        let size = dict.int(b"Size").ok_or(PdfError::Xref {
            offset,
            what: "xref stream without /Size",
        })?;
        let index: Vec<(u64, u64)> = match dict.get(b"Index") {
            None => vec![(0, u64::try_from(size).unwrap_or(0))],
            Some(Object::Array(a)) => {
                let nums: Option<Vec<u64>> = a
                    .iter()
                    .map(|o| o.as_int().and_then(|v| u64::try_from(v).ok()))
                    .collect();
                let nums = nums.filter(|n| n.len() % 2 == 0).ok_or(PdfError::Xref {
                    offset,
                    what: "bad /Index",
                })?;
                nums.chunks(2)
                    .map(|c| {
                        (
                            c.first().copied().unwrap_or(0),
                            c.get(1).copied().unwrap_or(0),
                        )
                    })
                    .collect()
            }
            Some(_) => {
                return Err(PdfError::Xref {
                    offset,
                    what: "bad /Index",
                });
            }
        };
        let total: u64 = index
            .iter()
            .map(|(_, c)| *c)
            .fold(0u64, u64::saturating_add);
        if total.saturating_mul(row as u64) > data.len() as u64 || total > self.limits.max_objects {
            return Err(PdfError::Xref {
                offset,
                what: "xref stream shorter than its /Index says",
            });
        }
        let mut entries = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
        let mut rows = data.chunks_exact(row);
        for (start, count) in index {
            for i in 0..count {
                let Some(r) = rows.next() else {
                    return Err(PdfError::Xref {
                        offset,
                        what: "xref stream too short",
                    });
                };
                let field = |from: usize, width: usize| -> u64 {
                    r.get(from..from + width)
                        .unwrap_or_default()
                        .iter()
                        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
                };
                let t = if w0 == 0 { 1 } else { field(0, w0) };
                let f2 = field(w0, w1);
                let f3 = field(w0 + w1, w2);
                let num = u32::try_from(start.saturating_add(i)).map_err(|_| PdfError::Xref {
                    offset,
                    what: "object number out of range",
                })?;
                let out_of_range = || PdfError::Xref {
                    offset,
                    what: "xref stream field out of range",
                };
                let entry = match t {
                    0 => Entry::Free {
                        generation: u32::try_from(f3).map_err(|_| out_of_range())?,
                    },
                    1 => Entry::InUse {
                        offset: usize::try_from(f2).map_err(|_| out_of_range())?,
                        generation: if w2 == 0 {
                            0
                        } else {
                            u32::try_from(f3).map_err(|_| out_of_range())?
                        },
                    },
                    2 => Entry::Compressed {
                        stream: u32::try_from(f2).map_err(|_| out_of_range())?,
                        index: u32::try_from(f3).map_err(|_| out_of_range())?,
                    },
                    // Unknown types are references to the null object (§7.5.8.3).
                    _ => continue,
                };
                entries.push((num, entry));
            }
        }
        let entries = Entries::new(entries).map_err(|_| PdfError::Xref {
            offset,
            what: "object listed twice in one xref stream",
        })?;
        Ok((entries, dict.clone(), after))
    }

    /// Parse `N G obj … endobj` at `offset`. Returns the header numbers, the
    /// object and the offset after `endobj`.
    pub(crate) fn parse_indirect_at(
        &self,
        offset: usize,
        depth: usize,
    ) -> Result<(u32, u32, Loaded, usize), PdfError> {
        let (num, generation, mut p) = self.object_header(offset)?;
        let value = p.parse_object()?;
        let dict = value.as_dict();
        let (stream, after) = self.object_tail(
            p,
            offset,
            num,
            dict.is_some(),
            dict.and_then(|d| d.get(b"Length")),
            depth,
        )?;
        Ok((
            num,
            generation,
            Loaded {
                value,
                stream,
                offset: Some(offset),
            },
            after,
        ))
    }

    /// Check `N G obj … endobj` at `offset` exactly as
    /// [`Document::parse_indirect_at`] does, without building the object;
    /// the object numbers it refers to are appended to `refs`. Returns the
    /// header numbers and the offset after `endobj`.
    pub(crate) fn skim_indirect_at(
        &self,
        offset: usize,
        refs: &mut Vec<u32>,
        keys: &mut Vec<std::borrow::Cow<'a, [u8]>>,
    ) -> Result<(u32, u32, usize), PdfError> {
        let (num, generation, mut p) = self.object_header(offset)?;
        let top = p.skim_object(refs, keys)?;
        let (_, after) = self.object_tail(p, offset, num, top.dict, top.length.as_ref(), 0)?;
        Ok((num, generation, after))
    }

    /// `N G obj` at `offset`: the numbers and a parser after `obj`.
    fn object_header(&self, offset: usize) -> Result<(u32, u32, Parser<'a>), PdfError> {
        header_at(self.data, self.limits.max_depth, offset)
    }

    /// After the object value: an optional stream (checked against its
    /// `/Length`, resolved here when it is a reference), then `endobj`.
    /// Returns the stream's data span and the offset after `endobj`.
    fn object_tail(
        &self,
        p: Parser<'a>,
        offset: usize,
        num: u32,
        is_dict: bool,
        length: Option<&Object>,
        depth: usize,
    ) -> Result<(Option<(usize, usize)>, usize), PdfError> {
        tail_at(self.data, p, offset, num, is_dict, length, |r| {
            self.resolve_at_depth(&Object::Ref(r), self.data.len(), depth + 1)
        })
    }

    /// Decoded data of a stream object.
    pub(crate) fn stream_data(
        &self,
        dict: &Dict,
        raw: Option<(usize, usize)>,
        _num: u32,
    ) -> Result<Vec<u8>, PdfError> {
        let out = decode_within(self.data, dict, raw, &self.limits, self.decompressed.get())?;
        self.decompressed
            .set(self.decompressed.get() + out.len() as u64);
        Ok(out)
    }

    /// The entry for object `num` as seen by the revision ending at `end`.
    pub(crate) fn lookup(&self, num: u32, end: usize) -> Option<(usize, Entry)> {
        if let Some(seen) = self.looked_up.borrow_mut().as_mut() {
            seen.insert(num);
        }
        let in_section = |i: usize| {
            let s = self.sections.get(i)?;
            (s.end <= end).then(|| s.entries.get(num)).flatten()
        };
        if self.sections.len() <= FEW_SECTIONS {
            return (0..self.sections.len()).find_map(|i| in_section(i).map(|e| (i, e)));
        }
        // Many sections: search only those that list `num`, so that a
        // lookup does not grow with the number of revisions.
        let listing = self.listing.get_or_init(|| {
            let mut by_num: HashMap<u32, Vec<usize>> = HashMap::new();
            for (i, s) in self.sections.iter().enumerate() {
                for (n, _) in s.entries.iter() {
                    by_num.entry(n).or_default().push(i);
                }
            }
            by_num
        });
        listing
            .get(&num)?
            .iter()
            .find_map(|&i| in_section(i).map(|e| (i, e)))
    }

    /// Run `f`, and return with its result every object number it looked
    /// up (whatever it loaded, directly or through references, object
    /// streams and `/Length`s). Not reentrant: `f` must not record too.
    pub(crate) fn recording<T>(&self, f: impl FnOnce() -> T) -> (T, HashSet<u32>) {
        *self.looked_up.borrow_mut() = Some(HashSet::new());
        let out = f();
        let seen = self.looked_up.borrow_mut().take().unwrap_or_default();
        (out, seen)
    }

    /// Whether a section that the revision ending at `end` sees and the
    /// one ending at `earlier` does not lists any of `nums`: if none does,
    /// every object among `nums` reads the same in both.
    pub(crate) fn changes_any(&self, earlier: usize, end: usize, nums: &HashSet<u32>) -> bool {
        self.sections
            .iter()
            .filter(|s| s.end > earlier && s.end <= end)
            .any(|s| s.entries.iter().any(|(n, _)| nums.contains(&n)))
    }

    /// The trailer of the newest section within `end`.
    pub(crate) fn trailer(&self, end: usize) -> Option<&Dict> {
        self.sections
            .iter()
            .find(|s| s.end <= end)
            .map(|s| &s.trailer)
    }

    /// Load object `r` as seen by the revision ending at `end`.
    /// `Ok(None)` means free or absent (the null object).
    pub(crate) fn get(&self, r: Ref, end: usize) -> Result<Option<Loaded>, PdfError> {
        self.get_at_depth(r, end, 0)
    }

    fn get_at_depth(&self, r: Ref, end: usize, depth: usize) -> Result<Option<Loaded>, PdfError> {
        if depth > self.limits.max_ref_chain {
            return Err(PdfError::LimitExceeded {
                limit: Limit::ReferenceChain,
                max: self.limits.max_ref_chain as u64,
            });
        }
        match self.lookup(r.num, end) {
            None | Some((_, Entry::Free { .. })) => Ok(None),
            Some((_, Entry::InUse { offset, generation })) => {
                if generation != r.generation {
                    return Ok(None);
                }
                let (n, g, loaded, _) = self.parse_indirect_at(offset, depth)?;
                if n != r.num || g != generation {
                    return Err(PdfError::ObjectMismatch {
                        offset,
                        num: r.num,
                        generation,
                        found_num: n,
                        found_gen: g,
                    });
                }
                Ok(Some(loaded))
            }
            Some((_, Entry::Compressed { stream, index })) => {
                if r.generation != 0 {
                    return Ok(None);
                }
                let (stm, pos) = self.compressed_at(r.num, stream, index, end, depth)?;
                let mut p = Parser::new(&stm.data, pos, self.limits.max_depth);
                let value = p.parse_object()?;
                Ok(Some(Loaded {
                    value,
                    stream: None,
                    offset: None,
                }))
            }
        }
    }

    /// The object stream holding object `num` at `index`, and where the
    /// object starts in its decoded data.
    fn compressed_at(
        &self,
        num: u32,
        stream: u32,
        index: u32,
        end: usize,
        depth: usize,
    ) -> Result<(Arc<ObjStm>, usize), PdfError> {
        let stm = self.objstm(stream, end, depth)?;
        let pos = stm.object_at(num, index)?;
        Ok((stm, pos))
    }

    fn objstm(&self, num: u32, end: usize, depth: usize) -> Result<Arc<ObjStm>, PdfError> {
        let source = match self.objstm_source(num, end, depth)? {
            Ok(decoded) => return Ok(decoded),
            Err(source) => source,
        };
        let stm = Arc::new(source.decode(self.data, &self.limits, self.decompressed.get())?);
        self.decompressed
            .set(self.decompressed.get() + stm.data.len() as u64);
        self.objstms
            .borrow_mut()
            .insert(source.offset, Arc::clone(&stm));
        Ok(stm)
    }

    /// Object stream `num` as the revision ending at `end` shows it:
    /// decoded already (`Ok`), or found and checked but not decoded yet
    /// (`Err`: what any thread needs to decode it).
    fn objstm_source(
        &self,
        num: u32,
        end: usize,
        depth: usize,
    ) -> Result<Result<Arc<ObjStm>, StmSource>, PdfError> {
        // An object stream must itself be an uncompressed object.
        let offset = match self.lookup(num, end) {
            Some((_, Entry::InUse { offset, .. })) => offset,
            _ => {
                return Err(PdfError::Xref {
                    offset: 0,
                    what: "object stream is not a plain in-use object",
                });
            }
        };
        // By the body's offset, not the number: a later revision may
        // redefine the stream, and each revision must read its own.
        if let Some(s) = self.objstms.borrow().get(&offset) {
            return Ok(Ok(Arc::clone(s)));
        }
        let (n, _, loaded, _) = self.parse_indirect_at(offset, depth)?;
        let Object::Dict(dict) = loaded.value else {
            return Err(PdfError::Decode);
        };
        if n != num || !dict.is_type(b"ObjStm") {
            return Err(PdfError::Xref {
                offset,
                what: "not an object stream",
            });
        }
        Ok(Err(StmSource {
            offset,
            dict,
            raw: loaded.stream,
        }))
    }

    /// Follow references until a direct object; null for free objects.
    pub(crate) fn resolve(&self, obj: &Object, end: usize) -> Result<Object, PdfError> {
        self.resolve_at_depth(obj, end, 0)
    }

    fn resolve_at_depth(&self, obj: &Object, end: usize, depth: usize) -> Result<Object, PdfError> {
        let mut cur = obj.clone();
        let mut d = depth;
        while let Object::Ref(r) = cur {
            d += 1;
            if d > self.limits.max_ref_chain {
                return Err(PdfError::LimitExceeded {
                    limit: Limit::ReferenceChain,
                    max: self.limits.max_ref_chain as u64,
                });
            }
            cur = match self.get_at_depth(r, end, d)? {
                Some(l) => l.value,
                None => Object::Null,
            };
        }
        Ok(cur)
    }

    /// Resolve and require a dictionary.
    pub(crate) fn resolve_dict(&self, obj: &Object, end: usize) -> Result<Option<Dict>, PdfError> {
        match self.resolve(obj, end)? {
            Object::Dict(d) => Ok(Some(d)),
            _ => Ok(None),
        }
    }

    /// The next free object number: one past the largest number any section
    /// lists or declares in `/Size`.
    pub(crate) fn next_object_number(&self) -> u32 {
        let mut max = 0u64;
        for s in &self.sections {
            if let Some(size) = s.trailer.int(b"Size").and_then(|v| u64::try_from(v).ok()) {
                max = max.max(size);
            }
            if let Some(last) = s.entries.last_num() {
                max = max.max(u64::from(last) + 1);
            }
        }
        u32::try_from(max).unwrap_or(u32::MAX)
    }

    /// Walk every object body the sections within `end` list: which
    /// references dangle and which bytes are covered. Objects are checked
    /// with the parser's skim mode (the same grammar, nothing built), so
    /// the cost is one pass over the bytes. Memoized per revision; to split
    /// the pass between threads, use [`Document::scan_job`] and
    /// [`Document::finish_scan`] instead.
    pub(crate) fn scan(&self, end: usize) -> Result<Rc<Scan>, PdfError> {
        if let Some(s) = self.scans.borrow().get(&end) {
            return Ok(Rc::clone(s));
        }
        let job = self.scan_job(end);
        let part = job.run();
        Ok(self.finish_scan(job, [part]))
    }

    /// The scan of revision `end`, when it is not done yet, as a job that
    /// threads can share (see [`ScanJob::run`]).
    pub(crate) fn scan_job(&self, end: usize) -> ScanJob<'_> {
        // Sections the revision sees, newest first (as `lookup` searches).
        let visible: Vec<&Section> = self.sections.iter().filter(|s| s.end <= end).collect();
        let mut chunks = Vec::new();
        for (i, s) in visible.iter().enumerate() {
            let n = s.entries.len();
            chunks.extend(
                (0..n)
                    .step_by(SCAN_CHUNK)
                    .map(|k| (i, k, (k + SCAN_CHUNK).min(n))),
            );
        }
        let done = self.scans.borrow().contains_key(&end);
        let defined = Defined::new(&visible);
        let (streams, compressed) = if done {
            (Vec::new(), Vec::new())
        } else {
            self.compressed_to_skim(&visible, &defined, end)
        };
        // A chunk of compressed objects takes them from one stream only, so
        // that the streams are decoded by whichever thread comes first.
        let mut k = 0;
        while let Some(first) = compressed.get(k) {
            let mut to = k + 1;
            while to - k < SCAN_CHUNK
                && compressed.get(to).is_some_and(|c| c.stream == first.stream)
            {
                to += 1;
            }
            chunks.push((COMPRESSED, k, to));
            k = to;
        }
        let used = self.decompressed.get();
        ScanJob {
            data: self.data,
            max_depth: self.limits.max_depth,
            limits: self.limits,
            used_before: used,
            used: AtomicU64::new(used),
            end,
            defined,
            visible,
            chunks,
            streams,
            compressed,
            next: AtomicUsize::new(0),
            done,
        }
    }

    /// The compressed objects a scan of revision `end` skims (the version
    /// of each that the revision shows), stream by stream, with their
    /// streams found and checked here, on the thread that owns the
    /// document, so that any thread can decode and skim them. An object
    /// whose stream is not a readable object stream is left out: a skim of
    /// it would fail, and a failed skim finds nothing.
    fn compressed_to_skim(
        &self,
        visible: &[&Section],
        defined: &Defined,
        end: usize,
    ) -> (Vec<JobStm>, Vec<InStream>) {
        let mut wanted = Vec::new();
        for (i, s) in visible.iter().enumerate() {
            for (num, e) in s.entries.iter() {
                if let Entry::Compressed { stream, index } = e
                    && defined.newest(num, visible) == Some(i)
                {
                    wanted.push((stream, index, num));
                }
            }
        }
        wanted.sort_unstable();
        let mut streams = Vec::new();
        let mut compressed = Vec::with_capacity(wanted.len());
        for group in wanted.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(stream, ..)) = group.first() else {
                continue;
            };
            let stm = match self.objstm_source(stream, end, 0) {
                Ok(Ok(decoded)) => JobStm {
                    source: None,
                    decoded: OnceLock::from(Some(decoded)),
                },
                Ok(Err(source)) => JobStm {
                    source: Some(source),
                    decoded: OnceLock::new(),
                },
                Err(_) => continue,
            };
            let slot = u32::try_from(streams.len()).unwrap_or(u32::MAX);
            streams.push(stm);
            compressed.extend(group.iter().map(|&(_, index, num)| InStream {
                stream: slot,
                index,
                num,
            }));
        }
        (streams, compressed)
    }

    /// Skim the objects a run of `job` left in `part` because they need the
    /// document (a `/Length` by reference). The thread that owns the
    /// document calls this on its own part as soon as its run ends, while
    /// another thread may still be hashing.
    pub(crate) fn skim_deferred(&self, job: &ScanJob<'_>, part: &mut ScanPart) {
        if part.deferred.is_empty() {
            return;
        }
        let mut covered = Vec::new();
        let mut refs = Vec::new();
        let mut keys = Vec::new();
        for Deferred { offset, current } in std::mem::take(&mut part.deferred) {
            refs.clear();
            match self.skim_indirect_at(offset, &mut refs, &mut keys) {
                Ok((_, _, after)) => covered.push((offset, after)),
                Err(_) => refs.clear(),
            }
            if current {
                job.note_dangling(&refs, &mut part.dangling);
            }
        }
        // After every chunk: the merge sorts what is out of order.
        part.covered.push((usize::MAX, covered));
    }

    /// Complete `job` with what its runs returned (skimming what they left
    /// to the document) and memoize the result.
    pub(crate) fn finish_scan(
        &self,
        job: ScanJob<'_>,
        parts: impl IntoIterator<Item = ScanPart>,
    ) -> Rc<Scan> {
        if let Some(s) = self.scans.borrow().get(&job.end) {
            return Rc::clone(s);
        }
        // The object streams the job decoded serve later lookups too.
        for s in &job.streams {
            if let (Some(source), Some(Some(stm))) = (&s.source, s.decoded.get()) {
                self.objstms
                    .borrow_mut()
                    .entry(source.offset)
                    .or_insert_with(|| Arc::clone(stm));
            }
        }
        let decoded = job
            .used
            .load(Ordering::Relaxed)
            .saturating_sub(job.used_before);
        self.decompressed
            .set(self.decompressed.get().saturating_add(decoded));
        let mut chunks = Vec::with_capacity(job.chunks.len() + 2);
        let mut dangling = HashSet::new();
        for mut p in parts {
            self.skim_deferred(&job, &mut p);
            chunks.extend(p.covered);
            dangling.extend(p.dangling);
        }
        // Chunks in job order: object order within each section, so that a
        // one-section file needs no sort.
        chunks.sort_by_key(|&(i, _)| i);
        let listed: usize = job.visible.iter().map(|s| s.entries.len() + 1).sum();
        let mut covered = Vec::with_capacity(listed);
        for (_, c) in chunks {
            covered.extend(c);
        }
        covered.extend(job.visible.iter().map(|s| (s.offset, s.end)));
        if !covered.is_sorted() {
            // Sorted runs (one per section) merge in linear time.
            covered.sort();
        }
        let scan = Rc::new(Scan { dangling, covered });
        self.scans.borrow_mut().insert(job.end, Rc::clone(&scan));
        scan
    }

    /// The objects of the revision ending at `end` that refer to any of
    /// `targets`: for each target referred to, the numbers of the objects
    /// (the version of each that the revision shows) whose value or stream
    /// dictionary names it. Every object is skimmed once, so this costs a
    /// pass over the revision: the change analysis calls it only for the
    /// rare updates that rewrite an object in place and must show that
    /// nothing else uses it. An object that does not read is an error: it
    /// might refer to anything.
    pub(crate) fn referrers(
        &self,
        end: usize,
        targets: &HashSet<u32>,
    ) -> Result<HashMap<u32, HashSet<u32>>, PdfError> {
        let mut out: HashMap<u32, HashSet<u32>> = HashMap::new();
        let mut seen: HashSet<u32> = HashSet::new();
        let mut refs = Vec::new();
        let mut keys = Vec::new();
        // Newest first, as `lookup` searches: the first listing wins.
        for s in self.sections.iter().filter(|s| s.end <= end) {
            for (num, e) in s.entries.iter() {
                if !seen.insert(num) {
                    continue;
                }
                refs.clear();
                match e {
                    Entry::Free { .. } => continue,
                    Entry::InUse { offset, .. } => {
                        self.skim_indirect_at(offset, &mut refs, &mut keys)?;
                    }
                    Entry::Compressed { stream, index } => {
                        let (stm, pos) = self.compressed_at(num, stream, index, end, 0)?;
                        Parser::new(&stm.data, pos, self.limits.max_depth)
                            .skim_object(&mut refs, &mut Vec::new())?;
                    }
                }
                for r in refs.iter().filter(|r| targets.contains(r)) {
                    out.entry(*r).or_default().insert(num);
                }
            }
        }
        Ok(out)
    }

    /// Section ends in file order: the revision boundaries.
    pub(crate) fn revision_ends(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .sections
            .iter()
            .filter(|s| s.eof_at.is_some())
            .map(|s| s.end)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// `N G obj` at `offset` of `data`: the numbers and a parser after `obj`.
#[inline]
fn header_at(
    data: &[u8],
    max_depth: usize,
    offset: usize,
) -> Result<(u32, u32, Parser<'_>), PdfError> {
    if offset >= data.len() {
        return Err(PdfError::Xref {
            offset,
            what: "object offset past end of file",
        });
    }
    if let Some((num, generation, after)) = plain_header(data, offset) {
        return Ok((num, generation, Parser::new(data, after, max_depth)));
    }
    header_tokens(data, max_depth, offset)
}

/// [`header_at`] by the tokenizer, for every shape of header.
fn header_tokens(
    data: &[u8],
    max_depth: usize,
    offset: usize,
) -> Result<(u32, u32, Parser<'_>), PdfError> {
    let mut p = Parser::new(data, offset, max_depth);
    let bad_header = PdfError::Syntax {
        offset,
        what: "expected object header `N G obj`",
    };
    if p.peek().is_some_and(is_ws) {
        // An offset must point at the object number itself.
        return Err(bad_header);
    }
    let num = p.read_uint().map_err(|_| bad_header.clone())?;
    let generation = p.read_uint()?;
    p.expect_keyword(b"obj", "expected `obj`")?;
    let num = u32::try_from(num).map_err(|_| bad_header.clone())?;
    let generation = u32::try_from(generation).map_err(|_| bad_header)?;
    Ok((num, generation, p))
}

/// The common shape of an object header, `N G obj` with single spaces and
/// short numbers, read in line: the numbers and the offset after `obj`.
/// `None` for anything else, which [`header_at`] reads with the tokenizer.
#[inline(always)]
fn plain_header(data: &[u8], offset: usize) -> Option<(u32, u32, usize)> {
    let rest = data.get(offset..)?;
    let digits = |from: usize| {
        let n = rest
            .get(from..)?
            .iter()
            .take(10)
            .take_while(|c| c.is_ascii_digit())
            .count();
        // Nine digits always fit a u32.
        (n > 0 && n <= 9).then_some(n)
    };
    let value = |d: &[u8]| d.iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'));
    let n = digits(0)?;
    if rest.get(n) != Some(&b' ') {
        return None;
    }
    let g = digits(n + 1)?;
    let kw = n + 1 + g;
    match rest.get(kw..kw + 5) {
        Some([b' ', b'o', b'b', b'j', after]) if !super::parse::is_regular(*after) => {}
        _ => return None,
    }
    Some((
        value(rest.get(..n)?),
        value(rest.get(n + 1..kw)?),
        offset + kw + 4,
    ))
}

/// After the value of object `num` (at `offset`): an optional stream, checked
/// against its `/Length` (`resolve` reads a length given by reference), then
/// `endobj`. Returns the stream's data span and the offset after `endobj`.
fn tail_at<'a>(
    data: &'a [u8],
    mut p: Parser<'a>,
    offset: usize,
    num: u32,
    is_dict: bool,
    length: Option<&Object>,
    resolve: impl FnOnce(Ref) -> Result<Object, PdfError>,
) -> Result<(Option<(usize, usize)>, usize), PdfError> {
    p.skip_ws();
    let mut stream = None;
    if p.at_keyword(b"stream") {
        if !is_dict {
            return Err(PdfError::Syntax {
                offset: p.pos,
                what: "stream without dictionary",
            });
        }
        p.pos += 6;
        match data.get(p.pos..p.pos + 2) {
            Some([b'\r', b'\n']) => p.pos += 2,
            Some([b'\n', ..]) => p.pos += 1,
            _ => {
                return Err(PdfError::Syntax {
                    offset: p.pos,
                    what: "`stream` not followed by CRLF or LF",
                });
            }
        }
        let start = p.pos;
        let len = match length {
            Some(Object::Int(n)) => *n,
            Some(Object::Ref(r)) => {
                if r.num == num {
                    return Err(PdfError::Syntax {
                        offset,
                        what: "stream /Length refers to the stream itself",
                    });
                }
                resolve(*r)?.as_int().ok_or(PdfError::Syntax {
                    offset,
                    what: "stream /Length is not an integer",
                })?
            }
            _ => {
                return Err(PdfError::Syntax {
                    offset,
                    what: "stream without /Length",
                });
            }
        };
        let len = usize::try_from(len).map_err(|_| PdfError::Syntax {
            offset,
            what: "negative stream /Length",
        })?;
        let end = start
            .checked_add(len)
            .filter(|&e| e <= data.len())
            .ok_or(PdfError::Syntax {
                offset,
                what: "stream /Length runs past end of file",
            })?;
        p.pos = end;
        p.skip_ws();
        if !p.at_keyword(b"endstream") {
            return Err(PdfError::Syntax {
                offset: end,
                what: "wrong stream /Length: no endstream after the data",
            });
        }
        p.pos += 9;
        stream = Some((start, len));
    }
    p.expect_keyword(b"endobj", "expected `endobj`")?;
    Ok((stream, p.pos))
}

/// Entries per chunk of a [`ScanJob`]: small enough to share the work
/// evenly between threads, large enough that taking one costs nothing.
const SCAN_CHUNK: usize = 256;

/// The scan of one revision ([`Document::scan`]) in chunks that threads
/// take in turn. It reads only the bytes, the sections and the object
/// streams found when it was made (each decoded by the first thread that
/// needs it), so threads can share it; what needs the document's caches is
/// left to [`Document::skim_deferred`] (called by the thread that owns the
/// document, or by [`Document::finish_scan`]).
pub(crate) struct ScanJob<'d> {
    data: &'d [u8],
    max_depth: usize,
    limits: Limits,
    /// The document's total of decoded bytes when the job was made, and
    /// that total with what the job's threads decoded since.
    used_before: u64,
    used: AtomicU64,
    end: usize,
    /// Sections the revision sees, newest first.
    visible: Vec<&'d Section>,
    defined: Defined,
    /// (section in `visible`, first entry, entry after the last), or
    /// ([`COMPRESSED`], first and after the last of `compressed`).
    chunks: Vec<(usize, usize, usize)>,
    /// The object streams that `compressed` refers to.
    streams: Vec<JobStm>,
    /// Compressed objects to skim.
    compressed: Vec<InStream>,
    next: AtomicUsize,
    /// The document has this scan already: runs have nothing to do.
    done: bool,
}

/// What one [`ScanJob::run`] found.
#[derive(Debug, Default)]
pub(crate) struct ScanPart {
    /// Object spans per chunk taken, by chunk index (neighbours separated
    /// only by white space and comments joined into one span).
    covered: Vec<(usize, Vec<(usize, usize)>)>,
    dangling: HashSet<u32>,
    deferred: Vec<Deferred>,
}

/// An object that only the document can skim: its `/Length` is a
/// reference. `current`: the version of it that the revision shows.
#[derive(Debug)]
struct Deferred {
    offset: usize,
    current: bool,
}

/// An object stream of a [`ScanJob`]: decoded once, by the first thread
/// that needs it (`None` when it does not decode).
#[derive(Debug)]
struct JobStm {
    /// What to decode, unless the document had it decoded already.
    source: Option<StmSource>,
    decoded: OnceLock<Option<Arc<ObjStm>>>,
}

/// A compressed object for a [`ScanJob`] to skim.
#[derive(Debug, Clone, Copy)]
struct InStream {
    /// Its stream's index in [`ScanJob::streams`].
    stream: u32,
    /// Its index in the stream.
    index: u32,
    num: u32,
}

/// The section index of a [`ScanJob`] chunk of compressed objects.
const COMPRESSED: usize = usize::MAX;

impl ScanJob<'_> {
    /// Take chunks until none is left. Any number of threads may run this
    /// at once; each chunk is taken by exactly one.
    pub(crate) fn run(&self) -> ScanPart {
        let mut part = ScanPart::default();
        if self.done {
            return part;
        }
        let mut scratch = (Vec::new(), Vec::new());
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.chunks.len() {
                return part;
            }
            self.run_chunk(i, &mut part, &mut scratch);
        }
    }

    /// How many chunks the job has.
    pub(crate) fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Skim the objects of chunk `i` into `part`. `scratch` is reused
    /// buffers (references, dictionary keys).
    pub(crate) fn run_chunk<'d>(
        &'d self,
        i: usize,
        part: &mut ScanPart,
        scratch: &mut (Vec<u32>, Vec<std::borrow::Cow<'d, [u8]>>),
    ) {
        let (refs, keys) = scratch;
        let Some(&(si, from, to)) = self.chunks.get(i) else {
            return;
        };
        if si == COMPRESSED {
            for &InStream { stream, index, num } in
                self.compressed.get(from..to).unwrap_or_default()
            {
                refs.clear();
                let Some(stm) = self.stream(stream) else {
                    continue;
                };
                let skimmed = stm.object_at(num, index).and_then(|pos| {
                    Parser::new(&stm.data, pos, self.max_depth).skim_object(refs, keys)
                });
                if skimmed.is_ok() {
                    self.note_dangling(refs, &mut part.dangling);
                }
            }
            return;
        }
        let Some(section) = self.visible.get(si) else {
            return;
        };
        let mut covered = Vec::with_capacity(to - from);
        for &(num, e) in section.entries.as_slice().get(from..to).unwrap_or_default() {
            // Only the version of each object that the revision shows has
            // its references checked.
            let current = || self.defined.newest(num, &self.visible) == Some(si);
            refs.clear();
            if let Entry::InUse { offset, .. } = e
                && offset < self.end
            {
                match skim_plain(self.data, self.max_depth, offset, refs, keys) {
                    Ok(Some(after)) => cover(&mut covered, self.data, offset, after),
                    Ok(None) => {
                        part.deferred.push(Deferred {
                            offset,
                            current: current(),
                        });
                        continue;
                    }
                    Err(_) => refs.clear(),
                }
                if !refs.is_empty() && current() {
                    self.note_dangling(refs, &mut part.dangling);
                }
            }
        }
        part.covered.push((i, covered));
    }

    /// Object stream `slot`, decoded on first use. The document's limit on
    /// the total of decoded bytes holds for the job as a whole: a thread
    /// reserves what a stream may take before decoding it and gives back
    /// what it did not use.
    fn stream(&self, slot: u32) -> Option<&ObjStm> {
        let s = self.streams.get(slot as usize)?;
        s.decoded
            .get_or_init(|| {
                let source = s.source.as_ref()?;
                let (per_stream, total) = (
                    self.limits.max_decompressed_stream,
                    self.limits.max_decompressed_total,
                );
                let grant = |used: u64| per_stream.min(total.saturating_sub(used));
                let before = self
                    .used
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |u| {
                        Some(u.saturating_add(grant(u)))
                    })
                    .unwrap_or_else(|u| u);
                let granted = grant(before);
                // Decoded as if only `granted` bytes of the total were left.
                let stm = source.decode(self.data, &self.limits, total - granted);
                let took = stm.as_ref().map_or(0, |s| s.data.len() as u64);
                self.used
                    .fetch_sub(granted.saturating_sub(took), Ordering::Relaxed);
                Some(Arc::new(stm.ok()?))
            })
            .as_deref()
    }

    fn note_dangling(&self, refs: &[u32], dangling: &mut HashSet<u32>) {
        for &n in refs {
            if !self.defined.contains(n, &self.visible) {
                dangling.insert(n);
            }
        }
    }
}

/// Add the span `from..to` to `covered`, joined to the last one when only
/// white space and comments lie between them: the audit looks only at what
/// lies between spans, and most of a file is objects separated by line ends.
fn cover(covered: &mut Vec<(usize, usize)>, data: &[u8], from: usize, to: usize) {
    if let Some(last) = covered.last_mut()
        && last.1 <= from
        && data
            .get(last.1..from)
            .is_some_and(|gap| content_bytes(gap) == 0)
    {
        last.1 = last.1.max(to);
        return;
    }
    covered.push((from, to));
}

/// How many bytes of `gap` are neither white space nor in a comment.
pub(crate) fn content_bytes(gap: &[u8]) -> usize {
    let mut i = 0usize;
    let mut content = 0usize;
    while let Some(&c) = gap.get(i) {
        if c == b'%' {
            while gap.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                i += 1;
            }
        } else {
            if !is_ws(c) {
                content += 1;
            }
            i += 1;
        }
    }
    content
}

/// Skim `N G obj … endobj` at `offset` as [`Document::skim_indirect_at`]
/// does, from the bytes alone: `Ok(None)` when the object's `/Length` is a
/// reference, which only the document can resolve.
fn skim_plain<'a>(
    data: &'a [u8],
    max_depth: usize,
    offset: usize,
    refs: &mut Vec<u32>,
    keys: &mut Vec<std::borrow::Cow<'a, [u8]>>,
) -> Result<Option<usize>, PdfError> {
    let (num, _, mut p) = header_at(data, max_depth, offset)?;
    let top = p.skim_object(refs, keys)?;
    if let Some(Object::Ref(_)) = top.length {
        return Ok(None);
    }
    let (_, after) = tail_at(data, p, offset, num, top.dict, top.length.as_ref(), |_| {
        // Not reached: a length by reference returned above.
        Err(PdfError::Syntax {
            offset,
            what: "stream /Length by reference",
        })
    })?;
    Ok(Some(after))
}

/// For each object number of a revision: the newest section that lists it,
/// and whether that section defines it (in use or compressed). A table
/// when the numbers are dense, as in every real file; otherwise (a hostile,
/// sparse numbering) a search of the sections per question.
struct Defined(Option<Vec<u32>>);

impl Defined {
    fn new(visible: &[&Section]) -> Self {
        let listed: usize = visible.iter().map(|s| s.entries.len()).sum();
        let max = visible.iter().filter_map(|s| s.entries.last_num()).max();
        let Some(len) = max.and_then(|m| usize::try_from(m).ok()).map(|m| m + 1) else {
            return Defined(Some(Vec::new()));
        };
        if len > listed.saturating_mul(8).saturating_add(4096) {
            return Defined(None);
        }
        // 0: not listed; otherwise (index in `visible` + 1) << 1, with the
        // low bit set when that section defines the object.
        let mut map = vec![0u32; len];
        // Oldest first, so newer sections override.
        for (i, s) in visible.iter().enumerate().rev() {
            let newest = u32::try_from(i + 1).unwrap_or(u32::MAX >> 1) << 1;
            for (num, e) in s.entries.iter() {
                if let Some(slot) = map.get_mut(num as usize) {
                    *slot = newest | u32::from(!matches!(e, Entry::Free { .. }));
                }
            }
        }
        Defined(Some(map))
    }

    fn contains(&self, num: u32, visible: &[&Section]) -> bool {
        match &self.0 {
            Some(map) => map.get(num as usize).is_some_and(|v| v & 1 == 1),
            None => visible
                .iter()
                .find_map(|s| s.entries.get(num))
                .is_some_and(|e| !matches!(e, Entry::Free { .. })),
        }
    }

    /// The index in `visible` of the newest section that lists `num`.
    fn newest(&self, num: u32, visible: &[&Section]) -> Option<usize> {
        match &self.0 {
            Some(map) => {
                let v = *map.get(num as usize)?;
                usize::try_from(v >> 1).ok()?.checked_sub(1)
            }
            None => visible.iter().position(|s| s.entries.get(num).is_some()),
        }
    }
}

/// Parse `oooooooooo ggggg n` (or `f`) at `pos` when it has exactly that
/// shape and is followed by white space; `None` sends the caller to the
/// general tokenizer.
fn fixed_entry(data: &[u8], pos: usize) -> Option<(usize, u32, bool)> {
    let e: &[u8; 19] = data.get(pos..pos + 19)?.try_into().ok()?;
    if e[10] != b' ' || e[16] != b' ' || !is_ws(e[18]) {
        return None;
    }
    let high = e[..2].iter().try_fold(0u64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u64::from(c - b'0'))
    })?;
    let low = eight_digits(e[2..10].try_into().ok()?)?;
    let offset = usize::try_from(high * 100_000_000 + u64::from(low)).ok()?;
    let generation = e[11..16].iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })?;
    match e[17] {
        b'n' => Some((offset, generation, true)),
        b'f' => Some((offset, generation, false)),
        _ => None,
    }
}

/// The value of eight ASCII digits, or `None` if one is not a digit: the
/// eight bytes as one word, combined in pairs, quads and halves (a table
/// of tens of thousands of offsets is read this way in a fraction of the
/// time a digit-by-digit loop takes).
fn eight_digits(b: [u8; 8]) -> Option<u32> {
    const ZEROS: u64 = u64::from_le_bytes([b'0'; 8]);
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let v = u64::from_le_bytes(b);
    // Every byte is 0x30..=0x39: its high nibble is 3, also after adding 6.
    if v & HIGH != ZEROS || v.wrapping_add(0x0606_0606_0606_0606) & HIGH != ZEROS {
        return None;
    }
    let mut x = v - ZEROS;
    x = (x * 10 + (x >> 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x * 100 + (x >> 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x * 10_000 + (x >> 32)) & 0xFFFF_FFFF;
    u32::try_from(x).ok()
}

fn unreachable_w(offset: usize) -> Result<(usize, usize, usize), PdfError> {
    Err(PdfError::Xref {
        offset,
        what: "bad /W in xref stream",
    })
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The word-at-a-time digit reader agrees with a digit-by-digit one
        /// on any eight bytes, digits or not.
        #[test]
        fn eight_digits_agrees_with_a_loop(
            b in proptest::array::uniform8(proptest::prop_oneof![b'0'..=b'9', proptest::prelude::any::<u8>()]),
        ) {
            let naive = b.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            });
            proptest::prop_assert_eq!(eight_digits(b), naive);
        }

        /// A fixed-width xref entry reads back what was written.
        #[test]
        fn fixed_entries_read_back(offset in 0u64..10_000_000_000, generation in 0u32..100_000, in_use: bool) {
            let line = format!("{offset:010} {generation:05} {}\r\n", if in_use { 'n' } else { 'f' });
            let want = usize::try_from(offset).ok().map(|o| (o, generation, in_use));
            proptest::prop_assert_eq!(fixed_entry(line.as_bytes(), 0), want);
        }

        /// The table of the audit's pass answers which section is the
        /// newest to list an object, and whether it defines it, as a search
        /// of the sections does (newest first).
        #[test]
        fn defined_table_answers_as_a_search(
            lists in proptest::collection::vec(
                proptest::collection::btree_map(0u32..200, 0u8..3, 0..40), 1..7),
        ) {
            let sections: Vec<Section> = lists
                .iter()
                .map(|l| Section {
                    offset: 0,
                    kind: SectionKind::Table,
                    entries: Entries::new(
                        l.iter()
                            .map(|(&num, &k)| {
                                let e = match k {
                                    0 => Entry::Free { generation: 0 },
                                    1 => Entry::InUse { offset: 9, generation: 0 },
                                    _ => Entry::Compressed { stream: 1, index: 0 },
                                };
                                (num, e)
                            })
                            .collect(),
                    )
                    .unwrap(),
                    trailer: Dict::default(),
                    end: 0,
                    eof_at: None,
                    startxref: None,
                    hybrid: false,
                })
                .collect();
            let visible: Vec<&Section> = sections.iter().collect();
            let table = Defined::new(&visible);
            proptest::prop_assert!(table.0.is_some());
            let search = Defined(None);
            for num in 0..210 {
                proptest::prop_assert_eq!(table.contains(num, &visible), search.contains(num, &visible));
                proptest::prop_assert_eq!(table.newest(num, &visible), search.newest(num, &visible));
            }
        }
    }

    /// Append an object stream `stm` holding object 2 as `body`, and an
    /// xref stream (object `xref`, rows of `W [1 4 2]`, no filter) listing
    /// `stm` and itself; the first revision also lists objects 0 and 2.
    fn objstm_revision(out: &mut Vec<u8>, body: &str, xref: u32, prev: Option<usize>) {
        use std::io::Write;
        let stm_at = out.len();
        let content = format!("2 0 {body}");
        write!(
            out,
            "1 0 obj\n<</Type /ObjStm /N 1 /First 4 /Length {}>>\nstream\n{content}\nendstream\nendobj\n",
            content.len()
        )
        .unwrap();
        let xref_at = out.len();
        let row = |t: u8, a: usize, b: u16| {
            let mut r = vec![t];
            r.extend_from_slice(&u32::try_from(a).unwrap().to_be_bytes());
            r.extend_from_slice(&b.to_be_bytes());
            r
        };
        let (index, rows) = match prev {
            None => (
                format!("[0 {}]", xref + 1),
                [
                    row(0, 0, 65535),
                    row(1, stm_at, 0),
                    row(2, 1, 0),
                    row(1, xref_at, 0),
                ]
                .concat(),
            ),
            Some(_) => (
                format!("[1 1 {xref} 1]"),
                [row(1, stm_at, 0), row(1, xref_at, 0)].concat(),
            ),
        };
        let prev = prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
        write!(
            out,
            "{xref} 0 obj\n<</Type /XRef /Size {} /Index {index} /W [1 4 2]{prev} /Length {}>>\nstream\n",
            xref + 1,
            rows.len()
        )
        .unwrap();
        out.extend_from_slice(&rows);
        write!(out, "\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").unwrap();
    }

    /// A file whose objects 3.. live in two object streams: object 1 holds
    /// `good` (objects 3, 4, …), object 2 `bad` (the next numbers), whose
    /// stream does not decode; then a cross-reference stream.
    fn two_object_streams(good: &[String], bad: &[String]) -> Vec<u8> {
        use std::io::Write;
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut rows = vec![(0u8, 0usize, 65535u16)];
        let mut num = 3usize;
        let mut compressed = Vec::new();
        for (stm, bodies) in [(1u32, good), (2, bad)] {
            let at = out.len();
            let (mut header, mut body) = (String::new(), String::new());
            for (i, b) in bodies.iter().enumerate() {
                header.push_str(&format!("{} {} ", num + i, body.len()));
                body.push_str(b);
                body.push(' ');
                compressed.push((2u8, stm as usize, u16::try_from(i).unwrap()));
            }
            num += bodies.len();
            let content = format!("{header}{body}");
            let filter = if stm == 2 {
                "/Filter /FlateDecode "
            } else {
                ""
            };
            write!(
                out,
                "{stm} 0 obj\n<</Type /ObjStm {filter}/N {} /First {} /Length {}>>\nstream\n{content}\nendstream\nendobj\n",
                bodies.len(),
                header.len(),
                content.len()
            )
            .unwrap();
            rows.push((1, at, 0));
        }
        rows.extend(compressed);
        let xref_at = out.len();
        rows.push((1, xref_at, 0));
        let data: Vec<u8> = rows
            .iter()
            .flat_map(|&(t, a, b)| {
                let mut r = vec![t];
                r.extend_from_slice(&u32::try_from(a).unwrap().to_be_bytes());
                r.extend_from_slice(&b.to_be_bytes());
                r
            })
            .collect();
        write!(
            out,
            "{} 0 obj\n<</Type /XRef /Size {} /W [1 4 2] /Root 3 0 R /Length {}>>\nstream\n",
            rows.len() - 1,
            rows.len(),
            data.len()
        )
        .unwrap();
        out.extend_from_slice(&data);
        write!(out, "\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").unwrap();
        out
    }

    /// Compressed objects are skimmed in chunks that any thread takes:
    /// their references are checked as one pass checks them, whichever
    /// thread takes which chunk, and objects of a stream that does not
    /// decode are not read at all.
    #[test]
    fn compressed_objects_are_checked_in_shared_chunks() {
        let n = 3 * SCAN_CHUNK + 17;
        // Object k (from 3) refers to k + 1 (the last to 3) and to 90000 +
        // k, which nothing defines: each object skimmed shows in the result.
        let good: Vec<String> = (0..n)
            .map(|i| {
                let k = i + 3;
                let next = if i + 1 == n { 3 } else { k + 1 };
                format!("<</Next {next} 0 R /Lost [{} 0 R]>>", 90000 + k)
            })
            .collect();
        let bad = vec!["<</Lost 80000 0 R>>".to_string(); 5];
        let pdf = two_object_streams(&good, &bad);
        let want: HashSet<u32> = (0..n).map(|i| u32::try_from(90003 + i).unwrap()).collect();
        let doc = Document::open(&pdf, Limits::default()).unwrap();
        let end = pdf.len();
        let job = doc.scan_job(end);
        // The objects of each stream in chunks of their own: the five of the
        // stream that does not decode make one.
        let compressed_chunks = job.chunks.iter().filter(|c| c.0 == COMPRESSED).count();
        assert_eq!(compressed_chunks, n.div_ceil(SCAN_CHUNK) + 1);
        // Two threads' parts, chunks taken in reverse and alternately.
        let mut parts = [ScanPart::default(), ScanPart::default()];
        let mut scratch = (Vec::new(), Vec::new());
        for i in (0..job.chunk_count()).rev() {
            job.run_chunk(i, &mut parts[i % 2], &mut scratch);
        }
        assert!(parts.iter().all(|p| !p.dangling.is_empty()));
        let split = doc.finish_scan(job, parts);
        assert_eq!(split.dangling, want);
        let one = Document::open(&pdf, Limits::default()).unwrap();
        assert_eq!(*one.scan(end).unwrap(), *split);
    }

    /// The threads of a scan decode object streams within the document's
    /// total limit on decoded bytes, count what they decoded in the
    /// document's total, and leave the streams decoded for later reads.
    #[test]
    fn a_scan_decodes_object_streams_within_the_total_limit() {
        let good: Vec<String> = (0..40)
            .map(|i| format!("<</Lost {} 0 R>>", 90000 + i))
            .collect();
        let pdf = two_object_streams(&good, &["<</Lost 80000 0 R>>".to_string()]);
        let end = pdf.len();
        // What opening spends (the cross-reference stream, if it counts),
        // and what the stream of the good objects takes.
        let (base, size) = {
            let doc = Document::open(&pdf, Limits::default()).unwrap();
            let base = doc.decompressed.get();
            (base, doc.objstm(1, end, 0).unwrap().data.len() as u64)
        };
        for (total, decoded) in [(base + size - 1, false), (base + size, true)] {
            let limits = Limits {
                max_decompressed_total: total,
                ..Limits::default()
            };
            let doc = Document::open(&pdf, limits).unwrap();
            let scan = doc.scan(end).unwrap();
            assert_eq!(scan.dangling.len(), if decoded { 40 } else { 0 }, "{total}");
            let spent = doc.decompressed.get();
            assert!(spent <= total, "{spent} > {total}");
            if decoded {
                assert_eq!(spent, base + size);
                // Read from the stream the scan decoded: nothing more spent.
                let three = Ref {
                    num: 3,
                    generation: 0,
                };
                assert!(doc.get(three, end).unwrap().is_some());
                assert_eq!(doc.decompressed.get(), base + size);
            }
        }
    }

    /// A later revision redefines the object stream that holds object 2:
    /// each revision reads object 2 from its own version of the stream,
    /// whichever is read first (decoded streams were once cached by number,
    /// and the second read got the first one's stream).
    #[test]
    fn each_revision_reads_its_own_object_stream() {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        objstm_revision(&mut pdf, "(signed)", 3, None);
        let first_end = pdf.len();
        let first_xref = find(&pdf, b"3 0 obj").unwrap();
        objstm_revision(&mut pdf, "(replaced)", 4, Some(first_xref));
        let two = Ref {
            num: 2,
            generation: 0,
        };
        let text = |doc: &Document<'_>, end: usize| {
            let loaded = doc.get(two, end).unwrap().unwrap();
            match loaded.value {
                Object::Str(s) => String::from_utf8(s.bytes).unwrap(),
                other => panic!("{other:?}"),
            }
        };
        for old_first in [true, false] {
            let doc = Document::open(&pdf, Limits::default()).unwrap();
            assert_eq!(doc.revision_ends(), vec![first_end, pdf.len()]);
            let reads = if old_first {
                [(first_end, "signed"), (pdf.len(), "replaced")]
            } else {
                [(pdf.len(), "replaced"), (first_end, "signed")]
            };
            for (end, want) in reads {
                assert_eq!(text(&doc, end), want, "old first: {old_first}");
            }
        }
    }

    #[test]
    fn plain_headers_read_as_the_tokenizer_reads_them() {
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for num in [
            "0",
            "7",
            "000012",
            "123456789",
            "1234567890",
            "4294967296",
            "",
            "-1",
        ] {
            for sep in [" ", "  ", "\n", "\r\n", "%c\n", ""] {
                for generation in ["0", "65535", "1234567890", "x", ""] {
                    for tail in [
                        " obj", " obj ", " obj\n", " obj<<", " obj/", " objx", " ob", " obj%",
                        "obj",
                    ] {
                        cases.push(format!("{num}{sep}{generation}{tail}").into_bytes());
                    }
                }
            }
        }
        let mut plain = 0;
        for c in &cases {
            let tokens = header_tokens(c, 8, 0).map(|(n, g, p)| (n, g, p.pos));
            if let Some(fast) = plain_header(c, 0) {
                plain += 1;
                assert_eq!(
                    tokens.as_ref().ok(),
                    Some(&fast),
                    "{}",
                    String::from_utf8_lossy(c)
                );
            }
            // Whichever path reads it, the answer is the tokenizer's.
            let got = header_at(c, 8, 0).map(|(n, g, p)| (n, g, p.pos));
            assert_eq!(got.ok(), tokens.ok(), "{}", String::from_utf8_lossy(c));
        }
        // Four numbers, two generations, five endings (a header at the very
        // end of the data goes to the tokenizer).
        assert_eq!(plain, 40);
    }

    #[test]
    fn malformed_fixed_entries_go_to_the_tokenizer() {
        for line in [
            &b"000000001x 00000 n\r\n"[..],
            b"0000000010 0000a n\r\n",
            b"0000000010 00000 x\r\n",
            b"0000000010 00000 nx\n",
            b"000000001 00000 n\r\n",
            b"0000000010 00000 n",
        ] {
            assert_eq!(
                fixed_entry(line, 0),
                None,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }
}
