//! Property tests: generated reports in every layout, with the artefacts real reports carry,
//! are formatted losslessly (modulo whitespace), idempotently and without changing the analysis.
//!
//! A case is a list of numbers the generator draws its choices from (shrinking shortens the list
//! and lowers the numbers, which means fewer and simpler choices; an exhausted list answers 0).
//!
//! `cargo test -p nianbao format` runs 256 cases (`NIANBAO_PROPTEST_CASES` overrides); the long
//! run is `NIANBAO_PROPTEST_CASES=100000 cargo test --release -p nianbao format::proptests -- --ignored`.

use std::time::Instant;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

use super::tests::assert_properties;
use crate::skeleton;
use crate::template::{self, TemplateId};

/// Draws choices from the case's numbers.
struct Gen {
    choices: Vec<u32>,
    at: usize,
}

impl Gen {
    fn new(choices: Vec<u32>) -> Self {
        Self { choices, at: 0 }
    }

    fn next(&mut self) -> u32 {
        let v = self.choices.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        v
    }

    /// 0..n.
    fn pick(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.next() as usize % n
    }

    /// True with probability about `percent`/100 (false when the choices run out).
    fn chance(&mut self, percent: u32) -> bool {
        let v = self.next();
        v != 0 && v % 100 < percent
    }

    fn one<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.pick(items.len())]
    }
}

/// How a table is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// 1a: one row per line, TAB-separated.
    Tab,
    /// 1b: one TAB-prefixed cell per line, blank line between rows.
    CellPerLine,
    /// 1c: `cell |` per line.
    PipePerLine,
    /// Markdown `| a | b |` rows with a delimiter row.
    Markdown,
    /// PDF text: cells separated by spaces.
    Spaced,
}

const LAYOUTS: [Layout; 5] = [
    Layout::Tab,
    Layout::CellPerLine,
    Layout::PipePerLine,
    Layout::Markdown,
    Layout::Spaced,
];

const PROSE: &[&str] = &[
    "本机关认真贯彻落实《中华人民共和国政府信息公开条例》",
    "全年主动公开政府信息 510 条",
    "收到政府信息公开申请 5 件",
    "上年结转 2 件",
    "行政复议 1 件，行政诉讼 0 件",
    "**一是加强组织领导。**高度重视",
    "网站地址为 <http://www.example.gov.cn>",
    "2021 年 1 月 4 日",
    "依据第二十条第（一）项",
    "（一）主要问题",
    "(二)改进措施",
    "一是完善制度",
    "1.加强培训",
    "𠀀𠀁 生僻字 😀",
    "ASCII words and 123",
    "２０２０年全角数字",
    "减47 与 +81 与 -2",
    "“三安全一稳定”",
    "本报告中所列数据统计期限为2020年1月1日至12月31日",
    "信息处理费 0 元",
    "组长，各科室",
    "三、本年度办理结果",
    "四、结转下年度继续办理",
];

const SPACES: &[&str] = &[
    " ", "  ", "\t", "\u{3000}", "\u{a0}", " \t ", "\u{2003}", "\u{c}", "\u{85}",
];
const PAGES: &[&str] = &[
    "- 2 -",
    "— 3 —",
    "P. 9",
    "Page 9 - 2020年报_审计局",
    "第 3 页",
];
const VALUES: &[&str] = &[
    "0",
    "1",
    "7",
    "21",
    "102",
    "减47",
    "-2",
    "+81",
    "1,234",
    "１２",
    "10682.4701",
    "/",
    "",
    "无",
    "12a",
    "3 4",
];
const GARBAGE: &[&str] = &[
    "|||",
    "\t",
    "|",
    "||",
    "\t\t",
    "|---|---|",
    "\u{0}",
    "x\u{0}y",
    "<!-- nianbao-disable-next-line number-format: 原件如此 -->",
    "<!-- nianbao-disable cell-empty: 原表空白 -->",
    "**",
    "- 4 -",
    "\u{feff}",
    "行政处罚 4119",
    "0 0 0 0 0",
    "结 结 其 尚",
];

