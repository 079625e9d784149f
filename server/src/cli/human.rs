//! Human output of `nianbao check`, in the style of rustc and ruff:
//!
//! ```text
//! reports/a.txt:120:2: error[sum-mismatch]: （七）总计应为 12（各项之和），实为 10
//!     |
//! 120 | ⇥（七）总计⇥10⇥…
//!     |   ^^
//!     = help: 改为 12
//! ```
//!
//! Columns are 1-based and count characters (a CJK character is one column); the snippet is
//! drawn by annotate-snippets, which aligns the markers by display width (CJK = 2 cells).

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use nianbao::diagnostics::{Diagnostic, Severity};
use nianbao::extract::SourceMap;
use nianbao::syntax::{LineIndex, PositionEncoding};

use nianbao::report_json::Texts;

/// At most this many related places are drawn per diagnostic (a table with a hundred blank
/// cells would bury the rest); the JSON output has them all.
const MAX_RELATED: usize = 10;

/// Places at most this many lines apart are drawn in one snippet.
const SNIPPET_GAP: usize = 8;

/// Where the places a diagnostic names are, beyond its own text: other files' texts (a related
/// place in last year's report), and the document the text was read from (a Word document, a
/// page).
struct Places<'a, 'b> {
    others: &'a Texts<'b>,
    map: Option<&'a SourceMap>,
}

/// Renders diagnostics of one file at a time.
pub struct HumanRenderer {
    renderer: Renderer,
    color: bool,
}

impl HumanRenderer {
    pub fn new(color: bool) -> Self {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Self {
            renderer: renderer.decor_style(DecorStyle::Ascii),
            color,
        }
    }

    /// All diagnostics of one file, each followed by an empty line.
    #[cfg(test)]
    pub fn render_file(&self, path: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
        self.render_file_with(path, text, diagnostics, &|_| None, None)
    }

    /// All diagnostics of one file, each followed by an empty line; a related place in another
    /// file (`others` gives its text) is a note `path:line:column：message`. For a Word document
    /// or a page, `map` names the place of each in the document (`报告.docx: Word 表格 2 第 12 行
    /// 第 8 格: …`) instead of a line and column; the snippets show the text `nianbao convert`
    /// prints.
    #[cfg(test)]
    pub fn render_file_with(
        &self,
        path: &str,
        text: &str,
        diagnostics: &[Diagnostic],
        others: &Texts<'_>,
        map: Option<&SourceMap>,
    ) -> String {
        self.render_each(path, text, diagnostics, others, map)
            .concat()
    }

    /// [`Self::render_file_with`], one string per diagnostic (each ending with its empty line),
    /// so that a batch can merge in the findings of the series pass later.
    pub fn render_each(
        &self,
        path: &str,
        text: &str,
        diagnostics: &[Diagnostic],
        others: &Texts<'_>,
        map: Option<&SourceMap>,
    ) -> Vec<String> {
        let index = LineIndex::new(text);
        diagnostics
            .iter()
            .map(|diagnostic| {
                let mut out = String::new();
                let places = Places { others, map };
                self.render_diagnostic(&mut out, path, text, &index, diagnostic, &places);
                out.push('\n');
                out
            })
            .collect()
    }

