//! The series pass over series made from the corpus: `real/001` → `real/002` (淮安市洪泽区人民政府
//! 2023 → 2024, titled two ways), the 平潭综合实验区 reports of `degraded/` (identity from the
//! text or the file name; tables and sections unreadable), planted breaks, other bodies of the
//! same years, unknown identities, copied and honestly rewritten sections 五.

use super::*;
use crate::analysis::{Config, analyze};
use crate::diagnostics::Code;

fn corpus(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/");
    std::fs::read_to_string(format!("{path}{name}"))
        .unwrap_or_else(|e| panic!("../shared/corpus/{name} must sit beside the repository: {e}"))
}

/// An entry named `name` (also its file name).
fn entry(name: &str, text: &str) -> Entry {
    Entry::new(
        name.to_string(),
        text,
        &analyze(text, &Config::default()),
        Some(name),
    )
}

fn codes(o: &Outcome) -> Vec<Code> {
    o.diagnostics.iter().map(|d| d.code).collect()
}

/// 002's line `二、上年结转…` with these seven values.
fn carried_line(values: [&str; 7]) -> String {
    format!(
        "二、上年结转政府信息公开申请数量\t\t\t{}",
        values.join("\t")
    )
}

const CARRIED_ZERO: &str = "二、上年结转政府信息公开申请数量\t\t\t0\t0\t0\t0\t0\t0\t0";

#[test]
fn identity_of_real_reports() {
    let cases = [
        ("real/001.txt", "洪泽区人民政府", Source::Title, 2023),
        ("real/002.txt", "淮安市洪泽区人民政府", Source::Title, 2024),
        ("real/003.txt", "上海市人民政府办公厅", Source::Title, 2019),
        ("real/004.txt", "淮安市人民政府", Source::Title, 2024),
        ("real/024.txt", "沭阳县发展和改革局", Source::Opening, 2023),
        (
            "real/seed-002.txt",
            "北京市密云区卫生健康委员会",
            Source::Title,
            2020,
        ),
        ("real/seed-000.txt", "沙河市卫生健康局", Source::Title, 2020),
        ("degraded/007.txt", "平潭综合实验区", Source::Opening, 2019),
        ("degraded/009.txt", "平潭综合实验区", Source::Opening, 2021),
        // No title line found: the name is read across the opening's lines.
        ("real/014.txt", "上海市科委", Source::Opening, 2024),
        // A flipbook page: `Page 8 - 威海市文登区信访局2022年政府信息公开工作年度报告`.
        ("real/006.txt", "威海市文登区信访局", Source::Opening, 2022),
    ];
    for (name, body, source, year) in cases {
        let e = entry(name, &corpus(name));
        let id = &e.identity;
        assert_eq!(
            id.body.as_ref().map(|b| (b.value.as_str(), b.source)),
            Some((body, source)),
            "{name}: {id:?}"
        );
        assert_eq!(
            id.year.as_ref().map(|y| y.value),
            Some(year),
            "{name}: {id:?}"
        );
    }
    // 024 is signed by the same body, under the date.
    let e = entry("024.txt", &corpus("real/024.txt"));
    let signature = e
        .identity
        .readings
        .iter()
        .find(|r| r.source == Source::Signature);
    assert_eq!(
        signature.and_then(|r| r.body.as_deref()),
        Some("沭阳县发展和改革局")
    );
}

#[test]
fn identity_from_the_file_name_when_the_text_names_no_body() {
    let text = corpus("degraded/012.txt");
    let unnamed = entry("012.txt", &text);
    assert_eq!(unnamed.identity.body, None);
    assert_eq!(unnamed.year(), Some(2024), "from the data period");
    assert!(unnamed.identity.problems[0].contains("发布机关"));

    let named = entry("平潭综合实验区2024年政府信息公开工作年度报告.txt", &text);
    let body = named
        .identity
        .body
        .as_ref()
        .map(|b| (b.value.as_str(), b.source));
    assert_eq!(body, Some(("平潭综合实验区", Source::FileName)));
    assert_eq!(named.year(), Some(2024));
}

