//! Suppression comments: a reviewer who has checked a finding against the original silences it,
//! saying why, and the reason stays in the text.
//!
//! ```text
//! <!-- nianbao-disable-next-line sum-mismatch: 原件如此 -->     (the next non-blank line)
//! <!-- nianbao-disable cell-empty, number-format: 原表空白 -->   (the whole file)
//! ```
//!
//! A suppression without a reason, or naming an unknown code, is `suppression-invalid` and
//! silences nothing; one that silences nothing is `suppression-unused`, with a fix that deletes it.

use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic, Edit};
use crate::model::{Line, LineKind};

const NEXT_LINE: &str = "nianbao-disable-next-line";
const FILE: &str = "nianbao-disable";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// Diagnostics starting in this byte range (a line).
    Line(Range<usize>),
    File,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Suppression {
    /// The comment line, with its line break (what the unused-fix deletes).
    comment: Range<usize>,
    codes: Vec<Code>,
    scope: Scope,
    used: bool,
}

/// Filters `diagnostics` through the suppression comments of the text; adds the diagnostics of
/// invalid and unused suppressions.
/// The diagnostics that no suppression comment silences, the comments' own findings, and the
/// valid suppressions of cross-file codes (for the series pass, see [`CrossFile`]).
pub fn apply(
    text: &str,
    lines: &[Line],
    diagnostics: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, CrossFile) {
    let (mut suppressions, mut out) = find(text, lines);
    for d in diagnostics {
        match suppressions.iter_mut().find(|s| s.silences(&d)) {
            Some(s) => s.used = true,
            None => out.push(d),
        }
    }
    // A suppression of a cross-file code may silence what the series pass finds later, which
    // depends on the reports checked with this one: never unused.
    let unused = suppressions
        .iter()
        .filter(|s| !s.used && !s.codes.iter().any(|c| c.is_cross_file()));
    for s in unused {
        let names: Vec<&str> = s.codes.iter().map(|c| c.as_str()).collect();
        out.push(
            Diagnostic::new(
                Code::SuppressionUnused,
                trim_break(text, &s.comment),
                format!("此抑制注释没有抑制任何诊断（{}）", names.join("、")),
            )
            .with_fix(
                "删除此抑制注释",
                vec![Edit {
                    range: s.comment.clone(),
                    new_text: String::new(),
                }],
            ),
        );
    }
    (out, CrossFile::of(suppressions))
}

impl Suppression {
    fn silences(&self, d: &Diagnostic) -> bool {
        self.codes.contains(&d.code)
            && match &self.scope {
                Scope::File => true,
                Scope::Line(r) => d.range.start >= r.start && d.range.start <= r.end,
            }
    }
}

/// The valid suppressions of a text that name a cross-file code ([`Code::is_cross_file`]): the
/// series pass filters its findings through them ([`crate::analysis::Analysis::suppressions`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrossFile(Vec<Suppression>);

impl CrossFile {
    fn of(found: Vec<Suppression>) -> Self {
        Self(
            found
                .into_iter()
                .filter(|s| s.codes.iter().any(|c| c.is_cross_file()))
                .map(|s| Suppression { used: false, ..s })
                .collect(),
        )
    }

    /// Whether a suppression comment silences `d` (a diagnostic of this text).
    pub fn silences(&self, d: &Diagnostic) -> bool {
        self.0.iter().any(|s| s.silences(d))
    }
}

fn find(text: &str, lines: &[Line]) -> (Vec<Suppression>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut invalid = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(body) = comment_body(line.text(text)) else {
            continue;
        };
        let (scope, rest) = if let Some(rest) = body.strip_prefix(NEXT_LINE) {
            let target = lines[i + 1..]
                .iter()
                .find(|l| l.kind != LineKind::Blank && comment_body(l.text(text)).is_none())
                .map_or(line.range.end..line.range.end, |l| l.range.clone());
            (Scope::Line(target), rest)
        } else if let Some(rest) = body.strip_prefix(FILE) {
            (Scope::File, rest)
        } else {
            continue;
        };
        let (codes_text, reason) = match rest.split_once([':', '：']) {
            Some((c, r)) => (c, r.trim()),
            None => (rest, ""),
        };
        let names: Vec<&str> = codes_text
            .split([',', '，', ' ', '、'])
            .filter(|s| !s.is_empty())
            .collect();
        let unknown: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| Code::parse(n).is_none())
            .collect();
        let problem = if names.is_empty() {
            Some("抑制注释应写明要抑制的诊断代码".to_string())
        } else if !unknown.is_empty() {
            Some(format!(
                "未知的诊断代码“{}”（`nianbao explain` 列出全部代码）",
                unknown.join("”“")
            ))
        } else if reason.is_empty() {
            Some(format!(
                "抑制注释必须写明原因，例如 <!-- {NEXT_LINE} {}: 原件如此 -->",
                names.join(", ")
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            invalid.push(Diagnostic::new(
                Code::SuppressionInvalid,
                line.range.clone(),
                message,
            ));
            continue;
        }
        let comment = line.range.start..next_line_start(text, line.range.end);
        found.push(Suppression {
            comment,
            codes: names.into_iter().filter_map(Code::parse).collect(),
            scope,
            used: false,
        });
    }
    (found, invalid)
}

/// The text inside `<!-- … -->` when the line is such a comment.
fn comment_body(line: &str) -> Option<&str> {
    // Nearly every line starts with a CJK character (a UTF-8 lead byte E4–EF: no White_Space
    // character is among them) or an ASCII letter or digit: no comment, and no need to decode.
    if matches!(
        line.as_bytes().first(),
        None | Some(0xE4..=0xEF | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z')
    ) {
        return None;
    }
    // Then the start: most other lines end here, without trimming their end.
    let inner = line
        .trim_start()
        .strip_prefix("<!--")?
        .trim_end()
        .strip_suffix("-->")?;
    let inner = inner.trim();
    inner.starts_with(FILE).then_some(inner)
}

fn next_line_start(text: &str, end: usize) -> usize {
    text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
}

fn trim_break(text: &str, range: &Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    range.start..range.start + s.trim_end_matches(['\n', '\r']).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_is_found_after_any_space_and_never_after_text() {
        let body = format!("{NEXT_LINE} sum-mismatch: 原件如此");
        for line in [
            format!("<!-- {body} -->"),
            format!("  \t<!-- {body} -->  "),
            format!("\u{3000}\u{a0}<!--{body}-->\u{3000}"),
            format!("\u{feff}<!-- {body} -->"),
        ] {
            // As before the byte test: White_Space trimmed (a BOM is not White_Space).
            let expected = line.trim().starts_with("<!--").then_some(body.as_str());
            assert_eq!(comment_body(&line), expected, "{line:?}");
        }
        for line in [
            String::new(),
            "一、总体情况".to_string(),
            format!("说明<!-- {body} -->"),
            format!("a<!-- {body} -->"),
            format!("<!-- {body}"),
            "<!-- 其他注释 -->".to_string(),
        ] {
            assert_eq!(comment_body(&line), None, "{line:?}");
        }
    }
}
