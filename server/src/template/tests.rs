use super::*;
use crate::normalize::key;

fn f2019() -> &'static Template {
    template(TemplateId::F2019)
}

fn f2021() -> &'static Template {
    template(TemplateId::F2021)
}

#[test]
fn both_embedded_templates_load() {
    // Any error in data/templates/*.toml panics here with the file name and the reason.
    for id in TemplateId::all() {
        let t = template(id);
        assert_eq!(t.template_id(), id);
        assert_eq!(TemplateId::parse(id.as_str()), Some(id));
    }
    assert_eq!(templates().len(), TemplateId::all().count());
}

#[test]
fn ids_and_years() {
    assert_eq!(TemplateId::F2019.as_str(), "2019");
    assert_eq!(TemplateId::F2021.as_str(), "2021");
    assert_eq!(TemplateId::for_year(2018), None);
    assert_eq!(TemplateId::for_year(2019), Some(TemplateId::F2019));
    assert_eq!(TemplateId::for_year(2020), Some(TemplateId::F2019));
    assert_eq!(TemplateId::for_year(2021), Some(TemplateId::F2021));
    assert_eq!(TemplateId::for_year(2024), Some(TemplateId::F2021));
    assert_eq!(TemplateId::for_year(2100), Some(TemplateId::F2021));
    assert_eq!(TemplateId::parse("2020"), None);
}

/// templates.md §3b: “F2019 has 2 + 18 + 1 + 1 + 1 = 23 data rows (一, 二; 18 result rows （一）（二） + 8 + 3 + 5;
/// （六）; （七）; 四); F2021 has 2 + 18 + 3 + 1 + 1 = 25”.
#[test]
fn table3_row_counts_as_the_spec_counts_them() {
    for (t, other_rows, expected) in [(f2019(), 1, 23), (f2021(), 3, 25)] {
        let rows = t.table3_rows();
        let count = |g: Table3Group| rows.iter().filter(|r| r.group == g).count();
        let first_two = count(Table3Group::New) + count(Table3Group::Carried);
        let results_1_to_5 = [
            Table3Group::Open,
            Table3Group::Partial,
            Table3Group::Refused,
            Table3Group::Unable,
            Table3Group::NotHandled,
        ]
        .into_iter()
        .map(count)
        .sum::<usize>();
        assert_eq!(first_two, 2);
        assert_eq!(results_1_to_5, 18, "（一）（二） + 8 + 3 + 5");
        assert_eq!(count(Table3Group::Refused), 8);
        assert_eq!(count(Table3Group::Unable), 3);
        assert_eq!(count(Table3Group::NotHandled), 5);
        assert_eq!(count(Table3Group::Other), other_rows);
        assert_eq!(count(Table3Group::Total), 1);
        assert_eq!(count(Table3Group::CarryNext), 1);
        assert_eq!(rows.len(), expected, "{}", t.id);
    }
}

#[test]
fn table3_row_ids_in_order() {
    let mut ids: Vec<String> = ["new", "carried", "r1_open", "r2_partial"]
        .map(String::from)
        .to_vec();
    ids.extend((1..=8).map(|i| format!("r3_{i}")));
    ids.extend((1..=3).map(|i| format!("r4_{i}")));
    ids.extend((1..=5).map(|i| format!("r5_{i}")));
    let tail = ["total".to_string(), "carry_next".to_string()];
    let mut ids19 = ids.clone();
    ids19.push("r6".into());
    ids19.extend(tail.clone());
    let mut ids21 = ids;
    ids21.extend((1..=3).map(|i| format!("r6_{i}")));
    ids21.extend(tail);
    let got =
        |t: &Template| -> Vec<String> { t.table3_rows().iter().map(|r| r.id.clone()).collect() };
    assert_eq!(got(f2019()), ids19);
    assert_eq!(got(f2021()), ids21);
}

