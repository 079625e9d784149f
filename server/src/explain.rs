//! What `nianbao explain TOPIC` prints, for the command line and the web page's engine alike:
//! the documentation of a diagnostic code, or the text of a statute article or item (Markdown).

use crate::diagnostics::{Code, Severity};
use crate::statute;

/// The Markdown for `topic` — a diagnostic code (`sum-mismatch`) or a statute reference
/// (`第二十条`, `第二十条第（五）项`) — ending with a newline; or, for an unknown topic, the reason
/// in Chinese (for an unknown word, one line per code that can be explained).
pub fn topic(topic: &str) -> Result<String, String> {
    let topic = topic.trim();
    if let Some(code) = Code::parse(topic) {
        return Ok(code_markdown(code));
    }
    if let Some(reference) = statute::parse_reference(topic) {
        return match statute::explain_markdown(&reference) {
            Some(markdown) => Ok(format!("{markdown}\n")),
            None => Err(format!(
                "《中华人民共和国政府信息公开条例》中没有「{topic}」，或它不在年度报告引用的条款之内"
            )),
        };
    }
    let mut reason = format!("未知主题「{topic}」。可说明的诊断代码：\n");
    for code in Code::ALL {
        reason.push_str(&format!("  {:<20} {}\n", code.as_str(), code.doc().summary));
    }
    reason.push_str("或条例条款，如「第二十条」「第二十条第（五）项」。");
    Err(reason)
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Information => "信息",
        Severity::Hint => "提示",
    }
}

/// The documentation of a code (Markdown): what, why, an example, how to fix.
pub fn code_markdown(code: Code) -> String {
    let doc = code.doc();
    let severity = code.default_severity();
    let example: String = doc
        .example
        .lines()
        .map(|line| format!("    {line}\n"))
        .collect();
    format!(
        "# {code}（默认级别：{}，{}）\n\n{}\n\n## 为什么\n\n{}\n\n## 示例\n\n{example}\n## 修复\n\n{}\n",
        severity_name(severity),
        severity.as_str(),
        doc.summary,
        doc.why,
        doc.fix,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_markdown_has_every_part() {
        for &code in Code::ALL {
            let text = code_markdown(code);
            for part in ["## 为什么", "## 示例", "## 修复"] {
                assert!(text.contains(part), "{code}: {part}");
            }
        }
    }

    #[test]
    fn topics_codes_statute_and_unknown() {
        let code = topic(" sum-mismatch ").unwrap_or_default();
        assert!(
            code.starts_with("# sum-mismatch（默认级别：错误，error）"),
            "{code}"
        );
        let item = topic("第二十条第（五）项").unwrap_or_default();
        assert!(item.contains("第二十条") && item.ends_with('\n'), "{item}");
        let absent = topic("第九十九条").err().unwrap_or_default();
        assert!(absent.contains("没有「第九十九条」"), "{absent}");
        let unknown = topic("no-such-code").err().unwrap_or_default();
        assert!(unknown.starts_with("未知主题「no-such-code」"), "{unknown}");
        assert_eq!(
            unknown.lines().count(),
            Code::ALL.len() + 2,
            "one line per code, plus the first and the last"
        );
    }
}
