use super::*;

fn r(article: u32, paragraph: Option<u32>, item: Option<u32>) -> StatuteRef {
    StatuteRef {
        article,
        paragraph,
        item,
    }
}

#[test]
fn the_embedded_statute_loads() {
    assert_eq!(law().title, "中华人民共和国政府信息公开条例");
    let numbers: Vec<u32> = articles().iter().map(|a| a.number).collect();
    assert_eq!(
        numbers,
        [
            2, 14, 15, 16, 19, 20, 29, 30, 31, 32, 33, 35, 36, 37, 38, 39, 42, 47, 49, 50, 51
        ]
    );
    assert_eq!(article(20).unwrap().paragraphs[0].items.len(), 15);
    assert_eq!(article(36).unwrap().paragraphs[0].items.len(), 7);
    assert_eq!(article(50).unwrap().paragraphs.len(), 2);
    assert!(document("fee_measures").is_some());
}

#[test]
fn parse_reference_accepts_real_spellings() {
    let item20_5 = Some(r(20, None, Some(5)));
    for s in [
        "第二十条第（五）项",
        "第二十条 第（五）项",
        "第二十条第(五)项",
        "第二十条第五项",
        "第二十条（五）项",
        " 第 二十 条 第 （ 五 ） 项 ",
        "第二十条第（５）项",
        "第20条第(5)项",
        "第２０条第（五）项",
        "第二十条\u{3000}第（五）项。",
        "《中华人民共和国政府信息公开条例》第二十条第（五）项",
        "条例第二十条第（五）项",
    ] {
        assert_eq!(parse_reference(s), item20_5, "{s:?}");
    }
    assert_eq!(parse_reference("第十六条"), Some(r(16, None, None)));
    assert_eq!(
        parse_reference("第十六条第二款"),
        Some(r(16, Some(2), None))
    );
    assert_eq!(
        parse_reference("第十六条第(二)款"),
        Some(r(16, Some(2), None))
    );
    assert_eq!(
        parse_reference("第二十九条第二款第（一）项"),
        Some(r(29, Some(2), Some(1)))
    );
    assert_eq!(
        parse_reference("第五十条第四项"),
        Some(r(50, None, Some(4)))
    );
    assert_eq!(parse_reference("第二条"), Some(r(2, None, None)));
    assert_eq!(parse_reference("第一百条"), Some(r(100, None, None)));
    assert_eq!(
        parse_reference("第二十条第（十五）项"),
        Some(r(20, None, Some(15)))
    );
    for s in [
        "",
        "第二十",
        "二十条",
        "第二十条第（五项",
        "第二十条第（五）",
        "第二十条之一",
        "第〇条",
        "《政府信息公开信息处理费管理办法》第二条",
        "依据第二十条",
        "第一项加第二项之和",
    ] {
        assert_eq!(parse_reference(s), None, "{s:?}");
    }
}

#[test]
fn references_display_officially() {
    assert_eq!(r(20, None, Some(5)).to_string(), "第二十条第（五）项");
    assert_eq!(r(16, Some(2), None).to_string(), "第十六条第二款");
    assert_eq!(
        r(29, Some(2), Some(1)).to_string(),
        "第二十九条第二款第（一）项"
    );
    assert_eq!(r(50, None, None).to_string(), "第五十条");
    assert!(r(36, None, None).overlaps(&r(36, None, Some(4))));
    assert!(!r(16, Some(1), None).overlaps(&r(16, Some(2), None)));
    assert!(!r(36, None, Some(3)).overlaps(&r(36, None, Some(4))));
}