#[test]
fn a_year_stated_two_ways_is_unknown() {
    // Last year's file copied under this year's name, its text not yet updated.
    let e = entry("淮安市洪泽区人民政府2025年报.txt", &corpus("real/002.txt"));
    assert_eq!(e.year(), None);
    assert!(
        e.identity
            .problems
            .iter()
            .any(|p| p.contains("标题为 2024 年") && p.contains("文件名为 2025 年")),
        "{:?}",
        e.identity.problems
    );
    let outcome = &check(&[e])[0];
    assert!(outcome.notes.iter().any(|n| n.contains("报告年度不明")));
}

#[test]
fn real_001_and_002_are_one_body_and_agree() {
    let entries = [
        entry("001.txt", &corpus("real/001.txt")),
        entry("002.txt", &corpus("real/002.txt")),
    ];
    let out = check(&entries);
    assert_eq!(out[1].previous, Some(0));
    assert_eq!(out[0].next, Some(1));
    assert_eq!(codes(&out[1]), vec![], "{:?}", out[1].diagnostics);
    assert!(
        out[0].notes.iter().any(|n| n.contains("视为同一机关")),
        "{:?}",
        out[0].notes
    );
    // Honest rewriting: similar, far from a copy.
    let (a, b) = (&entries[0].section5, &entries[1].section5);
    let s = similarity(
        &a.as_ref().map(|s| s.chars.clone()).unwrap_or_default(),
        &b.as_ref().map(|s| s.chars.clone()).unwrap_or_default(),
    );
    assert!((0.55..0.7).contains(&s), "{s}");
}

#[test]
fn a_planted_break_in_every_column() {
    let planted = corpus("real/002.txt").replace(
        CARRIED_ZERO,
        &carried_line(["1", "2", "3", "4", "5", "6", "21"]),
    );
    let first = corpus("real/001.txt");
    let entries = [entry("001.txt", &first), entry("002.txt", &planted)];
    let out = check(&entries);
    let d = &out[1].diagnostics;
    assert_eq!(d.len(), 7, "{d:?}");
    let columns = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ];
    let carry_next = "四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t0";
    let row_at = first.find(carry_next).unwrap_or_default();
    for (i, (d, column)) in d.iter().zip(columns).enumerate() {
        let written = ["1", "2", "3", "4", "5", "6", "21"][i];
        assert_eq!(d.code, Code::CarryoverMismatch);
        assert_eq!(&planted[d.range.clone()], written);
        assert_eq!(
            d.message,
            format!(
                "“{column}”列上年结转应为 0（2023 年报告“结转下年度继续办理”），实为 {written}"
            )
        );
        let related = &d.related[0];
        assert_eq!(related.path.as_deref(), Some("001.txt"));
        assert_eq!(&first[related.range.clone()], "0");
        assert!(related.range.start > row_at, "points into 001's row 四");
        assert!(d.fix.is_none(), "either year may be wrong: no safe fix");
        assert_eq!(d.suggestions[0].edits[0].new_text, "0");
        assert_eq!(d.suggestions[0].edits[0].range, d.range);
    }
    // Last year's report gets nothing: findings sit on the later year.
    assert!(out[0].diagnostics.is_empty());
}

#[test]
fn a_blank_part_counts_zero_and_a_blank_total_is_not_compared() {
    let planted = corpus("real/002.txt").replace(
        CARRIED_ZERO,
        &carried_line(["", "0", "0", "0", "0", "0", ""]),
    );
    let first = corpus("real/001.txt").replace(
        "四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t0",
        "四、结转下年度继续办理\t\t\t2\t0\t0\t0\t0\t0\t2",
    );
    let out = check(&[entry("001.txt", &first), entry("002.txt", &planted)]);
    let d = &out[1].diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].message,
        "“自然人”列上年结转应为 2（2023 年报告“结转下年度继续办理”），实为空"
    );
}

