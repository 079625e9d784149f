//! The JSON of each published diagnostic, kept between keystrokes. A keystroke in a large report
//! changes a handful of its diagnostics; converting and serialising all of them again (843 in a
//! 1 MB report, ≈ 10 M instructions) was a third of a keystroke's cost.
//!
//! A diagnostic gets the JSON published for one of the last analysis when the two are equal in
//! every part the JSON holds (code, severity, message, related messages) and each of its byte
//! offsets is that one's, where the text up to the offset is provably unchanged — so is its
//! position. The edits since the last analysis left a prefix and a suffix of the text unchanged
//! (`model::lines::Reuse`): an offset in the prefix has the same position; one in the suffix,
//! moved by the edits' length change, too when the edits added or removed no line break and a
//! line break of the suffix precedes it (its line starts in the suffix). Anything else is
//! converted and serialised anew, as is everything when nothing is known of the edits.

use std::ops::Range;
use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::convert::LivePositions;
use crate::diagnostics::Diagnostic;
use crate::syntax::PositionEncoding;

/// What was published for one analysis of one document.
#[derive(Default)]
pub struct Cache {
    /// The address of the `Analysis` published: the cache describes that one's diagnostics
    /// (checked while that analysis is alive, so the address cannot have been reused).
    stamp: usize,
    encoding: Option<PositionEncoding>,
    /// The JSON of each of its diagnostics, by index.
    json: Vec<Arc<str>>,
}

impl Cache {
    /// Whether this cache describes the analysis at `stamp`, converted with `encoding`.
    pub fn describes(&self, stamp: usize, encoding: PositionEncoding) -> bool {
        stamp != 0 && self.stamp == stamp && self.encoding == Some(encoding)
    }
}

/// What the edits since the published analysis changed: `old[..prefix]` is `new[..prefix]`,
/// `old[old_len - suffix..]` is `new[new_len - suffix..]`, and the text gained `breaks` line
/// breaks (negative: lost).
#[derive(Clone, Copy, Debug)]
pub struct Shift {
    pub prefix: usize,
    pub suffix: usize,
    pub old_len: usize,
    pub new_len: usize,
    pub breaks: isize,
}

/// Where old offsets keep their position, for one new text.
struct Keep {
    shift: Shift,
    /// The first line break of the unchanged suffix in the new text (`usize::MAX`: none).
    first_break: usize,
}

impl Keep {
    fn new(shift: Shift, text: &str) -> Option<Keep> {
        let s = shift;
        // Prefix and suffix overlap when nothing changed (a new configuration).
        let shortest = s.old_len.min(s.new_len);
        let consistent = s.new_len == text.len() && s.prefix <= shortest && s.suffix <= shortest;
        if !consistent {
            return None;
        }
        let start = s.new_len - s.suffix;
        let first_break = text
            .as_bytes()
            .get(start..)
            .and_then(|tail| tail.iter().position(|&b| b == b'\n'))
            .map_or(usize::MAX, |i| start + i);
        Some(Keep { shift, first_break })
    }

    /// Whether `old` (an offset in the old text) is at `new` in the new text with the same
    /// position.
    fn same(&self, old: usize, new: usize) -> bool {
        let s = &self.shift;
        if old < s.prefix {
            // The text before it, and the byte at it (its char boundary), are unchanged.
            return new == old;
        }
        s.breaks == 0
            && old >= s.old_len - s.suffix
            && old <= s.old_len
            && new == old - (s.old_len - s.suffix) + (s.new_len - s.suffix)
            && self.first_break < new
    }

    fn same_range(&self, old: &Range<usize>, new: &Range<usize>) -> bool {
        // Converted as `start..max(start, end)`.
        self.same(old.start, new.start) && self.same(old.end.max(old.start), new.end.max(new.start))
    }

    /// The old offset that may be `new`'s.
    fn back(&self, new: usize) -> Option<usize> {
        let s = &self.shift;
        if new < s.prefix {
            Some(new)
        } else if new >= s.new_len - s.suffix {
            Some(new - (s.new_len - s.suffix) + (s.old_len - s.suffix))
        } else {
            None
        }
    }
}

/// The last analysis's published JSON and diagnostics, and what the edits since changed.
pub struct Previous<'a> {
    pub cache: &'a Cache,
    pub diagnostics: &'a [Diagnostic],
    pub shift: Shift,
}

/// The JSON of each diagnostic of `diagnostics` (those of the analysis at `stamp`, of `text`),
/// reusing what `previous` holds where it is provably the same; and the cache of these.
/// `positions` converts the others (built only if one needs it).
pub fn publish<'p>(
    uri: &Uri,
    text: &str,
    diagnostics: &[Diagnostic],
    stamp: usize,
    encoding: PositionEncoding,
    positions: &dyn Fn() -> Box<dyn LivePositions + 'p>,
    previous: Option<Previous<'_>>,
) -> (Vec<Arc<str>>, Cache) {
    let keep = previous
        .as_ref()
        .filter(|p| p.cache.json.len() == p.diagnostics.len())
        .and_then(|p| Some((p, Keep::new(p.shift, text)?)));
    let mut converter: Option<Box<dyn LivePositions + 'p>> = None;
    let mut json = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let reused = keep.as_ref().and_then(|(p, keep)| reuse(p, keep, d));
        let piece = match reused {
            Some(piece) => piece,
            None => {
                let p = converter.get_or_insert_with(positions);
                match serde_json::to_string(&p.diagnostic(uri, d)) {
                    Ok(s) => Arc::from(s),
                    // Cannot happen for these types; the diagnostic is published empty rather
                    // than the indices of the cache going astray.
                    Err(_) => Arc::from("{}"),
                }
            }
        };
        json.push(piece);
    }
    let cache = Cache {
        stamp,
        encoding: Some(encoding),
        json: json.clone(),
    };
    (json, cache)
}

/// The JSON of an old diagnostic equal to `d` at the same positions.
fn reuse(p: &Previous<'_>, keep: &Keep, d: &Diagnostic) -> Option<Arc<str>> {
    let start = keep.back(d.range.start)?;
    let old = p.diagnostics;
    let from = old.partition_point(|o| o.range.start < start);
    old[from..]
        .iter()
        .zip(&p.cache.json[from..])
        .take_while(|(o, _)| o.range.start == start)
        .find(|(o, _)| {
            same_content(o, d)
                && keep.same_range(&o.range, &d.range)
                && o.related
                    .iter()
                    .zip(&d.related)
                    .all(|(x, y)| x.path.is_some() || keep.same_range(&x.range, &y.range))
        })
        .map(|(_, json)| json.clone())
}

/// Equal in everything the JSON holds but positions.
fn same_content(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.code == b.code
        && a.severity == b.severity
        && a.message == b.message
        && a.related.len() == b.related.len()
        && a.related
            .iter()
            .zip(&b.related)
            .all(|(x, y)| x.path == y.path && x.message == y.message)
}

/// The JSON of LSP diagnostics, one by one (those not cached: series findings, republishing).
pub fn serialise(diagnostics: &[lsp::Diagnostic]) -> Vec<Arc<str>> {
    diagnostics
        .iter()
        .filter_map(|d| serde_json::to_string(d).ok().map(Arc::from))
        .collect()
}
