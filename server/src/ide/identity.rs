//! Hover on the title: which body's report on which year the series checks take this to be, and
//! where each was read (title, opening, data period, signature, file name).

use super::hover::Hover;
use crate::analysis::Analysis;
use crate::series::{Identity, Reading};

/// The hover at `offset` when it is on the title.
pub fn identity_hover(analysis: &Analysis, identity: &Identity, offset: usize) -> Option<Hover> {
    let title = analysis.report.title.clone()?;
    if !(title.start <= offset && offset <= title.end) {
        return None;
    }
    let mut md = String::from("**报告身份**（跨年度检查据此比对同一机关的相邻年度）\n\n");
    match &identity.body {
        Some(b) => md.push_str(&format!(
            "- 发布机关：{}（取自{}）\n",
            b.value,
            b.source.describe()
        )),
        None => md.push_str("- 发布机关：未能确定\n"),
    }
    match &identity.year {
        Some(y) => md.push_str(&format!(
            "- 报告年度：{}（取自{}）\n",
            y.value,
            y.source.describe()
        )),
        None => md.push_str("- 报告年度：未能确定\n"),
    }
    if !identity.readings.is_empty() {
        md.push_str("\n各处读出：\n\n");
        for r in &identity.readings {
            md.push_str(&format!("- {}：{}\n", r.source.describe(), said(r)));
        }
    }
    for problem in &identity.problems {
        md.push_str(&format!("\n{problem}。\n"));
    }
    Some(Hover {
        range: title,
        markdown: md,
    })
}

fn said(r: &Reading) -> String {
    match (&r.body, r.year) {
        (Some(b), Some(y)) => format!("{b}，{y} 年"),
        (Some(b), None) => b.clone(),
        (None, Some(y)) => format!("{y} 年"),
        (None, None) => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Config, analyze};
    use crate::series::identify;

    #[test]
    fn the_title_shows_body_year_and_sources() {
        let text = "淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告\n报告中所列数据统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。\n一、总体情况\n正文。\n";
        let analysis = analyze(text, &Config::default());
        let identity = identify(text, &analysis.report, Some("2024.txt"));
        let at = text.find("2024 年政府").unwrap_or_default();
        let hover = identity_hover(&analysis, &identity, at);
        let md = hover.map(|h| h.markdown).unwrap_or_default();
        assert!(
            md.contains("发布机关：淮安市洪泽区人民政府（取自标题）"),
            "{md}"
        );
        assert!(md.contains("报告年度：2024（取自标题）"), "{md}");
        assert!(md.contains("统计期限：2024 年"), "{md}");
        assert!(md.contains("文件名：2024 年"), "{md}");
        let body = text.find("一、总体情况").unwrap_or_default();
        assert_eq!(identity_hover(&analysis, &identity, body), None);
    }
}
