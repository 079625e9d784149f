//! Fixes written back into a Word document: the fixed report text is compared with the text
//! read, and each change is made in the `w:t` elements the changed characters came from — the
//! element's content replaced, every other byte of document.xml and every other part of the zip
//! kept as it was (the other parts are copied compressed, untouched). A change that falls on text
//! the reader generated (an automatic number, a TAB between fields) or spans two cells cannot be
//! written and refuses the whole fix. Before anything is returned, the new document is read
//! again and must give exactly the fixed text.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Cursor, Write as _};
use std::ops::Range;

use similar::{DiffOp, TextDiff};
use zip::{ZipArchive, ZipWriter};

use super::body::{Insert, start_tag_len};
use super::{Document, DocxError, walk};
use crate::extract::Location;

/// One changed line or field of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Where it is in the Word document.
    pub location: Option<Location>,
    /// The line of the extracted text (0-based).
    pub line: usize,
    pub before: String,
    pub after: String,
}

impl Change {
    /// What changed where, as the CLI and the web page tell it:
    /// `Word 表格 2 第 12 行 第 8 格：10 → 12` (an empty cell shown as `（空）`).
    pub fn describe(&self) -> String {
        let show = |t: &str| {
            if t.is_empty() {
                "（空）".to_owned()
            } else {
                t.to_owned()
            }
        };
        let place = self.location.as_ref().map_or_else(
            || "Word 文档".to_owned(),
            |l| l.describe(crate::extract::Kind::Word),
        );
        format!("{place}：{} → {}", show(&self.before), show(&self.after))
    }
}

/// A document with fixes written in.
#[derive(Clone, Debug)]
pub struct Fixed {
    /// The new .docx file.
    pub bytes: Vec<u8>,
    pub changes: Vec<Change>,
}

/// Why fixes could not be written into a Word document. Displayed in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixError {
    /// A change touches text that is not the document's own, or spans two cells.
    Unmappable {
        place: String,
        before: String,
        after: String,
    },
    /// The document read again after writing did not give the fixed text.
    Verify,
    /// Writing the zip failed.
    Zip(String),
    Docx(DocxError),
}

impl fmt::Display for FixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixError::Unmappable {
                place,
                before,
                after,
            } => write!(
                f,
                "{place}：“{before}”改为“{after}”无法写回 Word 文档（改动落在自动编号、制表位或跨越单元格的文字上），文档未改动"
            ),
            FixError::Verify => write!(
                f,
                "写回 Word 文档后重新读取的文字与改正结果不一致，文档未改动（请报告此问题）"
            ),
            FixError::Zip(why) => write!(f, "无法生成新的 Word 文档（{why}），文档未改动"),
            FixError::Docx(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for FixError {}

/// One replacement of extracted text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Edit {
    range: Range<usize>,
    text: String,
}

impl Document {
    /// The extracted text ([`crate::extract::Extracted::text`]).
    pub fn text(&self) -> &str {
        &self.extracted.text
    }

    /// Writes `fixed` — the extracted text with fixes applied — into the document whose bytes
    /// are `original` (the file this document was read from). Returns the new file's bytes and
    /// the changed lines and fields; an unchanged text gives back `original` and no change.
    pub fn fix(&self, original: &[u8], fixed: &str) -> Result<Fixed, FixError> {
        let old = self.text();
        if old == fixed {
            return Ok(Fixed {
                bytes: original.to_vec(),
                changes: Vec::new(),
            });
        }
        let edits = diff(old, fixed);
        let mut per_piece: BTreeMap<usize, Vec<(Range<usize>, String)>> = BTreeMap::new();
        let mut inserts: Vec<(Insert, String)> = Vec::new();
        let mut changes = Vec::new();
        for edit in &edits {
            let unit = self.unit_of(edit).ok_or_else(|| self.unmappable(edit))?;
            changes.push(self.change(unit, edit, &edits));
            self.place(edit, unit, &mut per_piece, &mut inserts)
                .ok_or_else(|| self.unmappable(edit))?;
        }
        changes.dedup();
        let document = self.patched(&per_piece, &inserts)?;
        let again = walk(&document, &self.parts).map_err(FixError::Docx)?;
        if again.extracted.text != fixed {
            return Err(FixError::Verify);
        }
        let bytes = rezip(original, &self.parts.document_name, document.as_bytes())?;
        Ok(Fixed { bytes, changes })
    }

    /// The unit (paragraph line or field) that holds the whole of `edit`.
    fn unit_of(&self, edit: &Edit) -> Option<usize> {
        let i = self
            .units
            .partition_point(|u| u.range.start <= edit.range.start)
            .checked_sub(1)?;
        let unit = &self.units[i];
        (edit.range.end <= unit.range.end).then_some(i)
    }