    fn render_diagnostic(
        &self,
        out: &mut String,
        path: &str,
        text: &str,
        index: &LineIndex,
        diagnostic: &Diagnostic,
        places: &Places<'_, '_>,
    ) {
        let Places { others, map } = *places;
        let primary = clamp(text, &diagnostic.range);
        let pos = index.line_col(text, primary.start, PositionEncoding::Utf32);
        let severity = diagnostic.severity.as_str();
        let code = diagnostic.code.as_str();
        let place = |offset: usize| map.and_then(|m| Some(m.locate(offset)?.describe(m.kind)));
        let at = match place(primary.start) {
            Some(place) => format!("{path}: {place}:"),
            None => format!("{path}:{}:{}:", pos.line + 1, pos.col + 1),
        };
        if self.color {
            let _ = writeln!(
                out,
                "\x1b[1m{at}\x1b[0m {}{severity}[{code}]\x1b[0m\x1b[1m: {}\x1b[0m",
                severity_style(diagnostic.severity),
                diagnostic.message
            );
        } else {
            let _ = writeln!(out, "{at} {severity}[{code}]: {}", diagnostic.message);
        }

        // Places in other files cannot be drawn in this file's snippet: notes, first.
        let mut notes: Vec<String> = diagnostic
            .related
            .iter()
            .filter_map(|r| Some((r.path.as_deref()?, r)))
            .map(|(other, r)| {
                let other_text = others(other).unwrap_or_default();
                let start = clamp(other_text, &r.range).start;
                let at =
                    LineIndex::new(other_text).line_col(other_text, start, PositionEncoding::Utf32);
                format!("{other}:{}:{}：{}", at.line + 1, at.col + 1, r.message)
            })
            .collect();
        let related: Vec<(Range<usize>, &str)> = diagnostic
            .related
            .iter()
            .filter(|r| r.path.is_none())
            .take(MAX_RELATED)
            .map(|r| (clamp(text, &r.range), r.message.as_str()))
            .collect();
        let local = diagnostic
            .related
            .iter()
            .filter(|r| r.path.is_none())
            .count();
        let more = local.saturating_sub(MAX_RELATED);

        // A related note is written as the label of its marker only when the marker is alone on
        // its line: annotate-snippets 0.12 draws a label one cell per character, so anything to
        // the right of a CJK label on the same row would be shifted. Otherwise the marker stays
        // unlabelled and the note follows the snippet.
        let lines_of = |r: &Range<usize>| index.line_of(r.start)..=index.line_of(r.end);
        let spans: Vec<_> = std::iter::once(&primary)
            .chain(related.iter().map(|(r, _)| r))
            .map(lines_of)
            .collect();

        // The snippets: annotations on nearby lines share one (the unannotated lines between
        // them are folded by annotate-snippets); a place further away gets a snippet of its
        // own, so that drawing a diagnostic costs the lines it marks, not the whole text
        // between its first and last place (a report with thousands of duplicate headings).
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| (*spans[i].start(), i));
        let mut clusters: Vec<(Range<usize>, Vec<usize>)> = Vec::new();
        for i in order {
            let (first, last) = (*spans[i].start(), *spans[i].end());
            match clusters.last_mut() {
                Some((lines, members)) if first <= lines.end + SNIPPET_GAP => {
                    lines.end = lines.end.max(last);
                    members.push(i);
                }
                _ => clusters.push((first..last, vec![i])),
            }
        }
        let range_of = |i: usize| if i == 0 { &primary } else { &related[i - 1].0 };
        let mut snippets = Vec::new();
        for (lines, members) in &clusters {
            let start = index.line_start(lines.start);
            let last = members
                .iter()
                .map(|&i| range_of(i).end)
                .max()
                .unwrap_or(start);
            let end = index.line_range(text, lines.end).end.max(last);
            let source = &text[start..end];
            let shift = |r: &Range<usize>| (r.start.max(start) - start)..(r.end.min(end) - start);
            let mut snippet = Snippet::source(source)
                .line_start(lines.start + 1)
                .fold(true);
            if !snippets.is_empty() {
                // A further snippet is introduced by `::: path` (as rustc does).
                snippet = snippet.path(path);
            }
            for &i in members {
                if i == 0 {
                    snippet = snippet.annotation(AnnotationKind::Primary.span(shift(&primary)));
                    continue;
                }
                let (range, message) = &related[i - 1];
                let mine = &spans[i];
                let alone = mine.start() == mine.end()
                    && spans
                        .iter()
                        .enumerate()
                        .all(|(j, other)| j == i || !other.contains(mine.start()));
                let marker = AnnotationKind::Context.span(shift(range));
                if alone || message.is_empty() {
                    snippet = snippet.annotation(marker.label(*message));
                } else {
                    snippet = snippet.annotation(marker);
                    let where_ = place(range.start).unwrap_or_else(|| {
                        let at = index.line_col(text, range.start, PositionEncoding::Utf32);
                        format!("第 {} 行第 {} 列", at.line + 1, at.col + 1)
                    });
                    notes.push(format!("{where_}：{message}"));
                }
            }
            snippets.push(snippet);
        }
        let mut group = Group::with_level(level(diagnostic.severity)).elements(snippets);
        if more > 0 {
            notes.push(format!("另有 {more} 处相关位置（--format json 列出全部）"));
        }
        for note in notes {
            group = group.element(Level::NOTE.message(note));
        }
        if let Some(fix) = &diagnostic.fix {
            group = group.element(Level::HELP.message(fix.title.as_str()));
        }