#[test]
fn other_bodies_of_the_same_years_are_never_compared() {
    let planted = corpus("real/002.txt").replace(
        CARRIED_ZERO,
        &carried_line(["1", "0", "0", "0", "0", "0", "1"]),
    );
    let entries = [
        entry("001.txt", &corpus("real/001.txt")),
        entry("002.txt", &planted),
        // 淮安市人民政府 2024 — the parent government, same year as 002.
        entry("004.txt", &corpus("real/004.txt")),
        // 沭阳县发展和改革局 2023 — same year as 001.
        entry("024.txt", &corpus("real/024.txt")),
        // 上海市人民政府办公厅 2019, 2025.
        entry("003.txt", &corpus("real/003.txt")),
        entry("015.txt", &corpus("real/015.txt")),
    ];
    let out = check(&entries);
    assert_eq!(out[1].previous, Some(0));
    assert_eq!(codes(&out[1]), vec![Code::CarryoverMismatch; 2]);
    for i in 2..entries.len() {
        assert_eq!(out[i].previous, None, "{}", entries[i].name);
        assert_eq!(out[i].next, None, "{}", entries[i].name);
        assert!(out[i].diagnostics.is_empty(), "{}", entries[i].name);
    }
    assert!(
        out[2]
            .notes
            .iter()
            .any(|n| n.contains("没有淮安市人民政府其他年度的报告")),
        "{:?}",
        out[2].notes
    );
    assert!(
        out[5]
            .notes
            .iter()
            .any(|n| n.contains("没有上海市人民政府办公厅 2024 年度")),
        "{:?}",
        out[5].notes
    );
}

#[test]
fn unknown_identities_are_not_compared() {
    let text = corpus("degraded/012.txt");
    let out = check(&[
        entry("012.txt", &text),
        entry("013.txt", &corpus("degraded/013.txt")),
    ]);
    for o in &out {
        assert_eq!((o.previous, o.next), (None, None));
        assert!(
            o.notes.iter().any(|n| n.contains("发布机关不明")),
            "{:?}",
            o.notes
        );
    }
}

#[test]
fn a_series_named_by_its_files_is_grouped_but_unread_tables_are_unknown() {
    let names = [
        (
            "degraded/010.txt",
            "平潭综合实验区2022年政府信息公开工作年度报告.txt",
        ),
        (
            "degraded/011.txt",
            "平潭综合实验区2023年政府信息公开工作年度报告.txt",
        ),
        (
            "degraded/012.txt",
            "平潭综合实验区2024年政府信息公开工作年度报告.txt",
        ),
    ];
    let entries: Vec<Entry> = names
        .iter()
        .map(|(path, name)| entry(name, &corpus(path)))
        .collect();
    let out = check(&entries);
    assert_eq!(out[1].previous, Some(0));
    assert_eq!(out[2].previous, Some(1));
    for o in &out[1..] {
        // Flattened text: no table 3 and no section 五 read — nothing compared, and said so.
        assert!(o.diagnostics.is_empty());
        assert!(
            o.notes.iter().any(|n| n.contains("没有读出")),
            "{:?}",
            o.notes
        );
    }
}

/// 002 with 001's section 五 (its years left as 2024's: digits do not count).
fn with_section5_of(target: &str, source: &str) -> String {
    let five = |t: &str| {
        let start = t.find("五、存在的主要问题及改进情况").unwrap_or_default();
        let end = t.find("六、其他需要报告的事项").unwrap_or(t.len());
        start..end
    };
    let mut out = target.to_string();
    let copied = &source[five(source)];
    out.replace_range(five(target), copied);
    out
}

#[test]
fn a_copied_section_5_is_flagged_and_an_honest_one_is_not() {
    let first = corpus("real/001.txt");
    let copied = with_section5_of(&corpus("real/002.txt"), &first).replace("2023", "2024");
    let out = check(&[entry("001.txt", &first), entry("002.txt", &copied)]);
    assert_eq!(codes(&out[1]), vec![Code::ContentCopied]);
    let d = &out[1].diagnostics[0];
    assert_eq!(&copied[d.range.clone()], "五、存在的主要问题及改进情况");
    assert!(
        d.message.contains("与 2023 年报告的第五部分相似度 100%"),
        "{}",
        d.message
    );
    assert_eq!(d.related[0].path.as_deref(), Some("001.txt"));
    assert!(first[d.related[0].range.clone()].starts_with("五、存在的主要问题"));

    // A copy with a sentence's words changed is still a copy.
    let edited = copied.replacen("加强", "强化", 2);
    let out = check(&[entry("001.txt", &first), entry("002.txt", &edited)]);
    assert_eq!(codes(&out[1]), vec![Code::ContentCopied]);

    // Honestly rewritten (the real 2024 report): not flagged.
    let out = check(&[
        entry("001.txt", &first),
        entry("002.txt", &corpus("real/002.txt")),
    ]);
    assert_eq!(codes(&out[1]), vec![]);
}