#[test]
fn table3_labels_and_levels() {
    let t = f2019();
    let r = t.table3_row("r3_1").unwrap();
    assert_eq!(r.level1, "三、本年度办理结果");
    assert_eq!(r.level2.as_deref(), Some("（三）不予公开"));
    assert_eq!(r.label(), "1.属于国家秘密");
    assert_eq!(r.item, Some(1));
    assert!(r.shows_level2() && !r.shows_level1());
    assert!(!t.table3_row("r3_2").unwrap().shows_level2());
    let open = t.table3_row("r1_open").unwrap();
    assert!(open.shows_level1() && open.shows_level2());
    assert!(t.table3_row("new").unwrap().shows_level1());
    assert!(t.table3_row("carry_next").unwrap().shows_level1());
    assert!(!t.table3_row("total").unwrap().shows_level1());
    assert_eq!(
        t.table3_row("r3_3").unwrap().label(),
        "3.危及“三安全一稳定”"
    );
    assert_eq!(t.table3_row("total").unwrap().label(), "（七）总计");
    assert_eq!(
        t.table3_row("carry_next").unwrap().label(),
        "四、结转下年度继续办理"
    );
    // F2021 (六) items.
    let r = f2021().table3_row("r6_2").unwrap();
    assert_eq!(
        r.label(),
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    );
    assert!(!r.shows_level2());
    assert!(f2021().table3_row("r6_1").unwrap().shows_level2());
}

#[test]
fn table3_matching_real_labels() {
    let t = f2021();
    let cases = [
        (
            "（二）部分公开（区分处理的，只计这一情 形，不计其他情形）",
            "r2_partial",
            LabelMatch::Exact,
        ),
        (
            "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)",
            "r2_partial",
            LabelMatch::Exact,
        ),
        ("2.其他法律行政止公开", "r3_2", LabelMatch::Fuzzy(3)),
        ("3.危及\"三安全一稳定\"", "r3_3", LabelMatch::Exact),
        (
            "5.要求行政机关确认或重 新出具已获取信息",
            "r5_5",
            LabelMatch::Exact,
        ),
        (
            "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "r6_1",
            LabelMatch::Exact,
        ),
        ("3、其他", "r6_3", LabelMatch::Exact),
        ("（六）其他处理", "r6", LabelMatch::Exact),
        ("2.其他法律行政法规禁公开", "r3_2", LabelMatch::Fuzzy(1)),
    ];
    for (text, id, m) in cases {
        let (row, got) = t
            .match_table3_row(&key(text), 3)
            .unwrap_or_else(|| panic!("{text}"));
        assert_eq!((row.id.as_str(), got), (id, m), "{text}");
    }
    assert!(t.match_table3_row(&key("本年新制作数量"), 2).is_none());
    // The collapse row of F2021 stands for r6_1..r6_3.
    let c = t.table3_collapse("r6").unwrap();
    assert_eq!(c.replaces, ["r6_1", "r6_2", "r6_3"]);
    assert!(c.row.shows_level2());
    assert!(f2019().table3_collapse("r6").is_none());
}

#[test]
fn table3_columns() {
    for t in templates() {
        let cols = t.table3_columns();
        assert_eq!(cols.len(), 7);
        let labels: Vec<&str> = cols.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "自然人",
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他",
                "总计"
            ]
        );
        assert_eq!(cols.iter().filter(|c| c.total).count(), 1);
        assert!(cols[6].total);
        assert_eq!(cols[0].parent, None);
        assert!(
            cols[1..6]
                .iter()
                .all(|c| c.parent.as_deref() == Some("法人或其他组织"))
        );
        assert_eq!(
            cols[1].match_label(&key("商业 企业"), 0),
            Some(LabelMatch::Exact)
        );
        assert!(cols.iter().all(|c| c.kind == ValueKind::Count));
        assert_eq!(
            t.table3.note,
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        );
    }
}

#[test]
fn table4_columns() {
    for t in templates() {
        let cols = t.table4_columns();
        assert_eq!(cols.len(), 15);
        let totals: Vec<usize> = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| c.total)
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(totals, [5, 10, 15]);
        for (i, g) in [
            Table4Group::Review,
            Table4Group::Direct,
            Table4Group::AfterReview,
        ]
        .into_iter()
        .enumerate()
        {
            let labels: Vec<&str> = cols[i * 5..i * 5 + 5]
                .iter()
                .map(|c| c.label.as_str())
                .collect();
            assert_eq!(
                labels,
                ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
            );
            assert!(cols[i * 5..i * 5 + 5].iter().all(|c| c.group == g));
        }
        assert_eq!(cols[4].key(), key("总 计"));
    }
}