/// A generated report.
fn report(g: &mut Gen) -> String {
    let id = if g.chance(50) {
        TemplateId::F2021
    } else {
        TemplateId::F2019
    };
    let year = if id == TemplateId::F2019 {
        2019 + g.pick(2)
    } else {
        2021 + g.pick(5)
    };
    let doc_layout = LAYOUTS[g.pick(LAYOUTS.len())];
    let mut lines: Vec<String> = Vec::new();
    for _ in 0..g.pick(3) {
        lines.push(String::new());
    }
    match g.pick(4) {
        0 => lines.push(format!("测试市卫生健康局{year}年政府信息公开工作年度报告")),
        1 => {
            lines.push("测试市卫生健康局".into());
            lines.push(String::new());
            lines.push(format!("{year}年政府信息公开工作年度报告"));
        }
        2 => lines.push(format!("测试市 {year} 年政府信息公开工作年度报告")),
        _ => {}
    }
    let template = template::template(id);
    let mut order: Vec<u8> = (1..=6).collect();
    if g.chance(10) {
        let a = g.pick(6);
        let b = g.pick(6);
        order.swap(a, b);
    }
    if g.chance(10) {
        order.remove(g.pick(order.len()));
    }
    if g.chance(5) {
        let dup = order[g.pick(order.len())];
        order.push(dup);
    }
    for number in order {
        let Some(section) = template.section_by_number(number) else {
            continue;
        };
        blank_lines(g, &mut lines);
        let indent = if g.chance(10) { g.one(SPACES) } else { "" };
        lines.push(format!("{indent}{}、{}", section.numeral, section.title));
        if g.chance(30) {
            blank_lines(g, &mut lines);
        }
        for _ in 0..g.pick(3) {
            prose(g, &mut lines);
        }
        if let Some(table) = skeleton::section_table(id, number) {
            let layout = if g.chance(70) {
                doc_layout
            } else {
                LAYOUTS[g.pick(LAYOUTS.len())]
            };
            render_table(g, &table, layout, &mut lines);
            for _ in 0..g.pick(2) {
                prose(g, &mut lines);
            }
        }
    }
    if g.chance(30) {
        lines.push(String::new());
        lines.push("测试市卫生健康局".into());
        lines.push(format!("{} 年 1 月 4 日", year + 1));
    }
    artefacts(g, &mut lines);
    finish(g, lines)
}

/// Text made of grammar atoms: hostile input.
fn chaos(g: &mut Gen) -> String {
    const ATOMS: &[&str] = &[
        "\t",
        "|",
        "一、",
        "二、主动公开政府信息情况",
        "（一）",
        "1.",
        "\n",
        "\r\n",
        " ",
        "**",
        "<a:b>",
        "-",
        "0",
        "减",
        "第二十条第（一）项",
        "年度报告",
        "\u{3000}",
        "\u{0}",
        "\u{feff}",
        "P. 1",
        "- 2 -",
        "x",
        "信息内容",
        "规章",
        "自然人",
        "总计",
        "行政复议",
        "𠀀",
        "😀",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量",
        "\n\n\n",
    ];
    let n = g.pick(80);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(g.one(ATOMS));
    }
    s
}

fn blank_lines(g: &mut Gen, lines: &mut Vec<String>) {
    let n = match g.pick(10) {
        0..=5 => 1,
        6 | 7 => 0,
        8 => 2,
        _ => 3,
    };
    for _ in 0..n {
        lines.push(if g.chance(10) {
            g.one(SPACES).replace('\t', " ")
        } else {
            String::new()
        });
    }
}