#[test]
fn short_identical_sections_are_not_copies() {
    let short = |t: &str| {
        let start = t.find("五、存在的主要问题及改进情况").unwrap_or_default();
        let end = t.find("六、其他需要报告的事项").unwrap_or(t.len());
        let mut out = t.to_string();
        out.replace_range(start..end, "五、存在的主要问题及改进情况\n无。\n");
        out
    };
    let out = check(&[
        entry("001.txt", &short(&corpus("real/001.txt"))),
        entry("002.txt", &short(&corpus("real/002.txt"))),
    ]);
    assert_eq!(codes(&out[1]), vec![]);
}

#[test]
fn two_reports_of_one_year_are_not_compared() {
    let second = corpus("real/002.txt").replace(
        CARRIED_ZERO,
        &carried_line(["1", "0", "0", "0", "0", "0", "1"]),
    );
    let out = check(&[
        entry("001.txt", &corpus("real/001.txt")),
        entry("002.txt", &second),
        entry("002-草稿.txt", &second),
    ]);
    for o in &out[1..] {
        assert!(o.diagnostics.is_empty());
        assert!(
            o.notes.iter().any(|n| n.contains("2024 年度有 2 份报告")),
            "{:?}",
            o.notes
        );
    }
    assert_eq!(out[0].next, None);
}

#[test]
fn a_gap_year_is_not_compared() {
    let later = corpus("real/002.txt").replace("2024", "2025").replace(
        CARRIED_ZERO,
        &carried_line(["1", "0", "0", "0", "0", "0", "1"]),
    );
    let out = check(&[
        entry("001.txt", &corpus("real/001.txt")),
        entry("003.txt", &later),
    ]);
    assert_eq!(out[1].previous, None);
    assert!(
        out[1].notes.iter().any(|n| n.contains("2024 年度的报告")),
        "{:?}",
        out[1].notes
    );
}

#[test]
fn a_suppression_comment_silences_a_series_finding_and_is_never_unused() {
    let line = carried_line(["1", "0", "0", "0", "0", "0", "1"]);
    let second = corpus("real/002.txt").replace(
        CARRIED_ZERO,
        &format!("<!-- nianbao-disable-next-line carryover-mismatch: 上年报告有误，已核对台账 -->\n{line}"),
    );
    let analysis = analyze(&second, &Config::default());
    assert!(
        !analysis
            .diagnostics
            .iter()
            .any(|d| d.code == Code::SuppressionUnused),
        "alone, the comment silences nothing, but the series pass may need it"
    );
    let out = check(&[
        entry("001.txt", &corpus("real/001.txt")),
        Entry::new("002.txt".into(), &second, &analysis, Some("002.txt")),
    ]);
    assert_eq!(out[1].previous, Some(0));
    assert_eq!(codes(&out[1]), vec![]);
}