        out.push_str(&self.renderer.render(&[group]));
        out.push('\n');
    }

    /// `检查 2 个文件，共 3 个问题（错误 2，警告 1）`; unreadable files are added at the end.
    #[cfg(test)]
    pub fn summary(&self, files: usize, diagnostics: &[&Diagnostic], unreadable: usize) -> String {
        let mut counts = Counts::default();
        for d in diagnostics {
            counts.add(d.severity);
        }
        self.summary_of(files, &counts, unreadable)
    }

    /// The summary line from the number of diagnostics of each severity.
    pub fn summary_of(&self, files: usize, counts: &Counts, unreadable: usize) -> String {
        let count = |s: Severity| counts.of(s);
        let total = counts.total();
        let parts: Vec<String> = [
            (Severity::Error, "错误"),
            (Severity::Warning, "警告"),
            (Severity::Information, "信息"),
            (Severity::Hint, "提示"),
        ]
        .into_iter()
        .filter_map(|(s, name)| {
            let n = count(s);
            (n > 0).then(|| format!("{name} {n}"))
        })
        .collect();
        let mut line = format!("检查 {files} 个文件，");
        if total == 0 {
            line.push_str("未发现问题");
        } else {
            let _ = write!(line, "共 {total} 个问题（{}）", parts.join("，"));
        }
        if unreadable > 0 {
            let _ = write!(line, "；{unreadable} 个文件无法读取");
        }
        if self.color {
            format!("\x1b[1m{line}\x1b[0m\n")
        } else {
            line + "\n"
        }
    }
}

/// How many diagnostics of each severity (error, warning, information, hint).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts([usize; 4]);

impl Counts {
    fn slot(severity: Severity) -> usize {
        match severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Information => 2,
            Severity::Hint => 3,
        }
    }

    pub fn add(&mut self, severity: Severity) {
        self.0[Self::slot(severity)] += 1;
    }

    pub fn of(&self, severity: Severity) -> usize {
        self.0[Self::slot(severity)]
    }

    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO,
        Severity::Hint => Level::NOTE,
    }
}

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;91m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Information => "\x1b[1;94m",
        Severity::Hint => "\x1b[1;92m",
    }
}

