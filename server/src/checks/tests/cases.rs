//! The cases, one test function per rule family.

use super::{Doc, Layout, case, check_family};
use crate::diagnostics::Code;
use crate::template::TemplateId;

const F2019: TemplateId = TemplateId::F2019;
const F2021: TemplateId = TemplateId::F2021;

const LAYOUTS: [(Layout, &str); 4] = [
    (Layout::Tab, "tab"),
    (Layout::Pipe, "pipe"),
    (Layout::CellPerLine, "cell_per_line"),
    (Layout::Spaced, "spaced"),
];

/// A balanced table 3: 3 new applications from natural persons, all answered by （一）予以公开.
fn balanced(doc: Doc) -> Doc {
    doc.t3("new", 0, "3")
        .t3("new", 6, "3")
        .t3("r1_open", 0, "3")
        .t3("r1_open", 6, "3")
        .t3("total", 0, "3")
        .t3("total", 6, "3")
}

#[test]
fn table3_relations() {
    let codes = [Code::SumMismatch, Code::BalanceMismatch];
    let mut cases = Vec::new();
    for (layout, name) in LAYOUTS {
        let sound: &'static str = Box::leak(format!("sound_{name}").into_boxed_str());
        let row_total: &'static str = Box::leak(format!("row_total_{name}").into_boxed_str());
        cases.push(case(
            sound,
            balanced(Doc::new(F2021).layout(layout)).build(),
        ));
        cases.push(case(
            row_total,
            balanced(Doc::new(F2021).layout(layout))
                .t3("r1_open", 6, "4")
                .build(),
        ));
    }
    cases.push(case("sound_2019", balanced(Doc::new(F2019)).build()));
    // （七）总计 of one column disagrees with its parts.
    cases.push(case(
        "results_sum",
        balanced(Doc::new(F2021))
            .t3("r3_2", 1, "2")
            .t3("r3_2", 6, "2")
            .build(),
    ));
    // 一 + 二 ≠ 七 + 四 in 自然人 and 总计: 四 should be 2.
    cases.push(case(
        "balance",
        balanced(Doc::new(F2021))
            .t3("carried", 0, "2")
            .t3("carried", 6, "2")
            .build(),
    ));
    // A negative 四 would be needed: no fix offered.
    cases.push(case(
        "balance_negative",
        balanced(Doc::new(F2021))
            .t3("total", 0, "5")
            .t3("total", 6, "5")
            .t3("r2_partial", 0, "2")
            .t3("r2_partial", 6, "2")
            .build(),
    ));
    // A blank total whose parts are not 0 (rules.md §4): 实为空, with the sum as fix.
    cases.push(case(
        "blank_total",
        balanced(Doc::new(F2021)).t3("r1_open", 6, "").build(),
    ));
    // A blank total of zero parts is only cell-empty, not a mismatch.
    cases.push(case(
        "blank_zero_total",
        balanced(Doc::new(F2021)).t3("r3_1", 6, "").build(),
    ));
    // Table 4: each group's 总计.
    cases.push(case(
        "table4_sound",
        Doc::new(F2021).t4(0, "2").t4(1, "1").t4(4, "3").build(),
    ));
    cases.push(case(
        "table4_review",
        Doc::new(F2021).t4(0, "10").t4(1, "1").t4(4, "0").build(),
    ));
    cases.push(case(
        "table4_after_review_spaced",
        Doc::new(F2021).layout(Layout::Spaced).t4(10, "5").build(),
    ));
    cases.push(case(
        "table4_cell_per_line",
        Doc::new(F2019)
            .layout(Layout::CellPerLine)
            .t4(7, "1")
            .t4(9, "2")
            .build(),
    ));
    check_family("table3_relations", &codes, cases);
}