#[test]
fn an_ambiguous_short_name_joins_no_body() {
    // Two districts named 鼓楼区 in two cities, and a report naming itself 鼓楼区人民政府 that
    // writes both full names.
    let report = |title: &str, opening: &str| {
        corpus("real/002.txt")
            .replace(
                "淮安市洪泽区人民政府\n2024 年",
                &format!("{title}\n2024 年"),
            )
            .replace("本报告由淮安市洪泽区人民政府办公室", opening)
    };
    let entries = [
        entry(
            "a.txt",
            &report("南京市鼓楼区人民政府", "本报告由南京市鼓楼区人民政府办公室"),
        ),
        entry(
            "b.txt",
            &report("福州市鼓楼区人民政府", "本报告由福州市鼓楼区人民政府办公室"),
        ),
        entry(
            "c.txt",
            &report(
                "鼓楼区人民政府",
                "本报告参照南京市鼓楼区人民政府、福州市鼓楼区人民政府的",
            ),
        ),
    ];
    let out = check(&entries);
    assert!(
        out[2].notes.iter().any(|n| n.contains("无法确定")),
        "{:?}",
        out[2].notes
    );
    // Three bodies, all of 2024: each alone.
    for o in &out {
        assert!(
            o.notes.iter().any(|n| n.contains("其他年度的报告")),
            "{:?}",
            o.notes
        );
    }
}

/// Section 五 cut out of a text by its heading (the flattened reports have no lines to read it
/// by), heading words left out, as the similarity compares it.
fn section5_by_heading(text: &str) -> Vec<char> {
    let start = text
        .find("五、存在")
        .or_else(|| text.find("五、政府信息公开工作存在"))
        .unwrap_or(0);
    let end = text[start..]
        .find("六、其他")
        .map_or(text.len(), |i| start + i);
    let section = &text[start..end];
    let body = ["改进情况", "整改措施"]
        .iter()
        .filter_map(|w| section.find(w).map(|i| i + w.len()))
        .min()
        .map_or(section, |i| &section[i..]);
    comparable(body)
}

#[test]
fn measured_similarities_of_real_series_stay_far_below_the_threshold() {
    let pingtan: Vec<Vec<char>> = (7..=13)
        .map(|i| section5_by_heading(&corpus(&format!("degraded/{i:03}.txt"))))
        .collect();
    for pair in pingtan.windows(2) {
        let s = similarity(&pair[0], &pair[1]);
        assert!((0.2..0.32).contains(&s), "{s}");
    }
    let hongze = similarity(
        &section5_by_heading(&corpus("real/001.txt")),
        &section5_by_heading(&corpus("real/002.txt")),
    );
    assert!((0.6..0.64).contains(&hongze), "{hongze}");
    assert!(hongze + 0.2 < THRESHOLD);
}

mod properties {
    use proptest::prelude::*;

    use super::super::*;
    use crate::analysis::{Config, analyze};

    /// Pieces that the identity reader and the series checks look at, in any order.
    const ATOMS: &[&str] = &[
        "2023",
        "２０２４",
        "二〇二二",
        "年",
        "年度",
        "月",
        "日",
        "1",
        "12",
        " ",
        "\n",
        "\t",
        "淮安市",
        "洪泽区",
        "人民政府",
        "政府办",
        "办公室",
        "局",
        "管委会",
        "现向社会公布",
        "政府信息公开工作年度报告",
        "年报",
        "统计期限自",
        "至",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "二、上年结转政府信息公开申请数量",
        "四、结转下年度继续办理",
        "<!-- nianbao-disable carryover-mismatch: 原因 -->",
        "𠀀",
        "\u{feff}",
        "_",
        "-",
        ".txt",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(ATOMS), 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Any text and file name: identity and entries are read without panicking, every
        /// range lies on character boundaries of the text, and a comparison of any two reports
        /// puts its findings on the later one's text and its related places on the earlier's.
        #[test]
        fn any_reports_are_read_and_compared(a in text(), b in text(), name in text()) {
            let entry = |text: &str, file: &str| {
                Entry::new(file.to_string(), text, &analyze(text, &Config::default()), Some(file))
            };
            let (first, second) = (entry(&a, &name), entry(&b, "b"));
            for (e, text) in [(&first, &a), (&second, &b)] {
                for r in e.identity.readings.iter().filter_map(|r| r.range.clone()) {
                    prop_assert!(text.get(r).is_some());
                }
            }
            let (found, _) = compare(&first, &second);
            for d in &found {
                prop_assert!(b.get(d.range.clone()).is_some());
                for r in &d.related {
                    prop_assert!(a.get(r.range.clone()).is_some());
                }
            }
            let _ = check(&[first, second]);
        }
    }
}

