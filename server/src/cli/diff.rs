//! `check --diff`: what `check --fix` would change, as a unified diff of the text — for a Word
//! document, of the text `nianbao convert` prints, each hunk headed by the table row or
//! paragraph of the document it changes.

use std::fmt::Write as _;

use nianbao::extract::SourceMap;
use similar::{ChangeTag, TextDiff};

/// Lines of context around each change.
const CONTEXT: usize = 1;

/// The diff of `old` → `new` of the file `name`; empty when they are equal.
pub fn unified(name: &str, old: &str, new: &str, map: Option<&SourceMap>) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    // Both names plain (`patch -p0` applies it to a text file).
    let mut out = format!("--- {name}\n+++ {name}\n");
    for group in diff.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let _ = write!(
            out,
            "@@ -{} +{} @@",
            span(old_range.start, old_range.len()),
            span(new_range.start, new_range.len())
        );
        // The document place of the first changed line.
        let changed = group
            .iter()
            .find(|op| op.tag() != similar::DiffTag::Equal)
            .map(|op| op.old_range().start);
        if let (Some(map), Some(line)) = (map, changed)
            && let Some(line) = map.line(line)
        {
            let _ = write!(out, " {}", line.describe(map.kind));
        }
        out.push('\n');
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                let value = change.value();
                out.push(sign);
                out.push_str(value);
                if !value.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// A hunk range: `12` for one line, `12,3`, `11,0` for none (after line 11).
fn span(start: usize, len: usize) -> String {
    match len {
        1 => format!("{}", start + 1),
        0 => format!("{start},0"),
        n => format!("{},{n}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_with_context() {
        let old = "a\nb\nc\nd\ne\nf\n";
        let new = "a\nB\nc\nd\ne\nF";
        let diff = unified("x.txt", old, new, None);
        assert_eq!(
            diff,
            "--- x.txt\n+++ x.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -5,2 +5,2 @@\n e\n-f\n+F\n\\ No newline at end of file\n"
        );
        assert_eq!(unified("x.txt", old, old, None), "");
    }
}