#[test]
fn table_structure() {
    let codes = [
        Code::RowMissing,
        Code::RowUnknown,
        Code::LabelMismatch,
        Code::ColumnMissing,
        Code::HeaderUnreadable,
        Code::TableMissing,
    ];
    let cases = vec![
        case("sound", Doc::new(F2021).build()),
        case("sound_pipe", Doc::new(F2019).layout(Layout::Pipe).build()),
        case(
            "row_missing",
            Doc::new(F2021)
                .replace("\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0\n", "")
                .build(),
        ),
        case(
            "row_unknown",
            Doc::new(F2021)
                .replace(
                    "\t\t2.重复申请\t",
                    "\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0\n\t\t9.其他不予处理情形\t",
                )
                .build(),
        ),
        case(
            "label_typo",
            Doc::new(F2021)
                .replace("2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开")
                .build(),
        ),
        case(
            "label_typo_known",
            Doc::new(F2021)
                .replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
                .build(),
        ),
        // The header lacks 总计 and the rows carry six values (seed 002): one diagnostic.
        case(
            "total_column_missing",
            drop_table3_total(&Doc::new(F2019).build()),
        ),
        case(
            "table4_short",
            Doc::new(F2021)
                .replace(
                    "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
                    "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
                )
                .build(),
        ),
        case(
            "table4_pdf_header",
            Doc::new(F2021).layout(Layout::Spaced).build(),
        ),
        case(
            "table3_unreadable",
            keep_table3_rows(&Doc::new(F2021).build(), 4),
        ),
        case(
            "table2_short_row",
            Doc::new(F2021)
                .replace("规章\t0\t0\t0", "规章\t0\t0")
                .build(),
        ),
    ];
    check_family("table_structure", &codes, cases);
}