#[test]
fn relations_as_data() {
    let res19 = f2019().relation("T3-RES").unwrap();
    let res21 = f2021().relation("T3-RES").unwrap();
    assert_eq!(res19.parts().unwrap().len(), 19);
    assert_eq!(res21.parts().unwrap().len(), 21);
    assert!(res19.parts().unwrap().iter().any(|p| p == "r6"));
    // Every result row, and only those, is a term of T3-RES.
    for (t, res) in [(f2019(), res19), (f2021(), res21)] {
        let results: Vec<&str> = t
            .table3_rows()
            .iter()
            .filter(|r| r.is_result())
            .map(|r| r.id.as_str())
            .collect();
        let parts: Vec<&str> = res.parts().unwrap().iter().map(String::as_str).collect();
        assert_eq!(results, parts);
        assert_eq!(res.code, Code::SumMismatch);
        assert_eq!(res.target, "total");
    }
    for t in templates() {
        let bal = t.relation("T3-BAL").unwrap();
        assert_eq!(bal.code, Code::BalanceMismatch);
        assert_eq!(bal.terms, TermAxis::Rows);
        assert_eq!(bal.parts(), None, "T3-BAL is a balance, not a plain sum");
        assert_eq!(bal.lhs, ["new", "carried"]);
        assert_eq!(bal.rhs, ["total", "carry_next"]);
        assert_eq!(bal.target, "carry_next");
        let col = t.relation("T3-COL").unwrap();
        assert_eq!(col.terms, TermAxis::Columns);
        assert_eq!(col.parts().unwrap().len(), 6);
        let t4: Vec<&Relation> = t
            .relations()
            .iter()
            .filter(|r| r.rule == Rule::T4Sum)
            .collect();
        assert_eq!(t4.len(), 3);
        for r in &t4 {
            assert_eq!(r.parts().unwrap().len(), 4);
            assert!(t.table4_column(&r.target).unwrap().total);
        }
        assert!(t.relations().iter().all(|r| r.applies_to("anything")));
    }
}

#[test]
fn sections() {
    for t in templates() {
        let s = t.section_by_number(4).unwrap();
        assert_eq!(s.heading(), "四、政府信息公开行政复议、行政诉讼情况");
        assert_eq!(s.table, Some(TableId::Table4));
        assert_eq!(t.section_by_number(2).unwrap().table, Some(TableId::Table2));
        assert_eq!(t.section_by_number(1).unwrap().table, None);
        assert!(t.section_by_number(7).is_none());
        let (s, m) = t
            .section_by_title(&key("因政府信息公开工作被申请行政复议提起行政诉讼情况"))
            .unwrap();
        assert_eq!(s.number, 4);
        assert!(matches!(m, TitleMatch::Variant(v) if v.status == VariantStatus::Accepted));
        let (s, m) = t
            .section_by_title(&key("存在的主要问题及整改措施"))
            .unwrap();
        assert_eq!((s.number, matches!(m, TitleMatch::Variant(_))), (5, true));
        let (s, m) = t.section_by_title(&key("其他需要报告的事项")).unwrap();
        assert_eq!((s.number, m), (6, TitleMatch::Official));
        assert!(matches!(
            t.section_by_title(&key("改进措施")),
            Some((_, TitleMatch::Variant(v))) if v.status == VariantStatus::Legacy
        ));
        assert!(t.section_by_title(&key("工作机制保障")).is_none());
    }
    assert!(
        f2019()
            .section_by_number(6)
            .unwrap()
            .expect_mentions
            .is_empty()
    );
    assert_eq!(
        f2021().section_by_number(6).unwrap().expect_mentions,
        ["信息处理费"]
    );
}

#[test]
fn table2_blocks() {
    let captions = |t: &Template| -> Vec<String> {
        t.table2_blocks()
            .iter()
            .map(|b| b.caption.clone())
            .collect()
    };
    assert_eq!(
        captions(f2019()),
        [
            "第二十条第（一）项",
            "第二十条第（五）项",
            "第二十条第（六）项",
            "第二十条第（八）项",
            "第二十条第（九）项"
        ]
    );
    assert_eq!(captions(f2021()).len(), 4);
    for t in templates() {
        for b in t.table2_blocks() {
            let r = b.statute_ref().unwrap();
            assert_eq!(r.article, 20);
            assert_eq!(b.id, format!("a20_{}", r.item.unwrap()));
        }
        assert_eq!(t.table2.header_label, "信息内容");
        let b = t
            .table2_block_by_caption(&key("第二十条 第(五)项"))
            .unwrap();
        assert_eq!(b.rows[0].label, "行政许可");
    }
    let b = f2019().table2_block("a20_5").unwrap();
    assert_eq!(b.column("change").unwrap().kind, ValueKind::SignedChange);
    assert_eq!(b.rows.len(), 2);
    let b = f2021().table2_block("a20_8").unwrap();
    assert_eq!(b.columns[0].kind, ValueKind::AmountWan);
    assert_eq!(
        b.columns[0].match_label(&key("本年收费金额(单位:万元)"), 0),
        Some(LabelMatch::Exact)
    );
    let b = f2019().table2_block("a20_9").unwrap();
    assert_eq!(
        b.column("procurement_amount")
            .unwrap()
            .match_label(&key("采购总金额（万元，保留四位小数）"), 0),
        Some(LabelMatch::Variant)
    );
    let docs = f2021()
        .table2_block("a20_1")
        .unwrap()
        .row("normative_documents")
        .unwrap();
    assert_eq!(docs.label, "行政规范性文件");
    assert_eq!(
        docs.match_label(&key("规范性文件"), 0),
        Some(LabelMatch::Variant)
    );
}