    fn unmappable(&self, edit: &Edit) -> FixError {
        let place = self.extracted.map.locate(edit.range.start).map_or_else(
            || "Word 文档".to_owned(),
            |l| l.describe(self.extracted.map.kind),
        );
        FixError::Unmappable {
            place,
            before: self
                .text()
                .get(edit.range.clone())
                .unwrap_or_default()
                .to_owned(),
            after: edit.text.clone(),
        }
    }

    /// The unit's text before and after every edit that falls in it.
    fn change(&self, unit: usize, edit: &Edit, edits: &[Edit]) -> Change {
        let range = self.units[unit].range.clone();
        let before = self.text()[range.clone()].to_owned();
        let mut after = String::new();
        let mut at = range.start;
        for e in edits
            .iter()
            .filter(|e| range.start <= e.range.start && e.range.end <= range.end)
        {
            after.push_str(&self.text()[at..e.range.start]);
            after.push_str(&e.text);
            at = e.range.end;
        }
        after.push_str(&self.text()[at..range.end]);
        Change {
            location: self.extracted.map.locate(edit.range.start),
            line: self.text()[..range.start].matches('\n').count(),
            before,
            after,
        }
    }

    /// Records where `edit` goes: into the pieces it covers, or a new run of an empty cell.
    /// `None` when a character it replaces is not from a `w:t`.
    fn place(
        &self,
        edit: &Edit,
        unit: usize,
        per_piece: &mut BTreeMap<usize, Vec<(Range<usize>, String)>>,
        inserts: &mut Vec<(Insert, String)>,
    ) -> Option<()> {
        let Range { start, end } = edit.range;
        let unit = &self.units[unit];
        let first = self.pieces.partition_point(|p| p.at + p.text.len() < start);
        let candidates = self.pieces[first..]
            .iter()
            .enumerate()
            .take_while(|(_, p)| p.at <= end && p.at <= unit.range.end)
            .filter(|(_, p)| p.at >= unit.range.start);
        if start == end {
            // An insertion: into the first piece that touches the place.
            if let Some((i, p)) = candidates
                .into_iter()
                .find(|(_, p)| p.at <= start && start <= p.at + p.text.len())
            {
                let local = start - p.at;
                per_piece
                    .entry(first + i)
                    .or_default()
                    .push((local..local, edit.text.clone()));
                return Some(());
            }
            // A cell without text: a new run at the end of its last paragraph.
            let insert = unit.insert.clone()?;
            if start != unit.range.end || inserts.iter().any(|(i, _)| *i == insert) {
                return None;
            }
            inserts.push((insert, edit.text.clone()));
            return Some(());
        }
        let covered: Vec<(usize, &super::body::Piece)> = candidates
            .filter(|(_, p)| p.at < end && start < p.at + p.text.len())
            .map(|(i, p)| (first + i, p))
            .collect();
        // The pieces must cover the edited characters without a gap.
        let mut reached = start;
        for (_, p) in &covered {
            if p.at > reached {
                return None;
            }
            reached = reached.max(p.at + p.text.len());
        }
        if reached < end || covered.is_empty() {
            return None;
        }
        for (n, (i, p)) in covered.iter().enumerate() {
            let local = start.max(p.at) - p.at..end.min(p.at + p.text.len()) - p.at;
            let text = if n == 0 {
                edit.text.clone()
            } else {
                String::new()
            };
            per_piece.entry(*i).or_default().push((local, text));
        }
        Some(())
    }

    /// document.xml with the edited pieces and new runs.
    fn patched(
        &self,
        per_piece: &BTreeMap<usize, Vec<(Range<usize>, String)>>,
        inserts: &[(Insert, String)],
    ) -> Result<String, FixError> {
        let xml = self.parts.document.as_str();
        let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
        for (&i, edits) in per_piece {
            let piece = &self.pieces[i];
            let mut text = piece.text.clone();
            let mut edits = edits.clone();
            edits.sort_by_key(|(r, _)| std::cmp::Reverse((r.start, r.end)));
            for (range, new) in edits {
                if range.end > text.len()
                    || !text.is_char_boundary(range.start)
                    || !text.is_char_boundary(range.end)
                {
                    return Err(FixError::Verify);
                }
                text.replace_range(range, &new);
            }
            let src = &piece.src;
            let raw = &xml[src.element.clone()];
            let edge_space =
                text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace);
            if src.self_closing || (edge_space && !raw[..start_tag_len(raw)].contains("preserve")) {
                let name = qname(raw);
                replacements.push((
                    src.element.clone(),
                    format!("<{name} xml:space=\"preserve\">{}</{name}>", escape(&text)),
                ));
            } else {
                replacements.push((src.content.clone(), escape(&text)));
            }
        }
        for (insert, text) in inserts {
            let raw = &xml[insert.paragraph.clone()];
            let name = qname(raw);
            let prefix = name.rfind(':').map_or("", |i| &name[..=i]);
            let props = insert.run_props.as_ref().map_or("", |r| &xml[r.clone()]);
            let run = format!(
                "<{prefix}r>{props}<{prefix}t xml:space=\"preserve\">{}</{prefix}t></{prefix}r>",
                escape(text)
            );
            if let Some(open) = raw.strip_suffix("/>") {
                let open = open.trim_end();
                replacements.push((insert.paragraph.clone(), format!("{open}>{run}</{name}>")));
            } else {
                let at = insert.paragraph.start + raw.rfind("</").unwrap_or(raw.len());
                replacements.push((at..at, run));
            }
        }
        replacements.sort_by_key(|(r, _)| (r.start, r.end));
        let mut out = String::with_capacity(xml.len() + 64);
        let mut at = 0;
        for (range, text) in replacements {
            if range.start < at {
                return Err(FixError::Verify);
            }
            out.push_str(&xml[at..range.start]);
            out.push_str(&text);
            at = range.end;
        }
        out.push_str(&xml[at..]);
        Ok(out)
    }
}