/// `range` within `text`, on char boundaries, start ≤ end.
fn clamp(text: &str, range: &Range<usize>) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(range.start);
    start..floor(range.end).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao::diagnostics::{Code, Edit};

    /// A cut of table 3 of a real report (tab rows, `real/001.txt` style) with hand-made
    /// diagnostics: markers must sit under the right characters despite CJK and TABs.
    const TEXT: &str = "三、收到和处理政府信息公开申请情况\n\
        一、本年新收政府信息公开申请数量\t\t\t21\t0\t0\t0\t0\t0\t21\n\
        二、上年结转政府信息公开申请数量\t\t\t0\t0\t0\t0\t0\t0\t0\n\
        \t（七）总计\t\t20\t0\t0\t0\t0\t0\t19\n\
        四、结转下年度继续办理\t\t\t1\t0\t0\t0\t0\t0\t1\n";

    fn at(needle: &str, nth: usize) -> Range<usize> {
        let start = TEXT
            .match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap_or_default();
        start..start + needle.len()
    }

    fn render(diagnostics: &[Diagnostic]) -> String {
        HumanRenderer::new(false).render_file("reports/洪泽区.txt", TEXT, diagnostics)
    }

    #[test]
    fn sum_mismatch_with_fix_and_related() {
        let total = at("19", 0);
        let diagnostic = Diagnostic::new(
            Code::SumMismatch,
            total.clone(),
            "（七）总计的总计应为 20（各列之和），实为 19",
        )
        .with_related(at("（七）总计", 0), "本行各申请人列之和为 20")
        .with_fix(
            "改为 20",
            vec![Edit {
                range: total,
                new_text: "20".into(),
            }],
        );
        insta::assert_snapshot!(render(&[diagnostic]));
    }

    /// The source text above each run of markers (`^^`, `--`) in rendered output, measured in
    /// display columns (CJK = 2), as a terminal shows it.
    fn marked(rendered: &str) -> Vec<String> {
        use unicode_width::UnicodeWidthChar;
        let lines: Vec<&str> = rendered.lines().collect();
        let mut found = Vec::new();
        for pair in lines.windows(2) {
            let (source, markers) = (pair[0], pair[1]);
            let is_source = source.split_once(" | ").is_some_and(|(n, _)| {
                let n = n.trim();
                !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
            });
            if !is_source {
                continue;
            }
            let mut column = 0;
            let mut cells = Vec::new(); // (display column, char)
            for ch in source.chars() {
                cells.push((column, ch));
                column += ch.width().unwrap_or(0);
            }
            let mut col = 0;
            let mut run: Option<(usize, usize)> = None;
            for ch in markers.chars().chain([' ']) {
                if ch == '^' || ch == '-' {
                    run = Some(run.map_or((col, col + 1), |(s, _)| (s, col + 1)));
                } else if let Some((start, end)) = run.take() {
                    found.push(
                        cells
                            .iter()
                            .filter(|(c, _)| (start..end).contains(c))
                            .map(|(_, ch)| *ch)
                            .collect(),
                    );
                }
                col += ch.width().unwrap_or(0);
            }
        }
        found
    }

    #[test]
    fn markers_align_under_cjk_and_tabs() {
        let total = at("19", 0);
        let diagnostic = Diagnostic::new(Code::SumMismatch, total, "总计")
            .with_related(at("（七）总计", 0), "同一行")
            .with_related(at("21", 0), "另一行");
        assert_eq!(marked(&render(&[diagnostic])), ["21", "（七）总计", "19"]);
    }

    #[test]
    fn related_on_another_line_and_warning_without_fix() {
        let row4 = at("四、结转下年度继续办理\t\t\t1", 0).end;
        let diagnostic = Diagnostic::new(
            Code::BalanceMismatch,
            row4 - 1..row4,
            "勾稽关系不成立（自然人列）：一 + 二 = 21，（七）总计 + 四 = 21",
        )
        .with_related(at("21", 0), "第一项")
        .with_related(at("\t20", 0).start + 1..at("\t20", 0).end, "（七）总计")
        .with_severity(Severity::Warning);
        insta::assert_snapshot!(render(&[diagnostic]));
    }

    #[test]
    fn empty_range_at_end_of_text_and_hint() {
        let missing = Diagnostic::new(
            Code::SectionMissing,
            TEXT.len()..TEXT.len(),
            "缺少第四部分「四、政府信息公开行政复议、行政诉讼情况」",
        );
        let hint = Diagnostic::new(Code::NumberFormat, at("四", 1), "（测试）提示级诊断");
        insta::assert_snapshot!(render(&[missing, hint]));
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)] // an inverted range is one of the cases
    fn out_of_range_and_mid_char_ranges_do_not_panic() {
        let diagnostics = [
            Diagnostic::new(Code::CellInvalid, 1..2, "字符中间"),
            Diagnostic::new(Code::CellInvalid, 5..usize::MAX, "超出文本"),
            Diagnostic::new(Code::CellInvalid, 9..3, "倒置"),
        ];
        let out = render(&diagnostics);
        assert!(out.contains("reports/洪泽区.txt:1:1: error[cell-invalid]: 字符中间"));
        let out = HumanRenderer::new(false).render_file("-", "", &diagnostics);
        assert!(out.contains("-:1:1: error[cell-invalid]: 超出文本"));
    }

    #[test]
    fn many_related_places_are_capped() {
        let mut diagnostic = Diagnostic::new(Code::CellEmpty, at("19", 0), "空白单元格");
        for i in 0..13 {
            diagnostic = diagnostic.with_related(i..i, format!("第 {i} 处"));
        }
        let out = render(&[diagnostic]);
        assert!(
            out.contains("第 9 处") && !out.contains("第 10 处"),
            "{out}"
        );
        assert!(out.contains("另有 3 处相关位置"), "{out}");
    }

    /// Regression: a related place far from the primary one (a duplicate heading and its first
    /// occurrence) was drawn from one snippet spanning every line between them, so a report with
    /// 20,000 duplicate headings took time quadratic in its length (10 s in release). Far places
    /// now get a snippet of their own.
    #[test]
    fn a_far_related_place_gets_its_own_snippet() {
        let text: String = (0..400).map(|i| format!("第 {i} 行\n")).collect();
        let line = |i: usize| {
            let start = text.find(&format!("第 {i} 行")).unwrap_or_default();
            start..start + format!("第 {i} 行").len()
        };
        let near = Diagnostic::new(Code::SectionDuplicate, line(12), "近")
            .with_related(line(5), "第一次出现在这里");
        let far = Diagnostic::new(Code::SectionDuplicate, line(399), "远")
            .with_related(line(1), "第一次出现在这里");
        let out = HumanRenderer::new(false).render_file("a.txt", &text, &[near, far]);
        let (near, far) = out.split_at(out.find("a.txt:400").unwrap_or_default());
        assert!(!near.contains(":::"), "{near}");
        assert!(far.contains("::: a.txt:400:1"), "{far}");
        assert!(
            far.contains("第 1 行") && far.contains("第 399 行"),
            "{far}"
        );
        assert_eq!(far.matches("第 ").count(), 2, "{far}");
    }

    /// A Word document's diagnostics are named by their place in it, related places too.
    #[test]
    fn word_places_replace_line_and_column() {
        let built = nianbao::docx::build::report(
            "四、政府信息公开行政复议、行政诉讼情况\n结果维持\t结果纠正\t总计\n10\t1\t19\n",
        );
        let Ok(doc) = nianbao::docx::read(&built.docx) else {
            panic!("not read");
        };
        let text = doc.text();
        let at = |s: &str| text.find(s).map_or(0..0, |i| i..i + s.len());
        let d = Diagnostic::new(Code::SumMismatch, at("19"), "总计应为 11，实为 19")
            .with_related(at("10"), "结果维持：10")
            .with_related(at("1\t19"), "结果纠正：1");
        let out = HumanRenderer::new(false).render_file_with(
            "报告.docx",
            text,
            &[d],
            &|_| None,
            Some(&doc.extracted.map),
        );
        assert!(
            out.starts_with("报告.docx: Word 表格 1 第 2 行 第 3 格: error[sum-mismatch]: 总计应为 11，实为 19\n"),
            "{out}"
        );
        assert!(
            out.contains("= note: Word 表格 1 第 2 行 第 1 格：结果维持：10"),
            "{out}"
        );
        // The snippet is the extracted text, with its line number.
        assert!(out.contains("3 | 10    1    19"), "{out}");
    }

    #[test]
    fn summary_counts_by_severity() {
        let r = HumanRenderer::new(false);
        let e = Diagnostic::new(Code::SumMismatch, 0..1, "");
        let w = Diagnostic::new(Code::ColumnMissing, 0..1, "");
        assert_eq!(r.summary(3, &[], 0), "检查 3 个文件，未发现问题\n");
        assert_eq!(
            r.summary(2, &[&e, &e, &w], 1),
            "检查 2 个文件，共 3 个问题（错误 2，警告 1）；1 个文件无法读取\n"
        );
    }
}
