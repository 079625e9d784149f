//! The reader on small documents built from XML snippets: merges, numbering through styles,
//! tracked changes, fields, text boxes, Strict OOXML, and hostile zips; and fixes written back.

use super::build::{self, Parts};
use super::*;
use crate::extract::{LineOrigin, Location};

fn read_ok(docx: &[u8]) -> Document {
    match read(docx) {
        Ok(doc) => doc,
        Err(e) => panic!("not read: {e}"),
    }
}

fn text(body: &str) -> String {
    read_ok(&build::document(body)).extracted.text
}

fn p(text: &str) -> String {
    format!("<w:p>{}</w:p>", r(text))
}

fn r(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

/// A cell: properties and content.
fn tc(props: &str, content: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>")
}

fn grid(widths: &[u32]) -> String {
    let cols: String = widths
        .iter()
        .map(|w| format!(r#"<w:gridCol w:w="{w}"/>"#))
        .collect();
    format!("<w:tblGrid>{cols}</w:tblGrid>")
}

#[test]
fn paragraphs_runs_tabs_and_breaks() {
    let body = format!(
        "{}{}<w:p><w:r><w:tab/><w:t>规章</w:t><w:tab/><w:t>0</w:t><w:tab/></w:r></w:p><w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:br w:type=\"page\"/><w:t>同一行</w:t></w:r></w:p><w:p/>",
        p("2023 年"),
        "<w:p><w:r><w:t>收到</w:t></w:r><w:r><w:t>26</w:t></w:r><w:r><w:t xml:space=\"preserve\"> 件&amp;&lt;</w:t></w:r></w:p>",
    );
    assert_eq!(
        text(&body),
        "2023 年\n收到26 件&<\n规章\t0\n第一行\n第二行同一行\n\n"
    );
}

#[test]
fn merged_cells_give_the_grid_of_layout_1a() {
    // Row 1: a caption over three columns. Row 2: a label spanning two columns, a value.
    // Row 3: the label continued (vMerge) over two columns, a value. Row 4: gridBefore.
    let body = format!(
        "<w:tbl>{}<w:tr>{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>{}</w:tr></w:tbl>",
        grid(&[1000, 1000, 1000]),
        tc(r#"<w:gridSpan w:val="3"/>"#, &p("第二十条第（一）项")),
        tc(
            r#"<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>"#,
            &p("行政许可")
        ),
        tc("", &p("12")),
        tc(r#"<w:gridSpan w:val="2"/><w:vMerge/>"#, "<w:p/>"),
        tc("", &p("3")),
        tc("", &p("4")),
    );
    let doc = read_ok(&build::document(&body));
    assert_eq!(
        doc.extracted.text,
        "第二十条第（一）项\t\t\n行政许可\t\t12\n\t\t3\n\t\t4\n"
    );
    let map = &doc.extracted.map;
    let at = |needle: &str, nth: usize| {
        doc.extracted
            .text
            .match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap_or(usize::MAX)
    };
    assert_eq!(
        map.locate(at("12", 0)),
        Some(Location::Cell {
            table: 1,
            row: 2,
            cell: 2,
            merged_from: None
        })
    );
    // The continuation cell of row 3 covers the first two fields.
    assert_eq!(
        map.locate(at("\t\t3", 0)),
        Some(Location::Cell {
            table: 1,
            row: 3,
            cell: 1,
            merged_from: Some(2)
        })
    );
    assert_eq!(
        map.locate(at("3", 0)),
        Some(Location::Cell {
            table: 1,
            row: 3,
            cell: 2,
            merged_from: None
        })
    );
    assert_eq!(
        map.locate(at("4", 0)),
        Some(Location::Cell {
            table: 1,
            row: 4,
            cell: 1,
            merged_from: None
        })
    );
}

#[test]
fn grid_slivers_hmerge_and_grid_after() {
    // A 1-twip sliver after the first column (a LibreOffice round trip: one row's border at 575,
    // another's at 576): rows that span it and rows that do not give the same fields.
    let body = format!(
        "<w:tbl>{}<w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr><w:trPr><w:gridAfter w:val=\"1\"/></w:trPr>{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        grid(&[575, 1, 1000, 1000]),
        tc(r#"<w:gridSpan w:val="2"/>"#, &p("规章")),
        tc("", &p("0")),
        tc("", &p("x")),
        tc("", &p("规范性文件")),
        tc(r#"<w:gridSpan w:val="2"/>"#, &p("5")),
        tc("", &p("y")),
        tc(r#"<w:gridSpan w:val="2"/>"#, &p("a")),
        tc("", &p("b")),
        tc(
            r#"<w:gridSpan w:val="2"/><w:hMerge w:val="restart"/>"#,
            &p("左")
        ),
        tc(r#"<w:hMerge/>"#, "<w:p/>"),
        tc("", &p("右")),
    );
    assert_eq!(
        text(&body),
        "规章\t0\tx\n规范性文件\t5\ty\na\tb\t\n左\t\t右\n"
    );
}

/// A web page's inconsistent spans, as LibreOffice writes them: a 97-twip column that only
/// two-column cells cover (header `本年增/减` over columns 3–4, values `0` over 2–3).
#[test]
fn a_narrow_column_no_cell_starts_in_alone_is_folded() {
    let body = format!(
        "<w:tbl>{}<w:tr>{}{}{}{}</w:tr><w:tr>{}{}{}{}</w:tr></w:tbl>",
        grid(&[2506, 1771, 97, 1029, 1801]),
        tc("", &p("信息内容")),
        tc("", &p("上一年项目数量")),
        tc(r#"<w:gridSpan w:val="2"/>"#, &p("本年增/减")),
        tc("", &p("处理决定数量")),
        tc("", &p("行政许可")),
        tc(r#"<w:gridSpan w:val="2"/>"#, &p("0")),
        tc("", &p("1")),
        tc("", &p("2")),
    );
    assert_eq!(
        text(&body),
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t0\t1\t2\n"
    );
    // The same widths with a one-column cell in the narrow column: a column of its own.
    let body = format!(
        "<w:tbl>{}<w:tr>{}{}{}{}{}</w:tr></w:tbl>",
        grid(&[2506, 1771, 97, 1029, 1801]),
        tc("", &p("a")),
        tc("", &p("b")),
        tc("", &p("c")),
        tc("", &p("d")),
        tc("", &p("e")),
    );
    assert_eq!(text(&body), "a\tb\tc\td\te\n");
}

#[test]
fn cell_paragraphs_join_like_copy_as_text() {
    let body = format!(
        "<w:tbl>{}<w:tr>{}{}</w:tr></w:tbl>",
        grid(&[1000, 1000]),
        tc("", &format!("{}<w:p/>{}", p("本年新"), p("制作数量"))),
        tc(
            "",
            &format!(
                "{}{}<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>",
                p("商业"),
                p("企业 (家)")
            )
        ),
    );
    assert_eq!(text(&body), "本年新制作数量\t商业企业 (家) a b\n");
}

#[test]
fn nested_tables_flatten_into_their_cell() {
    let inner = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        tc("", &p("内1")),
        tc("", &p("内2"))
    );
    let body = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>{}",
        tc("", &format!("{}{inner}<w:p/>", p("外"))),
        tc("", &p("9")),
        p("后")
    );
    let doc = read_ok(&build::document(&body));
    assert_eq!(doc.extracted.text, "外内1 内2\t9\n后\n");
    // Only the outer table counts.
    assert_eq!(
        doc.extracted.map.locate(doc.extracted.text.len() - 1),
        Some(Location::Paragraph {
            paragraph: 1,
            generated: false,
            text_box: false
        })
    );
}

const NUMBERING: &str = r#"
    <w:abstractNum w:abstractNumId="0">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:pStyle w:val="H1"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
    </w:abstractNum>
    <w:abstractNum w:abstractNumId="1">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
    </w:abstractNum>
    <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
    <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
    <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;

const STYLES: &str = r#"
    <w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
    <w:style w:type="paragraph" w:styleId="H1"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
    <w:style w:type="paragraph" w:styleId="MyHeading"><w:basedOn w:val="H1"/></w:style>
    <w:style w:type="character" w:styleId="Hidden"><w:rPr><w:vanish/></w:rPr></w:style>"#;

fn numbered(body: &str) -> Document {
    let parts = Parts {
        body: body.to_owned(),
        styles: Some(STYLES.to_owned()),
        numbering: Some(NUMBERING.to_owned()),
        ..Parts::default()
    };
    read_ok(&parts.docx())
}

fn styled(style: &str, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{}</w:p>"#,
        r(text)
    )
}

fn listed(num_id: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>{}</w:p>"#,
        r(text)
    )
}

#[test]
fn numbering_through_styles_overrides_and_restarts() {
    let table = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        tc("", &listed(2, 0, "属于国家秘密")),
        tc("", &p("1")),
        tc("", &listed(2, 0, "其他法律行政法规禁止公开")),
        tc("", &p("0")),
    );
    let body = [
        styled("H1", "总体情况"),
        listed(1, 1, "主动公开"),
        listed(1, 1, "依申请公开"),
        styled("MyHeading", "主动公开政府信息情况"),
        listed(1, 1, "规章"),
        table,
        // numId 0 removes the style's numbering.
        r#"<w:p><w:pPr><w:pStyle w:val="H1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>不编号</w:t></w:r></w:p>"#.to_owned(),
        // A list with startOverride counts on its own.
        listed(3, 0, "另起"),
        styled("H1", "收到和处理政府信息公开申请情况"),
    ]
    .concat();
    let doc = numbered(&body);
    assert_eq!(
        doc.extracted.text,
        "一、总体情况\n（一）主动公开\n（二）依申请公开\n二、主动公开政府信息情况\n（一）规章\n\
         1.属于国家秘密\t1\n2.其他法律行政法规禁止公开\t0\n不编号\n1.另起\n三、收到和处理政府信息公开申请情况\n"
    );
    // The label is generated, the rest is the document's.
    let map = &doc.extracted.map;
    assert_eq!(
        map.locate(0),
        Some(Location::Paragraph {
            paragraph: 1,
            generated: true,
            text_box: false
        })
    );
    assert_eq!(
        map.locate("一、".len()),
        Some(Location::Paragraph {
            paragraph: 1,
            generated: false,
            text_box: false
        })
    );
    let LineOrigin::Paragraph(first) = &map.lines[0].origin else {
        panic!("a paragraph");
    };
    assert_eq!(first.label, Some(0.."一、".len()));
}

#[test]
fn tracked_changes_are_accepted() {
    let body = format!(
        "<w:p>{}<w:ins w:id=\"1\" w:author=\"a\">{}</w:ins><w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>19</w:delText></w:r></w:del><w:moveFrom w:id=\"3\">{}</w:moveFrom><w:moveTo w:id=\"4\">{}</w:moveTo></w:p>\
         <w:p><w:pPr><w:rPr><w:del w:id=\"5\" w:author=\"a\"/></w:rPr></w:pPr><w:del w:id=\"6\"><w:r><w:delText>删掉的段落</w:delText></w:r></w:del></w:p>{}\
         <w:tbl><w:tr><w:trPr><w:del w:id=\"7\"/></w:trPr>{}</w:tr><w:tr>{}</w:tr></w:tbl>",
        r("总计 "),
        r("20"),
        r("旧位置"),
        r(" 新位置"),
        p("下一段"),
        tc("", &p("删掉的行")),
        tc("", &p("留下的行")),
    );
    let doc = read_ok(&build::document(&body));
    assert_eq!(doc.extracted.text, "总计 20 新位置\n下一段\n留下的行\n");
    assert!(doc.notes.tracked_changes);
    assert_eq!(doc.notes.messages().len(), 1);
    // The kept row is row 1 of the table.
    assert_eq!(
        doc.extracted
            .map
            .locate(doc.extracted.text.find("留下").unwrap_or(0)),
        Some(Location::Cell {
            table: 1,
            row: 1,
            cell: 1,
            merged_from: None
        })
    );
}

#[test]
fn fields_show_their_results() {
    let body = format!(
        "<w:p>{}<w:fldSimple w:instr=\" PAGE \">{}</w:fldSimple>\
           <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>=SUM(LEFT)</w:instrText></w:r>\
           <w:r><w:t>不是结果</w:t></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}\
           <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>{}</w:p>\
         <w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>未结束的域</w:instrText></w:r></w:p>{}",
        r("第 "),
        r("3"),
        r("42"),
        r(" 页"),
        p("域之后的段落"),
    );
    assert_eq!(text(&body), "第 342 页\n\n域之后的段落\n");
}

#[test]
fn text_boxes_once_hidden_text_dropped_symbols_kept() {
    let textbox = |t: &str| {
        format!(
            "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
            p(t),
            p(t)
        )
    };
    let body = format!(
        "<w:p>{}{}<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"Hidden\"/></w:rPr><w:t>样式隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"false\"/></w:rPr><w:t>显示</w:t></w:r></w:p>{}",
        r("锚定段落"),
        textbox("文本框中的文字"),
        "<w:p><w:r><w:t>A</w:t><w:noBreakHyphen/><w:t>B</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/><w:sym w:font=\"SimSun\" w:char=\"2460\"/></w:r></w:p>",
    );
    let parts = Parts {
        body,
        styles: Some(STYLES.to_owned()),
        ..Parts::default()
    };
    let doc = read_ok(&parts.docx());
    assert_eq!(doc.extracted.text, "锚定段落显示\n文本框中的文字\nA-B①\n");
    assert_eq!(
        doc.extracted
            .map
            .locate(doc.extracted.text.find("文本框").unwrap_or(0)),
        Some(Location::Paragraph {
            paragraph: 2,
            generated: false,
            text_box: true
        })
    );
    assert_eq!(
        doc.extracted
            .map
            .locate(doc.extracted.text.find("文本框").unwrap_or(0))
            .map(|l| l.describe(crate::extract::Kind::Word)),
        Some("Word 第 2 段（文本框）".into())
    );
}

#[test]
fn content_controls_and_custom_xml_are_read_through() {
    let body = format!(
        "<w:sdt><w:sdtPr/><w:sdtContent>{}<w:tbl><w:sdt><w:sdtContent><w:tr>{}</w:tr></w:sdtContent></w:sdt></w:tbl></w:sdtContent></w:sdt>\
         <w:customXml w:element=\"x\">{}</w:customXml><w:p><w:sdt><w:sdtContent>{}</w:sdtContent></w:sdt><w:hyperlink r:id=\"x\" xmlns:r=\"urn:r\">{}</w:hyperlink></w:p>",
        p("控件中的段落"),
        tc("", &p("控件中的行")),
        p("自定义 XML"),
        r("行内控件"),
        r("链接"),
    );
    assert_eq!(
        text(&body),
        "控件中的段落\n控件中的行\n自定义 XML\n行内控件链接\n"
    );
}

#[test]
fn strict_ooxml_is_read() {
    let parts = Parts {
        body: format!("{}{}", styled("H1", "总体情况"), p("正文")),
        styles: Some(STYLES.to_owned()),
        numbering: Some(NUMBERING.to_owned()),
        strict: true,
        deflate: true,
    };
    assert_eq!(
        read_ok(&parts.docx()).extracted.text,
        "一、总体情况\n正文\n"
    );
}

#[test]
fn report_text_round_trips_through_a_built_document() {
    let report = "某某局2023年政府信息公开工作年度报告\n\n一、总体情况\n（一）主动公开\n正文 12 条。\n二、主动公开政府信息情况\n\
                  第二十条第（一）项\t\t\t\n信息内容\t\t本年制发件数\t本年废止件数\n规章\t\t0\t0\n行政许可\t行政强制\t1\t2\n\t行政处罚\t3\t\n\
                  三、收到和处理政府信息公开申请情况\n  （一）不是编号\n";
    let built = build::report(report);
    let doc = read_ok(&built.docx);
    assert_eq!(doc.extracted.text, report);
    assert_eq!(built.lines.len(), report.lines().count());
}

// ------------------------------------------------------------------ hostile input

fn err(bytes: &[u8]) -> DocxError {
    match read(bytes) {
        Ok(doc) => panic!("read: {:?}", doc.extracted.text),
        Err(e) => e,
    }
}

#[test]
fn truncated_and_random_zips_are_errors() {
    let docx = build::document(&p("正文"));
    for cut in [0, 4, 30, docx.len() / 2, docx.len() - 30, docx.len() - 1] {
        let e = err(&docx[..cut]);
        assert!(matches!(e, DocxError::Corrupt(_)), "{cut}: {e:?}");
        assert!(
            e.to_string()
                .starts_with("Word 文档（.docx）已损坏或不完整"),
            "{e}"
        );
    }
    let mut garbage = b"PK\x03\x04".to_vec();
    garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    assert!(matches!(err(&garbage), DocxError::Corrupt(_)));
}

#[test]
fn a_zip_that_is_not_word_says_what_it_is() {
    let xlsx = build::zip(
        [("xl/workbook.xml", b"<workbook/>".as_slice())],
        zip::CompressionMethod::Stored,
    );
    assert_eq!(err(&xlsx), DocxError::NotWord("Excel 工作簿（.xlsx）"));
    let odt = build::zip(
        [
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.text".as_slice(),
            ),
            ("content.xml", b"<x/>".as_slice()),
        ],
        zip::CompressionMethod::Stored,
    );
    assert_eq!(err(&odt), DocxError::NotWord("OpenDocument 文本（.odt）"));
    let other = build::zip([("a.txt", b"x".as_slice())], zip::CompressionMethod::Stored);
    assert!(
        err(&other)
            .to_string()
            .contains("不含 Word 文档内容的 zip 压缩包")
    );
}

#[test]
fn bad_xml_and_deep_nesting_are_errors() {
    let bad = build::zip(
        [("word/document.xml", b"<w:document".as_slice())],
        zip::CompressionMethod::Stored,
    );
    assert!(matches!(err(&bad), DocxError::Xml { .. }));
    let deep = format!(
        "{}{}{}",
        "<w:sdt><w:sdtContent>".repeat(5000),
        p("深处"),
        "</w:sdtContent></w:sdt>".repeat(5000)
    );
    assert_eq!(err(&build::document(&deep)), DocxError::TooDeep);
    let deep_runs = format!(
        "<w:p>{}{}{}</w:p>",
        "<w:ins>".repeat(5000),
        r("深处"),
        "</w:ins>".repeat(5000)
    );
    assert_eq!(err(&build::document(&deep_runs)), DocxError::TooDeep);
    let deep_cells = format!(
        "{}{}{}",
        "<w:tbl><w:tr><w:tc>".repeat(300),
        p("深处"),
        "</w:tc></w:tr></w:tbl>".repeat(300)
    );
    assert_eq!(err(&build::document(&deep_cells)), DocxError::TooDeep);
    // Nesting the walker does not enter is only XML.
    let harmless = format!(
        "<w:p>{}{}</w:p>",
        "<x:a xmlns:x=\"u\">".repeat(5000),
        "</x:a>".repeat(5000)
    );
    assert_eq!(text(&harmless), "\n");
}

#[test]
fn a_huge_grid_span_is_capped() {
    let body = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        tc(r#"<w:gridSpan w:val="4000000000"/>"#, &p("a")),
        tc("", &p("b"))
    );
    let t = text(&body);
    assert!(t.split('\t').count() <= 1001, "{}", t.len());
}

/// A deflate stream of `copies` MB of zeros, made without compressing them all: one megabyte,
/// flushed to a byte boundary, repeated (each copy refers only to itself).
fn zeros_deflated(copies: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut c = Compress::new(Compression::fast(), false);
    let mut block = Vec::with_capacity(1 << 16);
    let _ = c.compress_vec(&vec![0u8; 1 << 20], &mut block, FlushCompress::Sync);
    let mut out = block.repeat(copies);
    let mut end = Compress::new(Compression::fast(), false);
    let mut tail = Vec::with_capacity(64);
    let _ = end.compress_vec(&[], &mut tail, FlushCompress::Finish);
    out.extend(tail);
    out
}

/// A zip holding one deflated entry with the given compressed bytes, declaring `size`.
fn bomb_zip(name: &str, data: &[u8], size: u32) -> Vec<u8> {
    let crc = 0u32;
    let mut out = Vec::new();
    let local = |out: &mut Vec<u8>| {
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&8u16.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
    };
    local(&mut out);
    out.extend_from_slice(data);
    let cd = out.len();
    out.extend_from_slice(b"PK\x01\x02");
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&8u16.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0; 12]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let cd_len = out.len() - cd;
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    out.extend_from_slice(&(cd_len as u32).to_le_bytes());
    out.extend_from_slice(&(cd as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn a_zip_bomb_is_cut_off_at_the_cap() {
    // 70 MB of zeros in a few hundred kilobytes, declared as such.
    let bomb = bomb_zip("word/document.xml", &zeros_deflated(70), 70 << 20);
    assert!(bomb.len() < 1_000_000, "{}", bomb.len());
    let e = err(&bomb);
    assert_eq!(
        e,
        DocxError::TooLarge {
            part: "word/document.xml".into(),
            limit_mb: 64
        }
    );
    assert!(e.to_string().contains("解压后超过 64 MB"), "{e}");
    // Declared as 1000 bytes: the zip reader stops at the declared size.
    let e = err(&bomb_zip("word/document.xml", &zeros_deflated(2), 1000));
    assert!(matches!(e, DocxError::Corrupt(_)), "{e:?}");
}

#[test]
fn other_compression_methods_are_refused() {
    let mut docx = build::document(&p("正文"));
    // Rewrite every method field (stored, 0) to bzip2 (12): local headers and directory.
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let offsets: Vec<usize> = docx
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == sig)
            .map(|(i, _)| i)
            .collect();
        for at in offsets {
            let field = if sig == b"PK\x03\x04" {
                at + 8
            } else {
                at + 10
            };
            docx[field] = 12;
        }
    }
    assert_eq!(err(&docx), DocxError::Unsupported);
}

// ------------------------------------------------------------------ fixes written back

/// The entries of a zip: name and content, in order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    build::unzip(bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn fix_ok(doc: &Document, original: &[u8], fixed: &str) -> Fixed {
    doc.fix(original, fixed).unwrap_or_else(|e| panic!("{e}"))
}

/// Table 4 of a report, with two wrong totals (row 3: 行政复议 总计 19 for 20; and a blank).
const TABLE: &str = "行政复议\t\t\t\t\t\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n10\t1\t8\t1\t19\n5\t0\t0\t0\t\n";

#[test]
fn a_fix_changes_only_the_runs_of_its_cells() {
    let built = build::report(&format!("四、政府信息公开行政复议、行政诉讼情况\n{TABLE}"));
    let doc = read_ok(&built.docx);
    let fixed = doc
        .text()
        .replace("8\t1\t19", "8\t1\t20")
        .replace("5\t0\t0\t0\t\n", "5\t0\t0\t0\t5\n");
    let out = fix_ok(&doc, &built.docx, &fixed);
    // Read again: the fixed text, and the same source map.
    let again = read_ok(&out.bytes);
    assert_eq!(again.text(), fixed);
    assert_eq!(
        out.changes
            .iter()
            .map(|c| (c.location.clone(), c.before.as_str(), c.after.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                Some(Location::Cell {
                    table: 1,
                    row: 3,
                    cell: 5,
                    merged_from: None
                }),
                "19",
                "20"
            ),
            (
                Some(Location::Cell {
                    table: 1,
                    row: 4,
                    cell: 5,
                    merged_from: None
                }),
                "",
                "5"
            ),
        ]
    );
    // Every other entry is byte for byte the same, in the same order.
    let (before, after) = (entries(&built.docx), entries(&out.bytes));
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        if b.0 != "word/document.xml" {
            assert_eq!(b.1, a.1, "{}", b.0);
        }
    }
    // document.xml differs only inside the edited `w:t` and the empty cell's paragraph.
    let xml = |entries: &[(String, Vec<u8>)]| {
        let found = entries.iter().find(|e| e.0 == "word/document.xml");
        String::from_utf8(found.map(|e| e.1.clone()).unwrap_or_default()).unwrap_or_default()
    };
    let (old, new) = (xml(&before), xml(&after));
    assert_eq!(old.matches(">19</w:t>").count(), 1);
    let empty = old.rfind("<w:p/>").unwrap_or_default();
    let expected = format!(
        "{}<w:p><w:r><w:t xml:space=\"preserve\">5</w:t></w:r></w:p>{}",
        &old[..empty],
        &old[empty + "<w:p/>".len()..]
    )
    .replacen(">19</w:t>", ">20</w:t>", 1);
    assert_eq!(new, expected);
}

#[test]
fn a_number_split_over_runs_is_rewritten_in_the_first() {
    let body = "<w:p><w:r><w:t>总计</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1</w:t></w:r><w:r><w:t>9</w:t></w:r><w:r><w:t>件</w:t></w:r></w:p>";
    let docx = build::document(body);
    let doc = read_ok(&docx);
    assert_eq!(doc.text(), "总计19件\n");
    let out = fix_ok(&doc, &docx, "总计20件\n");
    assert_eq!(read_ok(&out.bytes).text(), "总计20件\n");
    let xml = &entries(&out.bytes)[2].1;
    let xml = String::from_utf8_lossy(xml);
    assert!(
        xml.contains("<w:b/></w:rPr><w:t>20</w:t></w:r><w:r><w:t></w:t></w:r>"),
        "{xml}"
    );
}

#[test]
fn fixes_on_generated_text_or_across_cells_are_refused() {
    let doc = numbered(&format!(
        "{}{}",
        styled("H1", "总体情况"),
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    ));
    assert_eq!(doc.text(), "一、总体情况\n1\t2\n");
    let docx = Parts {
        body: String::new(),
        ..Parts::default()
    }
    .docx();
    let e = doc.fix(&docx, "二、总体情况\n1\t2\n");
    assert!(
        matches!(&e, Err(FixError::Unmappable { place, .. }) if place == "Word 第 1 段（自动编号）"),
        "{e:?}"
    );
    let e = doc.fix(&docx, "一、总体情况\n12\n");
    assert!(matches!(e, Err(FixError::Unmappable { .. })), "{e:?}");
    let e = doc.fix(&docx, "一、总体情况\n1\t2\n多出一行\n");
    assert!(matches!(e, Err(FixError::Unmappable { .. })), "{e:?}");
    // Nothing to fix: the same bytes.
    assert_eq!(fix_ok(&doc, &docx, doc.text()).bytes, docx);
}

#[test]
fn a_fix_keeps_entities_and_strict_prefixes() {
    let parts = Parts {
        body: "<w:p><w:r><w:t>A&amp;B 19</w:t></w:r></w:p>".to_owned(),
        strict: true,
        ..Parts::default()
    };
    let docx = parts.docx();
    let doc = read_ok(&docx);
    assert_eq!(doc.text(), "A&B 19\n");
    let out = fix_ok(&doc, &docx, "A&B 20\n");
    assert_eq!(read_ok(&out.bytes).text(), "A&B 20\n");
    let xml = String::from_utf8_lossy(&entries(&out.bytes)[2].1).into_owned();
    assert!(xml.contains("<w:t>A&amp;B 20</w:t>"), "{xml}");
}