/// The qualified name of the element `raw` starts with (`w:t`).
fn qname(raw: &str) -> &str {
    let rest = raw.get(1..).unwrap_or_default();
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    &rest[..end]
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The edits that turn `old` into `new`, each as small as a line diff and, within a line, a
/// field (TAB-separated) allows: equal lines are skipped, a changed field is reduced to its
/// changed characters.
fn diff(old: &str, new: &str) -> Vec<Edit> {
    let diff = TextDiff::from_lines(old, new);
    let old_lines = line_starts(old);
    let new_lines = line_starts(new);
    let span = |starts: &[usize], text: &str, from: usize, len: usize| {
        let start = starts.get(from).copied().unwrap_or(text.len());
        let end = starts.get(from + len).copied().unwrap_or(text.len());
        start..end
    };
    let mut edits = Vec::new();
    for op in diff.ops() {
        match *op {
            DiffOp::Equal { .. } => {}
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } if old_len == new_len => {
                for k in 0..old_len {
                    let o = span(&old_lines, old, old_index + k, 1);
                    let n = span(&new_lines, new, new_index + k, 1);
                    line_edits(old, o, &new[n], &mut edits);
                }
            }
            _ => {
                let (o, n) = (op.old_range(), op.new_range());
                let o = span(&old_lines, old, o.start, o.len());
                let n = span(&new_lines, new, n.start, n.len());
                edits.push(Edit {
                    range: o,
                    text: new[n].to_owned(),
                });
            }
        }
    }
    edits
}

/// Byte offsets where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len())
        .collect()
}

/// The edits of one changed line (`old[range]` → `new`): per field when both have the same
/// fields, else one for the changed middle.
fn line_edits(old: &str, range: Range<usize>, new: &str, out: &mut Vec<Edit>) {
    let line = &old[range.clone()];
    let old_fields: Vec<&str> = line.split('\t').collect();
    let new_fields: Vec<&str> = new.split('\t').collect();
    if old_fields.len() == new_fields.len() {
        let mut at = range.start;
        for (o, n) in old_fields.iter().zip(&new_fields) {
            if o != n {
                out.push(middle(at, o, n));
            }
            at += o.len() + 1;
        }
    } else {
        out.push(middle(range.start, line, new));
    }
}

/// The edit turning `old` (at offset `at`) into `new`, without their common start and end.
fn middle(at: usize, old: &str, new: &str) -> Edit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let prefix = floor(new, prefix).min(floor(old, prefix));
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Edit {
        range: at + prefix..at + old.len() - suffix,
        text: new[prefix..new.len() - suffix].to_owned(),
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The zip `original` with the entry `name` replaced by `document`: entries in the same order,
/// the others copied compressed as they are, the replaced one compressed as it was.
fn rezip(original: &[u8], name: &str, document: &[u8]) -> Result<Vec<u8>, FixError> {
    let zip_err = |e: zip::result::ZipError| FixError::Zip(e.to_string());
    let mut zip = ZipArchive::new(Cursor::new(original)).map_err(zip_err)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(original.len() + 1024)));
    out.set_raw_comment(zip.comment().into()).map_err(zip_err)?;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(zip_err)?;
        if entry.name().is_ok_and(|n| n == name) {
            let options = entry.options();
            drop(entry);
            out.start_file(name, options).map_err(zip_err)?;
            out.write_all(document)
                .map_err(|e| FixError::Zip(e.to_string()))?;
        } else {
            out.raw_copy_file(entry).map_err(zip_err)?;
        }
    }
    Ok(out.finish().map_err(zip_err)?.into_inner())
}