#[test]
fn sections() {
    let codes = [
        Code::SectionMissing,
        Code::SectionOrder,
        Code::SectionDuplicate,
        Code::SectionEmpty,
        Code::TableMissing,
    ];
    let cases = vec![
        case("sound", Doc::new(F2021).build()),
        case("missing_five", Doc::new(F2021).omit(5).build()),
        case("missing_three_with_table", Doc::new(F2019).omit(3).build()),
        case("missing_last", Doc::new(F2021).omit(6).build()),
        case(
            "out_of_order",
            Doc::new(F2021)
                .replace(
                    "五、存在的主要问题及改进情况\n一是公开内容不够全面。二是加强培训。\n",
                    "",
                )
                .build()
                + "五、存在的主要问题及改进情况\n一是公开内容不够全面。\n",
        ),
        case(
            "duplicate",
            Doc::new(F2021).build() + "六、其他需要报告的事项\n无。\n",
        ),
        case(
            "renumbered",
            Doc::new(F2021)
                .replace("二、主动公开政府信息情况", "一、主动公开政府信息情况")
                .build(),
        ),
        case(
            "variant_titles",
            Doc::new(F2021)
                .replace("五、存在的主要问题及改进情况", "五、存在问题及改进情况")
                .build(),
        ),
        case(
            "empty_five",
            Doc::new(F2021)
                .replace("一是公开内容不够全面。二是加强培训。", "无")
                .build(),
        ),
        case(
            "table_missing",
            Doc::new(F2021)
                .replace("第二十条第（一）项", "")
                .build()
                .lines()
                .filter(|l| !l.contains('\t'))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        // A table-3 row label that looks like a heading is not a section (layouts.md §5.4).
        case(
            "row_label_not_heading",
            Doc::new(F2021).layout(Layout::Spaced).build(),
        ),
    ];
    check_family("sections", &codes, cases);
}

#[test]
fn cells() {
    let codes = [Code::CellInvalid, Code::CellEmpty, Code::NumberFormat];
    let cases = vec![
        case("sound", Doc::new(F2021).build()),
        case(
            "text_in_count",
            Doc::new(F2021).t3("r4_1", 0, "十二").build(),
        ),
        case("negative_count", Doc::new(F2021).t4(2, "-1").build()),
        case("decimal_count", Doc::new(F2021).t3("new", 3, "1.5").build()),
        case(
            "word_sign",
            Doc::new(F2019)
                .replace("行政处罚\t0\t0\t0", "行政处罚\t102\t减47\t55")
                .build(),
        ),
        case(
            "signed_change_ok",
            Doc::new(F2019)
                .replace("行政处罚\t0\t0\t0", "行政处罚\t0\t+81\t918")
                .build(),
        ),
        case(
            "full_width_digits",
            Doc::new(F2021)
                .replace("行政许可\t0", "行政许可\t１２")
                .build(),
        ),
        case(
            "thousands",
            Doc::new(F2021)
                .replace("行政许可\t0", "行政许可\t1,234")
                .build(),
        ),
        case(
            "amount_decimal_ok",
            Doc::new(F2021)
                .replace("行政事业性收费\t0", "行政事业性收费\t7730.28")
                .build(),
        ),
        case(
            "blanks_grouped",
            Doc::new(F2021)
                .t3("r3_1", 0, "")
                .t3("r3_1", 1, "")
                .t3("r4_2", 3, "/")
                .t4(3, "")
                .build(),
        ),
    ];
    check_family("cells", &codes, cases);
}

#[test]
fn template_and_year() {
    let codes = [
        Code::TemplateMismatch,
        Code::YearMismatch,
        Code::FeeNotReported,
    ];
    let cases = vec![
        case("sound_2021", Doc::new(F2021).build()),
        case("sound_2019", Doc::new(F2019).build()),
        // A 2023 report on the 2019 tables.
        case("old_tables_new_year", Doc::new(F2019).year(2023).replace("本年度未收取信息处理费。", "本年度未收取信息处理费。").build()),
        // A 2020 report on the 2021 tables.
        case("new_tables_old_year", Doc::new(F2021).year(2020).build()),
        case("single_six_in_2021", Doc::new(F2021).replace("\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "\t（六）其他处理\t").build()),
        case("period_year", Doc::new(F2021).replace("统计期限为2023年", "统计期限为2022年").build()),
        case("fee_not_reported", Doc::new(F2021).replace("本年度未收取信息处理费。", "无。").build()),
    ];
    check_family("template_and_year", &codes, cases);
}

#[test]
fn prose() {
    let codes = [Code::TextTableMismatch];
    let base = || balanced(Doc::new(F2021));
    let cases = vec![
        case(
            "agrees",
            base()
                .replace(
                    "本机关依法主动公开政府信息。",
                    "全年共收到政府信息公开申请 3 件。",
                )
                .build(),
        ),
        case(
            "disagrees",
            base()
                .replace(
                    "本机关依法主动公开政府信息。",
                    "全年共收到政府信息公开申请 5 件。",
                )
                .build(),
        ),
        // Another verb owns the figure: silent.
        case(
            "other_verb",
            base()
                .replace("本机关依法主动公开政府信息。", "收到申请后按期办结 5 件。")
                .build(),
        ),
        case(
            "review",
            base()
                .replace(
                    "本机关依法主动公开政府信息。",
                    "发生政府信息公开行政复议 2 件。",
                )
                .build(),
        ),
        case(
            "carry_next",
            base()
                .replace("本机关依法主动公开政府信息。", "结转下年度继续办理 1 件。")
                .build(),
        ),
    ];
    check_family("prose", &codes, cases);
}

#[test]
fn suppressions() {
    let codes = [
        Code::SumMismatch,
        Code::SuppressionInvalid,
        Code::SuppressionUnused,
    ];
    let wrong = || balanced(Doc::new(F2021)).t3("r1_open", 6, "4");
    let line = "三、本年度办理结果\t（一）予以公开\t\t3\t0\t0\t0\t0\t0\t4";
    let cases = vec![
        case(
            "next_line",
            wrong()
                .replace(
                    line,
                    &format!("<!-- nianbao-disable-next-line sum-mismatch: 原件如此 -->\n{line}"),
                )
                .build(),
        ),
        case(
            "whole_file",
            wrong().build() + "<!-- nianbao-disable sum-mismatch: 原表如此，已核对 -->\n",
        ),
        case(
            "no_reason",
            wrong()
                .replace(
                    line,
                    &format!("<!-- nianbao-disable-next-line sum-mismatch -->\n{line}"),
                )
                .build(),
        ),
        case(
            "unknown_code",
            wrong()
                .replace(
                    line,
                    &format!("<!-- nianbao-disable-next-line sum-mistake: 原件如此 -->\n{line}"),
                )
                .build(),
        ),
        case(
            "unused",
            Doc::new(F2021).build() + "<!-- nianbao-disable cell-empty: 原表空白 -->\n",
        ),
    ];
    check_family("suppressions", &codes, cases);
}

#[test]
fn deadline() {
    let codes = [Code::DeadlineLate];
    // A 2023 report (F2021) by 测试市卫生健康委员会, or by `organ`, signed on `date`.
    let signed = |organ: &str, date: &str| {
        Doc::new(F2021)
            .replace("测试市卫生健康委员会", organ)
            .build()
            + &format!("{organ}\n{date}\n")
    };
    let dept = "测试市卫生健康委员会";
    let cases = vec![
        // 部门: 2024年1月31日 is the last day.
        case("department_on_deadline", signed(dept, "2024年1月31日")),
        case("department_day_after", signed(dept, "2024 年 2 月 1 日")),
        case("department_late", signed(dept, "2024年2月15日")),
        case(
            "department_chinese_numerals",
            signed(dept, "二〇二四年三月四日"),
        ),
        case("department_full_width", signed(dept, "２０２４年２月１日")),
        case("department_early", signed(dept, "2023年12月30日")),
        // A government's own office is a department.
        case(
            "government_office_late",
            signed("测试市人民政府办公室", "2024年3月1日"),
        ),
        // 本级政府: 3月31日.
        case(
            "government_on_deadline",
            signed("测试市人民政府", "2024年3月31日"),
        ),
        case(
            "government_february",
            signed("测试市人民政府", "2024年2月15日"),
        ),
        case("government_late", signed("测试市人民政府", "2024年4月1日")),
        // `〈地方〉政府信息公开工作年度报告`: the 本级政府 report.
        case("place_only_february", signed("测试市", "2024年2月15日")),
        case("place_only_late", signed("测试市", "二〇二四年四月八日")),
        // 乡镇、街道 are not 县级以上: no statutory date.
        case(
            "township_late",
            signed("测试县某某镇人民政府", "2024年6月1日"),
        ),
        case(
            "street_late",
            signed("测试区某某街道办事处", "2024年6月1日"),
        ),
        // A page number after the date line does not hide it.
        case(
            "page_number_after_date",
            signed(dept, "2024年2月15日") + "\n- 8 -\n",
        ),
        // No date line at the end: a late date inside the text is not the signing date.
        case(
            "no_date_line",
            Doc::new(F2021)
                .replace(
                    "本机关依法主动公开政府信息。",
                    "本报告于2024年5月1日在门户网站公布。",
                )
                .build(),
        ),
        // The date line is followed by more text: not the closing line.
        case(
            "date_not_last",
            signed(dept, "2024年2月15日") + "附件：政府信息公开工作统计表\n",
        ),
        // Not a date: no such day.
        case("impossible_date", signed(dept, "2024年2月30日")),
        // The year from the data period when the title has none; the organ from the title.
        case(
            "year_from_period",
            Doc::new(F2021)
                .replace(
                    "测试市卫生健康委员会2023年政府信息公开工作年度报告",
                    "测试市卫生健康委员会政府信息公开工作年度报告",
                )
                .build()
                + "2024年3月1日\n",
        ),
        // Neither title year nor data period: the year is not known with confidence.
        case(
            "year_unknown",
            Doc::new(F2021)
                .replace(
                    "测试市卫生健康委员会2023年政府信息公开工作年度报告",
                    "测试市卫生健康委员会政府信息公开工作年度报告",
                )
                .replace("本报告中所列数据统计期限为2023年1月1日至12月31日。", "")
                .build()
                + "2024年3月1日\n",
        ),
        // A 2020 report in the 2019 format.
        case(
            "f2019_late",
            Doc::new(F2019).build() + "测试市卫生健康委员会\n2021年2月1日\n",
        ),
    ];
    check_family("deadline", &codes, cases);
}

/// The lines of table 3 (between the headings of 三 and 四).
fn table3_lines(text: &str) -> (usize, usize, Vec<&str>) {
    let lines: Vec<&str> = text.lines().collect();
    let from = lines
        .iter()
        .position(|l| l.starts_with("三、收到"))
        .unwrap_or(0)
        + 1;
    let to = lines
        .iter()
        .position(|l| l.starts_with("四、政府"))
        .unwrap_or(lines.len());
    (from, to, lines)
}

/// Seed 002's shape: no 总计 in the header, six values per row.
fn drop_table3_total(text: &str) -> String {
    let (from, to, lines) = table3_lines(text);
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if (from..to).contains(&i) && line.contains('\t') {
            let mut cells: Vec<&str> = line.split('\t').collect();
            cells.pop();
            out.push(cells.join("\t"));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n") + "\n"
}

/// Table 3 with only its header and the first `rows` rows: too little to check.
fn keep_table3_rows(text: &str, rows: usize) -> String {
    let (from, to, lines) = table3_lines(text);
    let keep = from + 3 + rows;
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < keep || *i >= to)
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