/// The compact grouping ([`Index`]) links every report as the grouping before it did (every
/// report's notes kept, a map of (group, year) to its reports: `reference.rs`), over random
/// batches of bodies named several ways, years missing or doubled, and openings naming others.
mod compact {
    use super::super::{Member, Series, names, reference};
    use proptest::prelude::*;

    const BODIES: &[&str] = &[
        "洪泽区人民政府",
        "淮安市洪泽区人民政府",
        "淮安市人民政府",
        "沭阳县发改局",
        "沭阳县发展和改革局",
        "宿迁市沭阳县发展和改革局",
        "卫生健康局",
        "沙河市卫生健康局",
        "邢台市沙河市卫生健康局",
        "沙河县卫生健康局",
        "平潭综合实验区",
    ];

    #[derive(Debug, Clone)]
    struct Fake {
        name: String,
        body: Option<String>,
        key: Option<String>,
        year: Option<u32>,
        problems: Vec<String>,
        mentions: String,
    }

    impl Member for Fake {
        fn name(&self) -> &str {
            &self.name
        }
        fn body_key(&self) -> Option<&str> {
            self.key.as_deref()
        }
        fn body(&self) -> Option<&str> {
            self.body.as_deref()
        }
        fn year(&self) -> Option<u32> {
            self.year
        }
        fn problems(&self) -> &[String] {
            &self.problems
        }
        fn mentions(&self, key: &str) -> bool {
            self.mentions.contains(key)
        }
    }

    /// A report: its body (of [`BODIES`]), its year, the bodies its opening names, and whether
    /// its body is written with full-width spaces.
    type Spec = (Option<usize>, Option<u32>, Vec<usize>, bool);

    fn fake() -> impl Strategy<Value = Spec> {
        (
            prop::option::weighted(0.9, 0..BODIES.len()),
            prop::option::weighted(0.9, 2019u32..2025),
            prop::collection::vec(0..BODIES.len(), 0..3),
            any::<bool>(),
        )
    }

    fn build(specs: &[Spec]) -> Vec<Fake> {
        specs
            .iter()
            .enumerate()
            .map(|(i, (body, year, mentions, wide))| {
                // The same body written with full-width spaces now and then: another text, the
                // same key.
                let body = body.map(|b| {
                    if *wide {
                        BODIES[b].replace("人民", "人　民")
                    } else {
                        BODIES[b].to_owned()
                    }
                });
                Fake {
                    name: format!("r{i:03}.txt"),
                    key: body.as_deref().map(names::key),
                    body,
                    year: *year,
                    problems: if year.is_none() {
                        vec![format!("年度不明 {i}")]
                    } else {
                        Vec::new()
                    },
                    mentions: mentions.iter().map(|&m| names::key(BODIES[m])).collect(),
                }
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn links_as_the_grouping_before(specs in prop::collection::vec(fake(), 0..40)) {
            let fakes = build(&specs);
            let before = reference::Series::new(fakes.iter().collect());
            let now = Series::new(fakes.iter().collect());
            for i in 0..fakes.len() {
                prop_assert_eq!(now.link(i), before.link(i), "report {}", i);
                prop_assert_eq!(now.previous(i), before.previous(i));
                prop_assert_eq!(now.next(i), before.next(i));
                prop_assert_eq!(now.body(i), before.body(i));
            }
        }
    }
}

/// `comparable` keeps every CJK unified ideograph without asking `is_numeric`: none is a number
/// or space, so the fast path keeps exactly what the general test keeps.
#[test]
fn no_cjk_ideograph_is_a_number_or_space() {
    for c in '\u{4E00}'..='\u{9FFF}' {
        assert!(
            !c.is_numeric() && !c.is_whitespace(),
            "{c} (U+{:04X})",
            c as u32
        );
    }
    assert_eq!(
        comparable("二〇二三年 12 月①，公开"),
        // 〇 is a number (Nl), ① becomes 1 and the full-width comma a comma (NFKC).
        "二二三年月,公开".chars().collect::<Vec<_>>()
    );
}
