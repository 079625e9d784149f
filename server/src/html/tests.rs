//! The page reader on hand-made pages: the article among page chrome, tables with spans and
//! `<th>` headers, a Word page saved as `.doc`, a page that is no report.

use super::*;
use crate::extract::Location;

fn text(html: &str) -> String {
    match read(html.as_bytes(), None) {
        Ok(page) => page.extracted.text,
        Err(e) => panic!("{e}"),
    }
}

/// A portal page: navigation and a metadata table around the article, which is found by its
/// headings and tables.
const PORTAL: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title>
<style>p { color: red }</style><script>var nav = "一、总体情况";</script></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a>政务公开</a></li></ul></div>
<table class="meta"><tr><td>索引号</td><td>014314799/2024-00002</td></tr><tr><td>发布机构</td><td>某局</td></tr></table>
<h1>某局2023年政府信息公开工作年度报告</h1>
<div class="TRS_Editor"><div class="inner">
<p style="text-indent:2em"><span>本报告</span><span>依据《条例》编制。</span></p>
<p><strong>一、总体情况</strong></p><p>正文。</p>
<p><b>二、</b><b>主动公开政府信息情况</b></p>
<table border="1"><thead><tr><th colspan="4">第二十条第（一）项</th></tr>
<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr></thead>
<tbody><tr><td>规章</td><td>0</td><td>0</td><td>&nbsp;</td></tr></tbody></table>
<p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>
<p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p><p>无。</p>
</div></div><div class="footer">版权所有 © 某局 <a>网站地图</a></div></body></html>"#;

#[test]
fn the_article_of_a_portal_page_without_its_chrome() {
    let page = read(PORTAL.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        page.text(),
        "本报告依据《条例》编制。\n一、总体情况\n正文。\n二、主动公开政府信息情况\n\
         第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t\n\
         三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n\
         五、存在的主要问题及改进情况\n六、其他需要报告的事项\n无。\n"
    );
    assert_eq!(page.encoding, "UTF-8");
    // `<th>` rows are rows; the table is the article's first.
    let at = page.text().find("现行有效件数").unwrap_or(0);
    assert_eq!(
        page.extracted.map.locate(at),
        Some(Location::Cell {
            table: 1,
            row: 2,
            cell: 4,
            merged_from: None
        })
    );
    assert_eq!(
        page.extracted
            .map
            .locate(0)
            .map(|l| l.describe(crate::extract::Kind::Html)),
        Some("网页第 1 段".into())
    );
}

#[test]
fn a_gbk_page_reads_like_its_utf8_original() {
    let gbk_page = PORTAL.replace("charset=\"utf-8\"", "charset=\"gb2312\"");
    let (bytes, _, _) = encoding_rs::GBK.encode(&gbk_page);
    let page = read(&bytes, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.encoding, "GBK");
    assert_eq!(page.text(), text(PORTAL));
    assert!(page.notes().is_empty());
    // Declared by the server only.
    let bare = gbk_page.replace("<meta charset=\"gb2312\">", "");
    let (bytes, _, _) = encoding_rs::GBK.encode(&bare);
    let page = read(&bytes, Some("GB18030")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.text(), text(PORTAL));
    assert_eq!(page.encoding, "gb18030");
}

/// Word's "save as web page" (often named .doc by portals): Office namespaces, `<o:p>`,
/// `mso-` styles, conditional comments, a table with `<td>`s of `<p class=MsoNormal>`.
#[test]
fn a_page_saved_by_word() {
    let word = r#"<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]--></head>
<body lang=ZH-CN><div class=WordSection1>
<p class=MsoNormal align=center><b><span style='font-family:宋体'>一、总体情况<o:p></o:p></span></b></p>
<p class=MsoNormal><span lang=EN-US>2023</span><span style='font-family:宋体'>年，本局<o:p></o:p></span></p>
<p class=MsoNormal><b>二、主动公开政府信息情况</b></p>
<table class=MsoTableGrid border=1><tr><td width=200 colspan=2><p class=MsoNormal>第二十条第（一）项</p></td></tr>
<tr><td width=100><p class=MsoNormal>规章</p></td><td width=100><p class=MsoNormal><span lang=EN-US>3<o:p></o:p></span></p></td></tr></table>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>
</div></body></html>"#;
    let (bytes, _, _) = encoding_rs::GBK.encode(word);
    let page = read(&bytes, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        page.text(),
        "一、总体情况\n2023年，本局\n二、主动公开政府信息情况\n第二十条第（一）项\t\n规章\t3\n\n\
         三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    );
    assert_eq!(page.encoding, "GBK");
}

/// A report table split in two by a page break in the article, and a table nested in a cell.
#[test]
fn split_and_nested_tables() {
    let html = "<div><p>三、收到和处理政府信息公开申请情况</p>\
        <table><tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td><td>5</td></tr><tr><td>（二）部分公开</td><td>0</td></tr></table>\
        <p>- 4 -</p>\
        <table><tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>\
        <tr><td><table><tr><td>（七）</td><td>总计</td></tr></table></td><td></td><td>5</td></tr></table>\
        <p>四、政府信息公开行政复议、行政诉讼情况</p></div>";
    assert_eq!(
        text(html),
        "三、收到和处理政府信息公开申请情况\n三、本年度办理结果\t（一）予以公开\t5\n\t（二）部分公开\t0\n- 4 -\n\
         （三）不予公开\t1.属于国家秘密\t0\n（七）总计\t\t5\n四、政府信息公开行政复议、行政诉讼情况\n"
    );
}

#[test]
fn a_page_that_is_not_a_report_says_so() {
    let e = read(
        "<html><body><h1>通知公告</h1><p>关于开展某项工作的通知</p></body></html>".as_bytes(),
        None,
    );
    assert_eq!(e.as_ref().err(), Some(&HtmlError::NotReport));
    let message = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.starts_with("网页中没有找到年报"), "{message}");
    assert_eq!(
        read(&vec![b' '; MAX_PAGE_BYTES + 1], None).err(),
        Some(HtmlError::TooLarge)
    );
}

/// A page whose report is one block of lines separated by `<br>`: no element of its own holds a
/// heading, so the page as a whole is read, when its lines read as a report's headings.
#[test]
fn a_report_in_one_block_of_lines() {
    let html = "<html><body><div class=nav><a>首页</a></div><div class=content>\
        某局2023年政府信息公开工作年度报告<br>一、总体情况<br>正文。<br>二、主动公开政府信息情况<br>\
        三、收到和处理政府信息公开申请情况<br></div></body></html>";
    assert_eq!(
        text(html),
        "首页\n某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n二、主动公开政府信息情况\n\
         三、收到和处理政府信息公开申请情况\n"
    );
    // A heading in a <div> or a <font> of its own counts.
    let html = "<div id=a><font>一、总体情况</font><div>正文</div><div>二、主动公开政府信息情况</div></div><div>页脚</div>";
    assert_eq!(text(html), "一、总体情况\n正文\n二、主动公开政府信息情况\n");
}