#[test]
fn find_references_in_prose() {
    let text =
        "依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定，编制本报告。";
    let found = find_references(text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1, r(50, None, None));
    assert_eq!(&text[found[0].0.clone()], "第五十条");

    let text = "第三十六条第（一）项、第（二）项";
    let found: Vec<StatuteRef> = find_references(text).into_iter().map(|(_, x)| x).collect();
    assert_eq!(found, [r(36, None, Some(1)), r(36, None, Some(2))]);

    let text = "含条例第五十条第四项规定的各级人民政府“工作考核、社会评议和责任追究结果情况”";
    let found = find_references(text);
    assert_eq!(found[0].1, r(50, None, Some(4)));
    assert_eq!(&text[found[0].0.clone()], "第五十条第四项");

    let text = "第二十条 第（一）项\t\t\t";
    let found = find_references(text);
    assert_eq!(&text[found[0].0.clone()], "第二十条 第（一）项");

    let text = "第十四条、第十五条和第十六条第二款";
    let found: Vec<StatuteRef> = find_references(text).into_iter().map(|(_, x)| x).collect();
    assert_eq!(
        found,
        [r(14, None, None), r(15, None, None), r(16, Some(2), None)]
    );

    assert!(
        find_references("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
            .is_empty()
    );
}

#[test]
fn lookup_texts() {
    let e = lookup(&r(20, None, Some(5))).unwrap();
    assert_eq!(e.article_label, "第二十条");
    assert_eq!(e.citation, "第二十条第（五）项");
    assert_eq!(e.law_title, "中华人民共和国政府信息公开条例");
    assert_eq!(
        e.item_text.as_deref(),
        Some("（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果；")
    );
    assert_eq!(e.paragraph, Some(1));
    assert!(
        e.article_text
            .starts_with("行政机关应当依照本条例第十九条的规定")
    );
    assert!(
        e.article_text
            .contains("\n（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息。")
    );

    let e = lookup(&r(16, Some(2), None)).unwrap();
    assert!(
        e.paragraph_text
            .unwrap()
            .starts_with("行政机关在履行行政管理职能过程中形成的讨论记录")
    );
    assert_eq!(e.item_text, None);

    // Items of 第二十九条 are in its second paragraph.
    let e = lookup(&r(29, None, Some(1))).unwrap();
    assert_eq!(e.paragraph, Some(2));
    assert_eq!(
        e.item_text.as_deref(),
        Some("（一）申请人的姓名或者名称、身份证明、联系方式；")
    );

    let e = lookup(&r(50, None, Some(3))).unwrap();
    assert_eq!(
        e.item_text.as_deref(),
        Some("（三）因政府信息公开工作被申请行政复议、提起行政诉讼的情况；")
    );
    assert_eq!(
        lookup(&r(50, Some(2), None))
            .unwrap()
            .paragraph_text
            .as_deref(),
        Some("全国政府信息公开工作主管部门应当公布政府信息公开工作年度报告统一格式，并适时更新。")
    );

    assert!(lookup(&r(1, None, None)).is_none(), "not in the table");
    assert!(lookup(&r(20, None, Some(16))).is_none());
    assert!(lookup(&r(16, Some(3), None)).is_none());
    assert!(
        lookup(&r(14, None, Some(1))).is_none(),
        "第十四条 has no items"
    );
}

#[test]
fn explain_markdown_for_hovers_and_cli() {
    let md = explain_markdown(&parse_reference("第二十条第（五）项").unwrap()).unwrap();
    assert!(md.starts_with("### 《中华人民共和国政府信息公开条例》第二十条第（五）项"));
    assert!(
        md.contains("> （五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果；")
    );
    assert!(md.contains("**第二十条全文**"));
    assert!(md.contains("表二 第二十条第（五）项：行政许可、其他对外管理服务事项（2019年格式）"));
    assert!(md.contains("表二 第二十条第（五）项：行政许可（2021年格式）"));

    let md = explain_markdown(&parse_reference("第十四条").unwrap()).unwrap();
    assert!(md.contains("表三 （三）不予公开 1.属于国家秘密"));
    assert!(md.contains("表三 （三）不予公开 3.危及“三安全一稳定”"));

    let md = explain_markdown(&parse_reference("第三十六条第（七）项").unwrap()).unwrap();
    assert!(md.contains("8.属于行政查询事项（通常对应）"), "{md}");

    let md = explain_markdown(&parse_reference("第五十条").unwrap()).unwrap();
    assert!(md.contains("二、主动公开政府信息情况"));
    assert!(md.contains("六、其他需要报告的事项"));

    assert!(explain_markdown(&r(1, None, None)).is_none());
}

#[test]
fn subject_markdown_for_hovers() {
    let md = subject_markdown(Subject::Table3Row("r3_6")).unwrap();
    assert!(md.starts_with("**表三 （三）不予公开 6.属于四类过程性信息**"));
    assert!(md.contains("依据：条例第十六条第二款"));
    assert!(md.contains("> 行政机关在履行行政管理职能过程中形成的讨论记录"));

    let md = subject_markdown(Subject::Table3Row("r5_5")).unwrap();
    assert!(md.contains("通常对应：条例第二条；条例第三十八条"));
    assert!(md.contains("注："));

    let md = subject_markdown(Subject::Table3Row("r6_2")).unwrap();
    assert!(md.contains("《政府信息公开信息处理费管理办法》（国办函〔2020〕109号"));

    let md = subject_markdown(Subject::Table4Column("direct_total")).unwrap();
    assert!(
        md.starts_with("**表四 行政诉讼（未经复议直接起诉） “总计”**"),
        "{md}"
    );

    let md = subject_markdown(Subject::Table2Column("change")).unwrap();
    assert!(md.contains("本年增/减"));

    let md = subject_markdown(Subject::Section(1)).unwrap();
    assert!(md.contains("另见：条例第五十条第（四）项"));
    assert!(subject_markdown(Subject::Table3Row("nope")).is_none());
}

#[test]
fn citing_finds_the_report_parts() {
    let subjects: Vec<Subject<'static>> = citing(&r(16, None, None))
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert!(subjects.contains(&Subject::Table3Row("r3_5")));
    assert!(subjects.contains(&Subject::Table3Row("r3_6")));
    assert!(subjects.contains(&Subject::Table3Row("r3_7")));
    let subjects: Vec<Subject<'static>> = citing(&r(16, Some(1), None))
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(subjects, [Subject::Table3Row("r3_5")]);
}

#[test]
fn numerals_roundtrip() {
    assert_eq!(chinese_numeral("五十一"), Some(51));
    assert_eq!(to_chinese_numeral(49).as_deref(), Some("四十九"));
}

#[test]
fn broken_data_is_rejected() {
    assert!(load(SOURCE).is_ok());
    let bad = SOURCE.replace("refs = [\"第十四条\"]", "refs = [\"第一千条\"]");
    assert!(load(&bad).is_err());
    let bad = SOURCE.replace("refs = [\"第三十七条\"]", "refs = [\"第三十七\"]");
    assert!(load(&bad).unwrap_err().contains("unreadable"));
}