fn prose(g: &mut Gen, lines: &mut Vec<String>) {
    let mut s = String::new();
    if g.chance(15) {
        s.push_str("\u{3000}\u{3000}");
    }
    for k in 0..1 + g.pick(4) {
        if k > 0 {
            s.push_str(g.one(&["，", "。", "；", " ", ""]));
        }
        s.push_str(g.one(PROSE));
    }
    s.push('。');
    // A sentence broken by a page (layouts.md §2): the rest after a blank line.
    if g.chance(10) && s.chars().count() > 4 {
        let cut = s
            .char_indices()
            .nth(s.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        lines.push(s[..cut].to_string());
        lines.push(String::new());
        lines.push(s[cut..].to_string());
    } else {
        lines.push(s);
    }
    if g.chance(40) {
        lines.push(String::new());
    }
}

/// Fills a skeleton table (TAB rows of zeros) with values and writes it in `layout`.
fn render_table(g: &mut Gen, skeleton: &str, layout: Layout, lines: &mut Vec<String>) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in skeleton.lines() {
        let mut cells: Vec<String> = line
            .split('\t')
            .map(|c| {
                if c == "0" {
                    g.one(VALUES).to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        // Cells lost in export, labels broken by justification spaces.
        if g.chance(5) && cells.len() > 2 {
            cells.remove(1 + g.pick(cells.len() - 1));
        }
        if g.chance(5)
            && let Some(c) = cells.iter_mut().find(|c| c.chars().count() > 3)
        {
            let cut = c.char_indices().nth(2).map_or(0, |(i, _)| i);
            c.insert(cut, ' ');
        }
        rows.push(cells);
    }
    if g.chance(10) {
        let at = g.pick(rows.len());
        rows.remove(at);
    }
    match layout {
        Layout::Tab => {
            for row in &rows {
                let sep = if g.chance(5) { " " } else { "\t" };
                let cells: Vec<String> = row.iter().map(|c| pad(g, c)).collect();
                lines.push(cells.join(sep));
                interrupt(g, lines);
            }
        }
        Layout::CellPerLine => {
            for row in &rows {
                for cell in row {
                    let cell = if g.chance(10) && cell.chars().count() > 3 {
                        // A header cell broken over two lines: the rest has no TAB.
                        let cut = cell.char_indices().nth(3).map_or(0, |(i, _)| i);
                        format!("{}\n{}", &cell[..cut], &cell[cut..])
                    } else {
                        cell.clone()
                    };
                    for (k, part) in cell.split('\n').enumerate() {
                        let trail = if g.chance(10) { g.one(SPACES) } else { "" };
                        if k == 0 {
                            lines.push(format!("\t{part}{trail}"));
                        } else {
                            lines.push(format!("{part}{trail}"));
                        }
                    }
                    if g.chance(2) {
                        lines.push(g.one(PAGES).to_string());
                    }
                }
                match g.pick(10) {
                    0 => {}
                    1 => {
                        lines.push(String::new());
                        lines.push(String::new());
                    }
                    _ => lines.push(String::new()),
                }
            }
        }
        Layout::PipePerLine => {
            for row in &rows {
                for cell in row {
                    if cell.is_empty() {
                        lines.push(g.one(&["||", "|||", "||||||||"]).to_string());
                    } else {
                        lines.push(format!("{cell} |"));
                    }
                }
                interrupt(g, lines);
            }
        }
        Layout::Markdown => {
            for (k, row) in rows.iter().enumerate() {
                let cells: Vec<String> = row.iter().map(|c| pad(g, c)).collect();
                let lead = if g.chance(90) { "|" } else { "" };
                let trail = if g.chance(90) { "|" } else { "" };
                lines.push(format!("{lead}{}{trail}", cells.join("|")));
                if k == 0 || g.chance(10) {
                    let n = 1 + g.pick(row.len().max(1));
                    let dashes = vec![g.one(&["---", " --- ", ":---:", "-----"]); n];
                    lines.push(format!("|{}|", dashes.join("|")));
                }
                interrupt(g, lines);
            }
        }
        Layout::Spaced => {
            for row in &rows {
                let cells: Vec<&str> = row
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !c.is_empty())
                    .collect();
                lines.push(cells.join(g.one(&[" ", "  "])));
                interrupt(g, lines);
            }
        }
    }
}

/// Random space around a cell.
fn pad(g: &mut Gen, cell: &str) -> String {
    if g.chance(15) {
        format!(
            "{}{cell}{}",
            g.one(&[" ", "", "\u{3000}", "\u{2003}"]),
            g.one(&[" ", "  ", "", "\u{a0}"])
        )
    } else {
        cell.to_string()
    }
}

/// Page numbers and blank lines between rows.
fn interrupt(g: &mut Gen, lines: &mut Vec<String>) {
    if g.chance(4) {
        lines.push(g.one(PAGES).to_string());
    }
    if g.chance(6) {
        lines.push(String::new());
    }
}

/// Line-level artefacts: trailing spaces, garbage lines, blank lines anywhere.
fn artefacts(g: &mut Gen, lines: &mut Vec<String>) {
    let n = lines.len();
    for _ in 0..g.pick(6) {
        if lines.is_empty() {
            break;
        }
        let at = g.pick(n.min(lines.len()));
        match g.pick(4) {
            0 => lines[at].push_str(g.one(SPACES)),
            1 => lines.insert(at, g.one(GARBAGE).to_string()),
            2 => lines.insert(at, String::new()),
            _ => lines.insert(at, g.one(PAGES).to_string()),
        }
    }
}

/// Joins the lines with the chosen line breaks and ending.
fn finish(g: &mut Gen, lines: Vec<String>) -> String {
    let eol = match g.pick(10) {
        0..=6 => "\n",
        7 | 8 => "\r\n",
        _ => "mixed",
    };
    let mut out = String::new();
    for (k, line) in lines.iter().enumerate() {
        if k > 0 {
            out.push_str(match eol {
                "mixed" => {
                    if g.chance(50) {
                        "\r\n"
                    } else {
                        "\n"
                    }
                }
                e => e,
            });
        }
        out.push_str(line);
    }
    if !g.chance(10) {
        out.push_str(if eol == "\r\n" { "\r\n" } else { "\n" });
    }
    out
}

fn case(choices: Vec<u32>) -> String {
    let mut g = Gen::new(choices);
    if g.chance(10) {
        chaos(&mut g)
    } else {
        report(&mut g)
    }
}

fn cases() -> u32 {
    std::env::var("NIANBAO_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

fn strategy() -> impl Strategy<Value = Vec<u32>> {
    vec(any::<u32>(), 0..800)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn generated_reports_keep_the_properties(choices in strategy()) {
        let text = case(choices);
        assert_properties("generated", &text);
    }
}

/// The dedicated long run (≥ 100,000 cases by default).
#[test]
#[ignore]
fn long_property_run() {
    let n = std::env::var("NIANBAO_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut runner = TestRunner::new(RunnerConfig {
        cases: n,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    // Shrinking replays failures many times: keep their panic messages out of the log (the
    // final one is in the error below). Run this test alone.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let result = runner.run(&strategy(), |choices| {
        let text = case(choices);
        assert_properties("generated", &text);
        Ok(())
    });
    let elapsed = started.elapsed();
    std::panic::set_hook(hook);
    if let Err(e) = result {
        panic!("after {:.1} s: {e}", elapsed.as_secs_f64());
    }
    eprintln!(
        "format property run: {n} cases passed in {:.1} s ({:.2} ms/case)",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / f64::from(n.max(1))
    );
}

/// Generated texts look like what they should (the generator itself is tested).
#[test]
fn generator_makes_every_layout() {
    let mut seen = [false; 5];
    for seed in 0..400u32 {
        let choices: Vec<u32> = (0..800u32)
            .map(|i| {
                seed.wrapping_mul(2_654_435_761)
                    .wrapping_add(i.wrapping_mul(40_503))
                    .rotate_left(i % 31)
            })
            .collect();
        let text = case(choices);
        seen[0] |= text.lines().any(|l| l.matches('\t').count() >= 3);
        seen[1] |= text.contains("\n\t0\n\t");
        seen[2] |= text.contains(" |\n");
        seen[3] |= text.contains("|---|") || text.contains("| --- |");
        seen[4] |= text.contains("0 0 0");
    }
    assert_eq!(seen, [true; 5]);
}
