//! A format for a new year is data, not code: a synthetic “2031” format — the 2021 file with a
//! new table-3 row in （五）不予处理 counted into （七）总计, another title for section 六 and
//! another name — is registered from its text before the first analysis (its own process: this
//! test binary) and judges a 2031 report, while 2021 reports keep their format.

use nianbao::analysis::{Analysis, Config, analyze};
use nianbao::diagnostics::{Code, Severity};
use nianbao::fix::fix_all;
use nianbao::skeleton::section_table;
use nianbao::template::{self, TemplateId};

const F2021: &str = include_str!("../data/templates/f2021.toml");

const NEW_ROW: &str = "6.其他不予处理情形";
const NEW_TITLE: &str = "其他需要报告的事项及信息处理费情况";

/// The 2031 format's file: only data differs from 2021's.
fn f2031() -> String {
    let replace = |text: String, from: &str, to: &str| {
        assert!(text.contains(from), "f2021.toml no longer has `{from}`");
        text.replacen(from, to, 1)
    };
    let mut text = F2021.to_string();
    text = replace(text, "id = \"2021\"", "id = \"2031\"");
    text = replace(text, "years = { first = 2021 }", "years = { first = 2031 }");
    text = replace(
        text,
        "name = \"中华人民共和国政府信息公开工作年度报告格式\"",
        "name = \"政府信息公开工作年度报告格式（2031 年试拟稿）\"",
    );
    text = replace(
        text,
        "title = \"其他需要报告的事项\"",
        &format!("title = \"{NEW_TITLE}\""),
    );
    text = replace(
        text,
        "level3 = \"5.要求行政机关确认或重新出具已获取信息\"\n",
        &format!(
            "level3 = \"5.要求行政机关确认或重新出具已获取信息\"\n\n[[table3.rows]]\nid = \"r5_6\"\ngroup = \"not_handled\"\nitem = 6\nlevel1 = \"三、本年度办理结果\"\nlevel2 = \"（五）不予处理\"\nlevel3 = \"{NEW_ROW}\"\n"
        ),
    );
    replace(
        text,
        "\"r5_1\", \"r5_2\", \"r5_3\", \"r5_4\", \"r5_5\",",
        "\"r5_1\", \"r5_2\", \"r5_3\", \"r5_4\", \"r5_5\", \"r5_6\",",
    )
}

/// A report of format `id` on `year` from the format's own skeletons, with `values` set
/// (`(row label, column 0–6, value)` of table 3).
fn report(id: TemplateId, year: u32, values: &[(&str, usize, u32)]) -> String {
    let mut text = format!("测试局{year}年政府信息公开工作年度报告\n");
    text.push_str(&format!(
        "本报告统计期限自{year}年1月1日起至{year}年12月31日止。\n"
    ));
    for section in &template::template(id).sections {
        text.push_str(&format!("{}、{}\n", section.numeral, section.title));
        match section_table(id, section.number) {
            Some(table) => text.push_str(&table),
            None => text.push_str("无。本年度未收取信息处理费。\n"),
        }
    }
    for &(label, column, value) in values {
        let line = text
            .lines()
            .find(|l| l.split('\t').any(|c| c == label))
            .unwrap_or_else(|| panic!("no row {label}"))
            .to_string();
        let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
        let first = cells.len() - 7;
        cells[first + column] = value.to_string();
        text = text.replacen(&line, &cells.join("\t"), 1);
    }
    text
}

fn errors(analysis: &Analysis) -> Vec<String> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity <= Severity::Warning)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

/// 2 applications from natural persons, both not handled under the new item.
const SOUND: [(&str, usize, u32); 6] = [
    ("一、本年新收政府信息公开申请数量", 0, 2),
    ("一、本年新收政府信息公开申请数量", 6, 2),
    (NEW_ROW, 0, 2),
    (NEW_ROW, 6, 2),
    ("（七）总计", 0, 2),
    ("（七）总计", 6, 2),
];

#[test]
fn a_third_format_from_data_alone_judges_its_reports() {
    template::register(&f2031()).expect("the 2031 file loads");
    assert!(
        template::register(&f2031()).is_err(),
        "an id cannot be registered twice"
    );

    let f2031 = TemplateId::parse("2031").expect("registered");
    assert_eq!(TemplateId::for_year(2031), Some(f2031));
    assert_eq!(TemplateId::for_year(2040), Some(f2031));
    assert_eq!(TemplateId::for_year(2030), Some(TemplateId::F2021));
    assert_eq!(TemplateId::latest(), f2031);
    assert!(
        template::register(&F2021.replace("id = \"2021\"", "id = \"2099\"")).is_err(),
        "too late once the formats are in use"
    );

    // A sound 2031 report: its format, its new row counted, its own title for 六.
    let sound = report(f2031, 2031, &SOUND);
    let analysis = analyze(&sound, &Config::default());
    assert_eq!(analysis.template, "2031");
    assert!(errors(&analysis).is_empty(), "{:#?}", errors(&analysis));
    assert!(sound.contains(NEW_TITLE));

    // The new row is part of （七）总计: a typo in it is the one error, and fix-all mends it.
    let typo = sound.replacen(&format!("{NEW_ROW}\t2\t"), &format!("{NEW_ROW}\t5\t"), 1);
    assert_ne!(typo, sound);
    let analysis = analyze(&typo, &Config::default());
    let wrong: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::SumMismatch)
        .collect();
    assert_eq!(wrong.len(), 1, "{:#?}", errors(&analysis));
    assert_eq!(&typo[wrong[0].range.clone()], "5");
    assert!(
        wrong[0]
            .message
            .starts_with(&format!("“{NEW_ROW}”的“自然人”应为 2")),
        "{}",
        wrong[0].message
    );
    assert_eq!(fix_all(&typo, &Config::default()), sound);

    // Without its new row, a 2031 report misses a row of its format.
    let without: String = report(f2031, 2031, &[])
        .split_inclusive('\n')
        .filter(|l| !l.contains(NEW_ROW))
        .collect();
    let analysis = analyze(&without, &Config::default());
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == Code::RowMissing && d.message.contains(NEW_ROW)),
        "{:#?}",
        errors(&analysis)
    );

    // A 2025 report keeps the 2021 format, which has no such row and no such title.
    let f2021 = report(TemplateId::F2021, 2025, &[]);
    let analysis = analyze(&f2021, &Config::default());
    assert_eq!(analysis.template, "2021");
    assert!(errors(&analysis).is_empty(), "{:#?}", errors(&analysis));
    assert!(!f2021.contains(NEW_ROW));

    // Forced, the new format judges a 2025 report by its rows: the new one is missing.
    let config = Config {
        template: nianbao::analysis::TemplateChoice::parse("2031").expect("choice"),
        ..Config::default()
    };
    let analysis = analyze(&f2021, &config);
    assert_eq!(analysis.template, "2031");
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == Code::RowMissing && d.message.contains(NEW_ROW))
    );
}