#[test]
fn markers_tell_the_formats_apart() {
    for (id, marker) in [
        (TemplateId::F2019, "本年新制作数量"),
        (TemplateId::F2019, "其他对外管理服务事项"),
        (TemplateId::F2019, "第二十条第(九)项"),
        (TemplateId::F2019, "上一年项目数量"),
        (TemplateId::F2021, "本年制发件数"),
        (TemplateId::F2021, "本年收费金额(单位:万元)"),
        (
            TemplateId::F2021,
            "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
    ] {
        assert_eq!(
            marked_by(&key(marker)).map(|(t, _)| t),
            Some(vec![id]),
            "{marker}"
        );
    }
    assert!(marked_by(&key("行政许可")).is_none());
    assert!(marked_by(&key("（六）其他处理")).is_none());
    // A marker of one format is no label of the other.
    for t in templates() {
        for other in templates().iter().filter(|o| o.id != t.id) {
            let mut labels: Vec<String> = Vec::new();
            for b in other.table2_blocks() {
                labels.push(b.caption_key().to_string());
                labels.extend(b.columns.iter().flat_map(|c| c.keys().iter().cloned()));
                labels.extend(b.rows.iter().flat_map(|r| r.keys().iter().cloned()));
            }
            labels.extend(
                other
                    .table3_rows()
                    .iter()
                    .flat_map(|r| r.keys().iter().cloned()),
            );
            for m in t.markers() {
                assert!(
                    !labels.contains(&m.key().to_string()),
                    "{} marker {} is an {} label",
                    t.id,
                    m.text,
                    other.id
                );
            }
        }
    }
}

#[test]
fn every_part_has_an_annotation() {
    for t in templates() {
        for s in &t.sections {
            assert!(s.annotation().is_some(), "section {}", s.number);
        }
        for b in t.table2_blocks() {
            for c in &b.columns {
                assert!(c.annotation().is_some(), "table2 column {}", c.id);
            }
        }
        for c in t.table3_columns() {
            assert!(c.annotation().is_some(), "table3 column {}", c.id);
        }
        for r in t
            .table3_rows()
            .iter()
            .chain(t.table3.collapses.iter().map(|c| &c.row))
        {
            assert!(r.annotation().is_some(), "table3 row {}", r.id);
        }
        for c in t.table4_columns() {
            assert!(c.annotation().is_some(), "table4 column {}", c.id);
        }
    }
    let a = f2019().table3_row("r3_8").unwrap().annotation().unwrap();
    assert!(a.uncertain);
    assert_eq!(a.refs[0].to_string(), "第三十六条第（七）项");
    let s2 = f2021().section_by_number(2).unwrap().annotation().unwrap();
    assert_eq!(s2.refs[0].to_string(), "第五十条第（一）项");
}

#[test]
fn broken_data_is_rejected() {
    let good = include_str!("../../data/templates/f2019.toml");
    assert!(load(good).is_ok());
    let bad = good.replace("target = \"carry_next\"", "target = \"nowhere\"");
    assert!(load(&bad).unwrap_err().contains("target"));
    let bad = good.replace("\"r3_8\",\n", "\"r3_9\",\n");
    assert!(load(&bad).unwrap_err().contains("unknown term"));
    let bad = good.replace(
        "caption = \"第二十条第（九）项\"",
        "caption = \"第二十条第（九十九）项\"",
    );
    assert!(load(&bad).is_err());
    let bad = good.replace(
        "title = \"总体情况\"",
        "title = \"总体情况\"\ntitel = \"x\"",
    );
    assert!(load(&bad).is_err(), "unknown fields are rejected");
}
